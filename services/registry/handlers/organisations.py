"""Organisation use cases: create, update and the verification decisions."""

from __future__ import annotations

from dataclasses import dataclass, replace

from sqlalchemy.ext.asyncio import AsyncSession

from services.common.clock import today
from services.common.errors import AlreadyExists, PermissionDenied, found, invalid
from services.common.resource_names import new_id
from services.common.uow import UnitOfWork
from services.registry.convert import organisations as convert
from services.registry.domain import organisations as domain
from services.registry.domain.organisations import Details, Organisation, Transition
from services.registry.handlers import check_etag, check_paths, stamp
from services.registry.orm import jurisdictions as jurisdiction_store
from services.registry.orm import organisations as store
from services.registry.queries.organisations import OrganisationView, get_organisation

SUBJECT = "nlc.registry.organisation"
# Update-mask path -> attribute of Details.
UPDATABLE = {
    "display_name": "display_name",
    "sector": "sector",
    "jurisdiction": "jurisdiction_id",
    "registration_numbers": "registration_numbers",
    "website": "website",
    "contact_email": "contact_email",
}


@dataclass(frozen=True)
class CreateOrganisation:
    details: Details
    organisation_id: str | None = None


@dataclass(frozen=True)
class UpdateOrganisation:
    organisation_id: str
    details: Details
    paths: frozenset[str]
    etag: str = ""


@dataclass(frozen=True)
class ChangeVerification:
    organisation_id: str
    reason: str = ""
    etag: str = ""


async def _check_jurisdiction(uow: UnitOfWork, jurisdiction_id: str | None) -> None:
    if jurisdiction_id is None:
        return
    unit = await jurisdiction_store.load(uow.session, jurisdiction_id)
    if unit is None:
        raise invalid("organisation.jurisdiction", "no such jurisdiction")
    if unit.valid_to is not None and unit.valid_to < today(uow.clock):
        raise invalid("organisation.jurisdiction", f"{unit.code} was retired on {unit.valid_to}")


async def _load_visible(uow: UnitOfWork, org_id: str) -> Organisation:
    org = await store.load(uow.session, org_id)
    if org and not domain.can_see(uow.actor, org.id, org.verification_state):
        org = None
    return found(org, f"organisation {org_id}")


def _details_json(details: Details) -> dict[str, object]:
    return {
        "display_name": details.display_name,
        "kind": details.kind.value if details.kind else None,
        "sector": details.sector.value if details.sector else None,
        "jurisdiction_id": details.jurisdiction_id,
        "registration_numbers": [[n.scheme, n.value] for n in details.registration_numbers],
        "website": details.website,
        "contact_email": details.contact_email,
    }


async def _view(session: AsyncSession, org_id: str) -> OrganisationView:
    return await get_organisation(session, org_id)


async def create_organisation(uow: UnitOfWork, cmd: CreateOrganisation) -> OrganisationView:
    """Register an organisation, pending verification."""
    domain.check_details(cmd.details)
    async with uow:
        await _check_jurisdiction(uow, cmd.details.jurisdiction_id)
        org = Organisation(id=cmd.organisation_id or new_id(), details=cmd.details)
        if await store.load(uow.session, org.id) is not None:
            raise AlreadyExists(f"organisation {org.id} already exists")
        await store.add(uow.session, org, stamp(uow))
        view = await _view(uow.session, org.id)
        uow.emit(f"{SUBJECT}.created", convert.organisation_changed(view, org.verification_state))
        uow.audit(convert.organisation_name(org.id), "create", _details_json(org.details))
        await uow.commit()
    return view


async def update_organisation(uow: UnitOfWork, cmd: UpdateOrganisation) -> OrganisationView:
    """Change the fields named in cmd.paths (admins, or members of the organisation)."""
    check_paths(cmd.paths, UPDATABLE)
    async with uow:
        org = await _load_visible(uow, cmd.organisation_id)
        if not domain.can_edit(uow.actor, org.id):
            raise PermissionDenied("only national admins and its own members edit an organisation")
        check_etag(cmd.etag, org.version, "organisation")
        changes = {UPDATABLE[p]: getattr(cmd.details, UPDATABLE[p]) for p in cmd.paths}
        before = _details_json(org.details)
        org.details = replace(org.details, **changes)
        domain.check_details(org.details)
        if "jurisdiction" in cmd.paths:
            await _check_jurisdiction(uow, org.details.jurisdiction_id)
        await store.save(uow.session, org, stamp(uow))
        view = await _view(uow.session, org.id)
        after = _details_json(org.details)
        changed = {k: [before[k], after[k]] for k in after if before[k] != after[k]}
        uow.emit(f"{SUBJECT}.updated", convert.organisation_changed(view, org.verification_state))
        uow.audit(convert.organisation_name(org.id), "update", {"changed": changed})
        await uow.commit()
    return view


async def _change_verification(
    uow: UnitOfWork, cmd: ChangeVerification, transition: Transition
) -> OrganisationView:
    async with uow:
        org = await _load_visible(uow, cmd.organisation_id)
        check_etag(cmd.etag, org.version, "organisation")
        previous = domain.change_verification(org, transition, cmd.reason, uow.clock.now())
        await store.save(uow.session, org, stamp(uow))
        view = await _view(uow.session, org.id)
        uow.emit(f"{SUBJECT}.{transition.event}", convert.organisation_changed(view, previous))
        uow.audit(
            convert.organisation_name(org.id),
            transition.action,
            {"from": previous.value, "to": org.verification_state.value, "reason": cmd.reason},
        )
        await uow.commit()
    return view


async def verify_organisation(uow: UnitOfWork, cmd: ChangeVerification) -> OrganisationView:
    """pending or rejected -> verified."""
    return await _change_verification(uow, cmd, domain.VERIFY)


async def reject_organisation(uow: UnitOfWork, cmd: ChangeVerification) -> OrganisationView:
    """pending -> rejected (reason required)."""
    return await _change_verification(uow, cmd, domain.REJECT)


async def suspend_organisation(uow: UnitOfWork, cmd: ChangeVerification) -> OrganisationView:
    """verified -> suspended (reason required)."""
    return await _change_verification(uow, cmd, domain.SUSPEND)


async def reinstate_organisation(uow: UnitOfWork, cmd: ChangeVerification) -> OrganisationView:
    """suspended -> verified."""
    return await _change_verification(uow, cmd, domain.REINSTATE)
