"""Coordination body use cases: create and update (the convener's city officers or admins)."""

from __future__ import annotations

from dataclasses import dataclass, replace

from services.common.errors import NotFound, PermissionDenied, ViolationCollector, invalid
from services.common.resource_names import new_id
from services.common.uow import UnitOfWork
from services.common.versioned import first_version
from services.registry.convert import bodies as convert
from services.registry.domain import bodies as domain
from services.registry.domain.bodies import BodyContent, CoordinationBody
from services.registry.handlers import check_etag, check_paths, stamp
from services.registry.orm import bodies as store
from services.registry.orm import jurisdictions as jurisdiction_store
from services.registry.queries.bodies import get_body
from services.registry.queries.organisations import get_visible_organisation

SUBJECT = "nlc.registry.coordination_body"
PREFIX = "coordination_body"
# Update-mask path -> attributes of BodyContent it replaces.
UPDATABLE = {
    "display_name": ("display_name",),
    "kind": ("kind",),
    "terms_of_reference": ("mandate_items", "decision_making", "communication"),
    "chairs": ("chairs",),
    "members": ("members",),
    "meeting_cadence": ("meeting_cadence",),
    "established_on": ("established_on",),
}


@dataclass(frozen=True)
class CreateCoordinationBody:
    owner_organisation_id: str
    jurisdiction_id: str
    content: BodyContent
    body_id: str | None = None


@dataclass(frozen=True)
class UpdateCoordinationBody:
    body_id: str
    content: BodyContent
    paths: frozenset[str]
    etag: str = ""


async def _check_organisations(uow: UnitOfWork, content: BodyContent) -> None:
    """Every chair's and member's organisation, when named, is one the caller can see."""
    c = ViolationCollector()
    named = [
        (f"{PREFIX}.chairs[{i}].organisation", x.organisation_id)
        for i, x in enumerate(content.chairs)
    ]
    named += [
        (f"{PREFIX}.members[{i}].organisation", m.organisation_id)
        for i, m in enumerate(content.members)
    ]
    for field, org_id in named:
        if org_id is None:
            continue
        try:
            await get_visible_organisation(uow.session, org_id, uow.actor)
        except NotFound:
            c.add(field, "no such organisation")
    c.raise_invalid("invalid coordination body")


def _audit_details(body: CoordinationBody) -> dict[str, object]:
    c = body.content
    return {
        "display_name": c.display_name,
        "kind": str(c.kind),
        "chairs": [x.person_name for x in c.chairs],
        "member_sectors": sorted(str(m.sector) for m in c.members),
        "meeting_cadence": str(c.meeting_cadence),
    }


async def create_coordination_body(
    uow: UnitOfWork, cmd: CreateCoordinationBody
) -> CoordinationBody:
    """Register a body convened by cmd.owner_organisation_id."""
    domain.check_content(cmd.content)
    async with uow:
        try:
            owner = await get_visible_organisation(
                uow.session, cmd.owner_organisation_id, uow.actor
            )
        except NotFound:
            raise invalid(f"{PREFIX}.owner_organisation", "no such organisation") from None
        if not domain.may_edit(uow.actor, owner.id):
            raise PermissionDenied("only the convener's city officers and admins register a body")
        if await jurisdiction_store.load(uow.session, cmd.jurisdiction_id) is None:
            raise invalid(f"{PREFIX}.jurisdiction", "no such jurisdiction")
        await _check_organisations(uow, cmd.content)
        body = CoordinationBody(
            id=cmd.body_id or new_id(),
            owner_organisation_id=owner.id,
            jurisdiction_id=cmd.jurisdiction_id,
            content=cmd.content,
            **first_version(stamp(uow)),
        )
        await store.add(uow.session, body)
        uow.emit(f"{SUBJECT}.created", convert.body_changed(body))
        uow.audit(convert.body_name(body.id), "create", _audit_details(body))
        await uow.commit()
    return body


async def update_coordination_body(
    uow: UnitOfWork, cmd: UpdateCoordinationBody
) -> CoordinationBody:
    """Change the parts of a body named in cmd.paths."""
    check_paths(cmd.paths, UPDATABLE)
    async with uow:
        body = await get_body(uow.session, cmd.body_id, uow.actor)
        if not domain.may_edit(uow.actor, body.owner_organisation_id):
            raise PermissionDenied("only the convener's city officers and admins edit a body")
        check_etag(cmd.etag, body.version, "coordination body")
        changes = {a: getattr(cmd.content, a) for p in cmd.paths for a in UPDATABLE[p]}
        content = replace(body.content, **changes)
        domain.check_content(content)
        await _check_organisations(uow, content)
        await store.save(uow.session, replace(body, content=content), stamp(uow))
        view = await get_body(uow.session, body.id, uow.actor)
        uow.emit(f"{SUBJECT}.updated", convert.body_changed(view))
        details = {"changed": sorted(cmd.paths), **_audit_details(view)}
        uow.audit(convert.body_name(view.id), "update", details)
        await uow.commit()
    return view
