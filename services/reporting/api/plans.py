"""RPCs of action plans: drafting, the review workflow, versions, transitions and diffs."""

from __future__ import annotations

from typing import Any

from nlc.reporting.v1 import plans_pb2 as pb
from services.common.auth import Role, current_principal
from services.common.field_masks import mask_paths
from services.common.field_parser import FieldParser
from services.common.resource_names import parse_name, parse_optional_name
from services.reporting.convert import plans as convert
from services.reporting.convert.comments import comments_from_proto
from services.reporting.convert.plans import (
    COLLECTION,
    FIELD,
    JURISDICTIONS,
    ORGANISATIONS,
    PLAN_STATE,
    content_from_proto,
    plan_to_proto,
)
from services.reporting.deps import ReportingDeps
from services.reporting.handlers import plans as handlers
from services.reporting.queries import plans as queries

_PREFIX = "/nlc.reporting.v1.ReportingService/"
_ADMINS = frozenset({Role.NATIONAL_ADMIN, Role.PLATFORM_ADMIN})
WRITERS = _ADMINS | {Role.CITY_OFFICER}
REVIEWERS = _ADMINS | {Role.NATIONAL_REVIEWER}
READERS = WRITERS | REVIEWERS
POLICIES: dict[str, Any] = {
    **{
        _PREFIX + m: WRITERS
        for m in ("CreateActionPlan", "UpdateActionPlan", "SubmitActionPlan", "AmendActionPlan")
    },
    **{_PREFIX + m: REVIEWERS for m in ("RequestPlanChanges", "ApproveActionPlan")},
    **{
        _PREFIX + m: READERS
        for m in (
            "GetActionPlan",
            "GetActionPlanVersion",
            "ListActionPlans",
            "ListActionPlanVersions",
            "ListPlanTransitions",
            "DiffActionPlanVersions",
        )
    },
}


def _masked(plan: pb.ActionPlan, paths: set[str]) -> pb.ActionPlan:
    """Only the masked fields of plan (the rest left at their defaults)."""
    partial = pb.ActionPlan()
    for path in paths:
        descriptor = pb.ActionPlan.DESCRIPTOR.fields_by_name[path]
        if descriptor.is_repeated:
            getattr(partial, path).extend(getattr(plan, path))
        elif descriptor.message_type is not None:
            getattr(partial, path).CopyFrom(getattr(plan, path))
        else:
            setattr(partial, path, getattr(plan, path))
    return partial


def _plan_id(parse: FieldParser, name: str, field: str = "name") -> str:
    found = parse(parse_name, name, COLLECTION, field=field)
    return found or ""


