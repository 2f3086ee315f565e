"""RPCs of applications: drafting, saving as you type, submitting, withdrawing, match state."""

from __future__ import annotations

from typing import Any

from nlc.grants.v1 import applications_pb2 as pb
from services.common.auth import Role, current_principal
from services.common.field_masks import mask_paths
from services.common.field_parser import FieldParser
from services.common.grpc_server import ANY_AUTHENTICATED
from services.common.resource_names import parse_name, parse_optional_name
from services.grants.convert.applications import (
    COLLECTION,
    application_to_proto,
    content_from_proto,
    from_pb,
)
from services.grants.convert.calls import COLLECTION as CALLS
from services.grants.convert.calls import ORGANISATIONS
from services.grants.deps import GrantsDeps
from services.grants.domain.applications import ApplicationState, MatchState
from services.grants.handlers import applications as handlers
from services.grants.handlers.submission import Submission, SubmitApplication
from services.grants.queries import applications as queries

_PREFIX = "/nlc.grants.v1.GrantsService/"
APPLICANTS = frozenset({Role.CSO_MEMBER})
POLICIES: dict[str, Any] = {
    **{
        _PREFIX + m: APPLICANTS
        for m in (
            "CreateApplication",
            "UpdateApplication",
            "SubmitApplication",
            "WithdrawApplication",
        )
    },
    _PREFIX + "ChangeMatchState": frozenset({Role.CSO_MEMBER, Role.GRANT_MANAGER}),
    **{_PREFIX + m: ANY_AUTHENTICATED for m in ("GetApplication", "ListApplications")},
}


class ApplicationsApi:
    """Application RPCs; ownership and visibility are checked in handlers and queries."""

    deps: GrantsDeps

    async def CreateApplication(self, request: pb.CreateApplicationRequest, context: Any) -> Any:
        a = request.application
        parse = FieldParser()
        call_id = parse(parse_name, a.call, CALLS, field="application.call")
        applicant = parse(
            parse_optional_name,
            a.applicant_organisation,
            ORGANISATIONS,
            field="application.applicant_organisation",
        )
        content = content_from_proto(parse, a)
        parse.check()
        assert call_id is not None
        cmd = handlers.CreateApplication(call_id, content, applicant)
        view = await handlers.create_application(self.deps.uow(current_principal()), cmd)
        return application_to_proto(view)

    async def GetApplication(self, request: pb.GetApplicationRequest, context: Any) -> Any:
        app_id = parse_name(request.name, COLLECTION)
        async with self.deps.sessions() as session:
            view = await queries.get_visible_application(session, app_id, current_principal())
        return application_to_proto(view)

    async def ListApplications(self, request: pb.ListApplicationsRequest, context: Any) -> Any:
        parse = FieldParser()
        call_id = parse(parse_optional_name, request.call, CALLS, field="call")
        state = parse(from_pb, ApplicationState, request.state, field="state")
        parse.check()
        async with self.deps.sessions() as session:
            page = await queries.list_applications(
                session,
                current_principal(),
                call_id=call_id,
                state=state,
                requested_size=request.page_size,
                token=request.page_token,
            )
        return pb.ListApplicationsResponse(
            applications=[application_to_proto(v) for v in page.items],
            next_page_token=page.next_page_token,
        )

    async def UpdateApplication(self, request: pb.UpdateApplicationRequest, context: Any) -> Any:
        a = request.application
        parse = FieldParser()
        app_id = parse(parse_name, a.name, COLLECTION, field="application.name")
        paths = parse(mask_paths, request.update_mask, handlers.UPDATABLE) or set()
        content = content_from_proto(parse, a)
        parse.check()
        assert app_id is not None
        cmd = handlers.UpdateApplication(app_id, content, frozenset(paths), a.etag)
        view = await handlers.update_application(self.deps.uow(current_principal()), cmd)
        return application_to_proto(view)

    async def SubmitApplication(self, request: pb.SubmitApplicationRequest, context: Any) -> Any:
        cmd = SubmitApplication(parse_name(request.name, COLLECTION), request.etag)
        view = await self.deps.submissions(Submission(current_principal(), cmd))
        return application_to_proto(view)

    async def WithdrawApplication(
        self, request: pb.WithdrawApplicationRequest, context: Any
    ) -> Any:
        cmd = handlers.WithdrawApplication(parse_name(request.name, COLLECTION), request.reason)
        view = await handlers.withdraw_application(self.deps.uow(current_principal()), cmd)
        return application_to_proto(view)

    async def ChangeMatchState(self, request: pb.ChangeMatchStateRequest, context: Any) -> Any:
        parse = FieldParser()
        app_id = parse(parse_name, request.application, COLLECTION, field="application")
        state = parse(from_pb, MatchState, request.state, field="state")
        if not request.commitment_id:
            parse.add("commitment_id", "is required")
        parse.check()
        assert app_id is not None
        cmd = handlers.ChangeMatch(
            app_id, request.commitment_id, state or MatchState.PLEDGED, request.evidence_reference
        )
        view = await handlers.change_match(self.deps.uow(current_principal()), cmd)
        return application_to_proto(view)
