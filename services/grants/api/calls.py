"""RPCs of calls: drafting, opening and closing, reads, and which calls the caller may apply to."""

from __future__ import annotations

from typing import Any

from google.protobuf.field_mask_pb2 import FieldMask

from nlc.grants.v1 import calls_pb2 as pb
from services.common.auth import Role, current_principal
from services.common.errors import PermissionDenied
from services.common.field_masks import mask_paths
from services.common.field_parser import FieldParser
from services.common.grpc_server import ANY_AUTHENTICATED
from services.common.resource_names import parse_name, parse_optional_name
from services.grants.convert.calls import (
    COLLECTION,
    ORGANISATIONS,
    call_to_proto,
    from_pb,
    terms_from_proto,
)
from services.grants.deps import GrantsDeps
from services.grants.domain.calls import DRAFT_PATHS, CallState
from services.grants.handlers import calls as handlers
from services.grants.queries import calls as queries
from services.grants.queries.eligibility import eligible_calls

_PREFIX = "/nlc.grants.v1.GrantsService/"
MANAGERS = frozenset({Role.GRANT_MANAGER, Role.PLATFORM_ADMIN})
POLICIES: dict[str, Any] = {
    **{_PREFIX + m: MANAGERS for m in ("CreateCall", "UpdateCall", "OpenCall", "CloseCall")},
    **{_PREFIX + m: ANY_AUTHENTICATED for m in ("GetCall", "ListCalls", "ListEligibleCalls")},
}


def _partial(call: pb.Call, mask: FieldMask) -> pb.Call:
    """Only the masked fields of call (the rest left at their defaults)."""
    partial = pb.Call()
    for path in mask.paths:
        field = path.strip()
        descriptor = pb.Call.DESCRIPTOR.fields_by_name[field]
        if descriptor.message_type is not None and descriptor.label != descriptor.LABEL_REPEATED:
            if call.HasField(field):
                getattr(partial, field).CopyFrom(getattr(call, field))
        elif descriptor.label == descriptor.LABEL_REPEATED:
            getattr(partial, field).extend(getattr(call, field))
        else:
            setattr(partial, field, getattr(call, field))
    return partial


class CallsApi:
    """Call RPCs; who manages and who sees a call is decided in handlers and queries."""

    deps: GrantsDeps

    async def CreateCall(self, request: pb.CreateCallRequest, context: Any) -> Any:
        parse = FieldParser()
        c = request.call
        terms = terms_from_proto(parse, c)
        managing = parse(
            parse_optional_name,
            c.managing_organisation,
            ORGANISATIONS,
            field="call.managing_organisation",
        )
        parse.check()
        view = await handlers.create_call(
            self.deps.uow(current_principal()), handlers.CreateCall(terms, managing)
        )
        return call_to_proto(view)

    async def GetCall(self, request: pb.GetCallRequest, context: Any) -> Any:
        call_id = parse_name(request.name, COLLECTION)
        async with self.deps.sessions() as session:
            view = await queries.get_visible_call(session, call_id, current_principal())
        return call_to_proto(view)

    async def ListCalls(self, request: pb.ListCallsRequest, context: Any) -> Any:
        state = from_pb(CallState, request.state, field="state")
        async with self.deps.sessions() as session:
            page = await queries.list_calls(
                session,
                current_principal(),
                state=state,
                requested_size=request.page_size,
                token=request.page_token,
            )
        return pb.ListCallsResponse(
            calls=[call_to_proto(v) for v in page.items], next_page_token=page.next_page_token
        )

    async def UpdateCall(self, request: pb.UpdateCallRequest, context: Any) -> Any:
        c = request.call
        parse = FieldParser()
        call_id = parse(parse_name, c.name, COLLECTION, field="call.name")
        paths = parse(mask_paths, request.update_mask, DRAFT_PATHS) or set()
        partial = _partial(c, FieldMask(paths=sorted(paths)))
        terms = terms_from_proto(parse, partial, frozenset(paths))
        managing = parse(
            parse_optional_name,
            c.managing_organisation,
            ORGANISATIONS,
            field="call.managing_organisation",
        )
        parse.check()
        assert call_id is not None
        cmd = handlers.UpdateCall(call_id, terms, frozenset(paths), c.etag, managing)
        return call_to_proto(await handlers.update_call(self.deps.uow(current_principal()), cmd))

    async def OpenCall(self, request: pb.OpenCallRequest, context: Any) -> Any:
        cmd = handlers.CallRef(parse_name(request.name, COLLECTION))
        return call_to_proto(await handlers.open_call(self.deps.uow(current_principal()), cmd))

    async def CloseCall(self, request: pb.CloseCallRequest, context: Any) -> Any:
        cmd = handlers.CallRef(parse_name(request.name, COLLECTION))
        return call_to_proto(await handlers.close_call(self.deps.uow(current_principal()), cmd))

    async def ListEligibleCalls(self, request: pb.ListEligibleCallsRequest, context: Any) -> Any:
        actor = current_principal()
        if actor.org_id is None:
            raise PermissionDenied("your account is not linked to an organisation")
        async with self.deps.sessions() as session:
            found = await eligible_calls(
                session,
                actor.org_id,
                self.deps.clock.now(),
                include_ineligible=request.include_ineligible,
            )
        return pb.ListEligibleCallsResponse(
            calls=[
                pb.CallEligibility(call=call_to_proto(v), eligible=not reasons, reasons=reasons)
                for v, reasons in found
            ]
        )
