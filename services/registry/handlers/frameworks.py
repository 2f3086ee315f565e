"""Framework use cases: draft, update, consult, comment, adopt (and distribute), acknowledge."""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace
from datetime import date

from services.common.auth import Role
from services.common.clock import today
from services.common.errors import FailedPrecondition, NotFound, PermissionDenied, invalid
from services.common.resource_names import new_id
from services.common.uow import UnitOfWork
from services.common.versioned import first_version
from services.registry.convert import frameworks as convert
from services.registry.domain import frameworks as domain
from services.registry.domain.frameworks import (
    Framework,
    FrameworkContent,
    FrameworkKind,
    FrameworkState,
)
from services.registry.domain.organisations import OrganisationKind
from services.registry.handlers import check_etag, check_paths, stamp
from services.registry.orm import frameworks as store
from services.registry.orm import jurisdictions as jurisdiction_store
from services.registry.queries.frameworks import (
    CommentView,
    DistributionView,
    find_distribution,
    get_framework,
    get_visible_framework,
    verified_local_governments,
)
from services.registry.queries.organisations import get_visible_organisation

SUBJECT = "nlc.registry.framework"


@dataclass(frozen=True)
class CreateFramework:
    kind: FrameworkKind | None
    issuing_organisation_id: str
    jurisdiction_id: str
    content: FrameworkContent
    framework_id: str | None = None


@dataclass(frozen=True)
class UpdateFramework:
    framework_id: str
    content: FrameworkContent
    paths: frozenset[str]
    etag: str = ""


@dataclass(frozen=True)
class OpenConsultation:
    framework_id: str
    closes_on: date


@dataclass(frozen=True)
class CommentOnFramework:
    framework_id: str
    anchor_code: str
    text: str


@dataclass(frozen=True)
class AdoptFramework:
    framework_id: str


@dataclass(frozen=True)
class AcknowledgeFramework:
    framework_id: str
    organisation_id: str


async def _check_references(uow: UnitOfWork, cmd: CreateFramework) -> None:
    try:
        issuer = await get_visible_organisation(uow.session, cmd.issuing_organisation_id, uow.actor)
    except NotFound:
        raise invalid("framework.issuing_organisation", "no such organisation") from None
    if issuer.details.kind is not OrganisationKind.NATIONAL_AGENCY:
        raise invalid("framework.issuing_organisation", "must be a national agency")
    if await jurisdiction_store.load(uow.session, cmd.jurisdiction_id) is None:
        raise invalid("framework.jurisdiction", "no such jurisdiction")


async def _save(uow: UnitOfWork, after: Framework, event: str) -> Framework:
    await store.save(uow.session, after, stamp(uow))
    view = await get_framework(uow.session, after.id)
    uow.emit(f"{SUBJECT}.{event}", convert.framework_changed(view))
    return view


async def create_framework(uow: UnitOfWork, cmd: CreateFramework) -> Framework:
    """Draft a national framework (national or platform admins)."""
    domain.check_new(cmd.content, cmd.kind)
    assert cmd.kind is not None
    async with uow:
        await _check_references(uow, cmd)
        framework = Framework(
            id=cmd.framework_id or new_id(),
            kind=cmd.kind,
            issuing_organisation_id=cmd.issuing_organisation_id,
            jurisdiction_id=cmd.jurisdiction_id,
            content=cmd.content,
            state=FrameworkState.DRAFT,
            consultation_closes=None,
            adopted_at=None,
            **first_version(stamp(uow)),
        )
        await store.add(uow.session, framework)
        uow.emit(f"{SUBJECT}.created", convert.framework_changed(framework))
        uow.audit(convert.framework_name(framework.id), "create", {"title": cmd.content.title})
        await uow.commit()
    return framework


async def update_framework(uow: UnitOfWork, cmd: UpdateFramework) -> Framework:
    """Change title, summary, pillars, indicators or document link while draft or consulted."""
    check_paths(cmd.paths, domain.EDITABLE_FIELDS)
    async with uow:
        framework = await get_framework(uow.session, cmd.framework_id)
        check_etag(cmd.etag, framework.version, "framework")
        domain.require_editable(framework.state)
        changes = {p: getattr(cmd.content, p) for p in cmd.paths}
        content = replace(framework.content, **changes)
        domain.check_update(content)
        view = await _save(uow, replace(framework, content=content), "updated")
        uow.audit(convert.framework_name(view.id), "update", {"changed": sorted(cmd.paths)})
        await uow.commit()
    return view


