"""Mandate use case: record a new version of a local government's prevention mandate."""

from __future__ import annotations

from dataclasses import dataclass

from services.common.clock import today
from services.common.errors import NotFound, PermissionDenied, invalid
from services.common.uow import UnitOfWork
from services.registry.convert import mandates as convert
from services.registry.domain import mandates as domain
from services.registry.domain.mandates import MandateTerms, MandateVersion
from services.registry.domain.organisations import OrganisationKind
from services.registry.orm import mandates as store
from services.registry.queries.mandates import latest_mandate
from services.registry.queries.organisations import get_visible_organisation

SUBJECT = "nlc.registry.mandate"


@dataclass(frozen=True)
class SetMandate:
    organisation_id: str
    terms: MandateTerms
    expected_version: int = 0


async def _check_overseeing_body(uow: UnitOfWork, org_id: str | None) -> None:
    field = "mandate.reporting_obligation.overseeing_body"
    if org_id is None:
        return
    try:
        body = await get_visible_organisation(uow.session, org_id, uow.actor)
    except NotFound:
        raise invalid(field, "no such organisation") from None
    if body.details.kind is not OrganisationKind.NATIONAL_AGENCY:
        raise invalid(field, "must be a national agency")


def _audit_details(m: MandateVersion) -> dict[str, object]:
    t = m.terms
    return {
        "version": m.version,
        "sources": [str(s) for s in t.sources],
        "scope": str(t.scope),
        "institutional_model": str(t.institutional_model),
        "effective_from": t.effective_from.isoformat() if t.effective_from else None,
        "change_note": t.change_note,
    }


async def set_mandate(uow: UnitOfWork, cmd: SetMandate) -> MandateVersion:
    """Append a version to the mandate (its city officers, national or platform admins)."""
    async with uow:
        org = await get_visible_organisation(uow.session, cmd.organisation_id, uow.actor)
        if not domain.may_set_mandate(uow.actor, org.id):
            raise PermissionDenied("only the city's own officers and national admins set a mandate")
        domain.require_local_government(org.details.kind)
        current = await store.current_version(uow.session, org.id)
        domain.check_terms(cmd.terms, current_version=current)
        await _check_overseeing_body(uow, cmd.terms.reporting_obligation.overseeing_body_id)
        version = domain.next_version(current, cmd.expected_version)
        now = uow.clock.now()
        recorded = MandateVersion(
            organisation_id=org.id,
            version=version,
            terms=domain.normalised(cmd.terms, today=today(uow.clock)),
            created_at=now,
            created_by=uow.actor.sub,
            recorded_at=now,
            recorded_by=uow.actor.sub,
        )
        await store.append(uow.session, recorded)
        view = await latest_mandate(uow.session, org.id)
        assert view is not None
        uow.emit(f"{SUBJECT}.set", convert.mandate_set(view))
        uow.audit(convert.mandate_name(org.id), "set", _audit_details(view))
        await uow.commit()
    return view