class PlansApi:
    """Plan RPCs; ownership and review rights are checked in handlers and queries."""

    deps: ReportingDeps

    async def CreateActionPlan(self, request: pb.CreateActionPlanRequest, context: Any) -> Any:
        parse = FieldParser()
        p = request.action_plan
        content = content_from_proto(parse, p)
        owner = parse(
            parse_optional_name,
            p.owner_organisation,
            ORGANISATIONS,
            field=f"{FIELD}.owner_organisation",
        )
        place = parse(
            parse_optional_name, p.jurisdiction, JURISDICTIONS, field=f"{FIELD}.jurisdiction"
        )
        parse.check()
        cmd = handlers.CreatePlan(content, owner, place)
        view = await handlers.create_plan(self.deps.uow(current_principal()), cmd)
        return plan_to_proto(view)

    async def GetActionPlan(self, request: pb.GetActionPlanRequest, context: Any) -> Any:
        plan_id = parse_name(request.name, COLLECTION)
        async with self.deps.sessions() as session:
            view = await queries.get_visible_plan(session, plan_id, current_principal())
        return plan_to_proto(view)

    async def GetActionPlanVersion(
        self, request: pb.GetActionPlanVersionRequest, context: Any
    ) -> Any:
        plan_id, number = convert.parse_version_name(request.name)
        async with self.deps.sessions() as session:
            view = await queries.get_plan_version(session, plan_id, number, current_principal())
        return plan_to_proto(view)

    async def ListActionPlans(self, request: pb.ListActionPlansRequest, context: Any) -> Any:
        parse = FieldParser()
        owner = parse(
            parse_optional_name,
            request.owner_organisation,
            ORGANISATIONS,
            field="owner_organisation",
        )
        place = parse(
            parse_optional_name, request.jurisdiction, JURISDICTIONS, field="jurisdiction"
        )
        state = parse(PLAN_STATE.from_proto, request.state, field="state")
        parse.check()
        async with self.deps.sessions() as session:
            page = await queries.list_plans(
                session,
                current_principal(),
                owner_org_id=owner,
                jurisdiction_id=place,
                state=state,
                requested_size=request.page_size,
                token=request.page_token,
            )
        return pb.ListActionPlansResponse(
            action_plans=[plan_to_proto(v) for v in page.items],
            next_page_token=page.next_page_token,
        )

    async def ListActionPlanVersions(
        self, request: pb.ListActionPlanVersionsRequest, context: Any
    ) -> Any:
        plan_id = parse_name(request.name, COLLECTION)
        async with self.deps.sessions() as session:
            page = await queries.list_versions(
                session,
                plan_id,
                current_principal(),
                requested_size=request.page_size,
                token=request.page_token,
            )
        return pb.ListActionPlanVersionsResponse(
            versions=[plan_to_proto(v) for v in page.items],
            next_page_token=page.next_page_token,
        )

    async def UpdateActionPlan(self, request: pb.UpdateActionPlanRequest, context: Any) -> Any:
        parse = FieldParser()
        p = request.action_plan
        plan_id = _plan_id(parse, p.name, f"{FIELD}.name")
        paths = parse(mask_paths, request.update_mask, handlers.CONTENT_PATHS) or set()
        content = content_from_proto(parse, _masked(p, paths))
        parse.check()
        cmd = handlers.UpdatePlan(plan_id, content, frozenset(paths), p.etag)
        view = await handlers.update_plan(self.deps.uow(current_principal()), cmd)
        return plan_to_proto(view)

    async def SubmitActionPlan(self, request: pb.SubmitActionPlanRequest, context: Any) -> Any:
        cmd = handlers.SubmitPlan(parse_name(request.name, COLLECTION), request.etag, request.note)
        view = await handlers.submit_plan(self.deps.uow(current_principal()), cmd)
        return plan_to_proto(view)

    async def RequestPlanChanges(self, request: pb.RequestPlanChangesRequest, context: Any) -> Any:
        parse = FieldParser()
        plan_id = _plan_id(parse, request.name)
        if not request.reason.strip():
            parse.add("reason", "is required: say why the plan goes back")
        comments = comments_from_proto(parse, request.comments, "comments", known_anchors=None)
        parse.check()
        cmd = handlers.RequestChanges(plan_id, request.reason, comments, request.etag)
        view = await handlers.request_changes(self.deps.uow(current_principal()), cmd)
        return plan_to_proto(view)

    async def ApproveActionPlan(self, request: pb.ApproveActionPlanRequest, context: Any) -> Any:
        cmd = handlers.ApprovePlan(parse_name(request.name, COLLECTION), request.note, request.etag)
        view = await handlers.approve_plan(self.deps.uow(current_principal()), cmd)
        return plan_to_proto(view)

    async def AmendActionPlan(self, request: pb.AmendActionPlanRequest, context: Any) -> Any:
        cmd = handlers.AmendPlan(parse_name(request.name, COLLECTION), request.reason)
        view = await handlers.amend_plan(self.deps.uow(current_principal()), cmd)
        return plan_to_proto(view)

    async def ListPlanTransitions(
        self, request: pb.ListPlanTransitionsRequest, context: Any
    ) -> Any:
        plan_id = parse_name(request.name, COLLECTION)
        async with self.deps.sessions() as session:
            page = await queries.list_transitions(
                session,
                plan_id,
                current_principal(),
                requested_size=request.page_size,
                token=request.page_token,
            )
        return pb.ListPlanTransitionsResponse(
            transitions=[convert.transition_to_proto(t) for t in page.items],
            next_page_token=page.next_page_token,
        )

    async def DiffActionPlanVersions(
        self, request: pb.DiffActionPlanVersionsRequest, context: Any
    ) -> Any:
        parse = FieldParser()
        plan_id = _plan_id(parse, request.name)
        if request.from_version < 1:
            parse.add("from_version", "is required: a version number, 1 or more")
        if request.to_version < 0:
            parse.add("to_version", "must be a version number, or 0 for the current version")
        parse.check()
        async with self.deps.sessions() as session:
            view = await queries.diff_versions(
                session, plan_id, current_principal(), request.from_version, request.to_version
            )
        return convert.diff_to_proto(view)