async def open_consultation(uow: UnitOfWork, cmd: OpenConsultation) -> Framework:
    """Draft → consultation, taking comments until closes_on (inclusive)."""
    async with uow:
        framework = await get_framework(uow.session, cmd.framework_id)
        domain.check_consultation_opening(framework.state, cmd.closes_on, today(uow.clock))
        opened = replace(
            framework, state=FrameworkState.CONSULTATION, consultation_closes=cmd.closes_on
        )
        view = await _save(uow, opened, "consultation_opened")
        details = {"closes_on": cmd.closes_on.isoformat()}
        uow.audit(convert.framework_name(view.id), "open_consultation", details)
        await uow.commit()
    return view


async def _commenting_organisation(uow: UnitOfWork) -> str | None:
    actor = uow.actor
    if domain.is_national_commenter(actor):
        return actor.org_id
    if not actor.has_any(Role.CITY_OFFICER) or actor.org_id is None:
        raise PermissionDenied("only local governments and national bodies comment")
    try:
        org = await get_visible_organisation(uow.session, actor.org_id, actor)
    except NotFound:
        raise PermissionDenied("your organisation is not registered") from None
    if org.details.kind is not OrganisationKind.LOCAL_GOVERNMENT:
        raise PermissionDenied("only city officers of a local government comment")
    return org.id


async def comment_on_framework(uow: UnitOfWork, cmd: CommentOnFramework) -> CommentView:
    """Comment while consultation is open (local governments and national roles)."""
    async with uow:
        framework = await get_visible_framework(uow.session, cmd.framework_id, uow.actor)
        domain.check_comment_window(
            framework.state, framework.consultation_closes, today(uow.clock)
        )
        domain.check_comment(framework.content, cmd.anchor_code, cmd.text)
        comment = CommentView(
            id=new_id(),
            framework_id=framework.id,
            organisation_id=await _commenting_organisation(uow),
            anchor_code=cmd.anchor_code,
            text=cmd.text.strip(),
            author_username=uow.actor.username,
            created_at=uow.clock.now(),
        )
        await store.add_comment(uow.session, {**asdict(comment), "author_sub": uow.actor.sub})
        uow.emit(f"{SUBJECT}.commented", convert.framework_commented(comment))
        uow.audit(convert.comment_name(comment), "comment", {"anchor_code": cmd.anchor_code})
        await uow.commit()
    return comment


async def adopt_framework(uow: UnitOfWork, cmd: AdoptFramework) -> Framework:
    """Adopt, and distribute to every verified local government in the framework's area."""
    async with uow:
        framework = await get_framework(uow.session, cmd.framework_id)
        domain.check_adoption(framework.state)
        now = uow.clock.now()
        adopted = replace(framework, state=FrameworkState.ADOPTED, adopted_at=now)
        view = await _save(uow, adopted, "adopted")
        recipients = await verified_local_governments(uow.session, framework.jurisdiction_id)
        for org_id, display_name in recipients:
            await store.add_distribution(uow.session, framework.id, org_id, display_name, now)
            sent = await find_distribution(uow.session, framework.id, org_id, now)
            assert sent is not None
            uow.emit(f"{SUBJECT}.distributed", convert.distribution_changed(sent))
        details = {"distributed_to": [org_id for org_id, _ in recipients]}
        uow.audit(convert.framework_name(view.id), "adopt", details)
        await uow.commit()
    return view


async def acknowledge_framework(uow: UnitOfWork, cmd: AcknowledgeFramework) -> DistributionView:
    """A local government confirms it received an adopted framework; repeating changes nothing."""
    async with uow:
        await get_visible_framework(uow.session, cmd.framework_id, uow.actor)
        org = await get_visible_organisation(uow.session, cmd.organisation_id, uow.actor)
        if uow.actor.org_id != org.id:
            raise PermissionDenied("only the local government itself acknowledges a framework")
        now = uow.clock.now()
        if await find_distribution(uow.session, cmd.framework_id, org.id, now) is None:
            raise FailedPrecondition("this framework has not been distributed to the organisation")
        changed = await store.acknowledge(
            uow.session, cmd.framework_id, org.id, now, uow.actor.username
        )
        view = await find_distribution(uow.session, cmd.framework_id, org.id, now)
        assert view is not None
        if changed:
            uow.emit(f"{SUBJECT}.acknowledged", convert.distribution_changed(view))
            uow.audit(
                convert.framework_name(cmd.framework_id), "acknowledge", {"organisation": org.id}
            )
            await uow.commit()
    return view
