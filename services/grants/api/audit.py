"""The change history of one call, application or award."""

from __future__ import annotations

from typing import Any

from nlc.grants.v1 import grants_pb2 as pb
from services.common.audit import HISTORY_READERS, audit_page, audited_resource
from services.common.auth import Principal, current_principal
from services.common.errors import NotFound, quoted
from services.common.grpc_server import ANY_AUTHENTICATED
from services.common.proto_values import audit_entry_to_proto
from services.grants.deps import GrantsDeps
from services.grants.queries.applications import get_visible_application
from services.grants.queries.awards import get_visible_award
from services.grants.queries.calls import get_visible_call

POLICIES: dict[str, Any] = {"/nlc.grants.v1.GrantsService/ListAuditEntries": ANY_AUTHENTICATED}
VISIBLE = {
    "calls": get_visible_call,
    "applications": get_visible_application,
    "awards": get_visible_award,
}


async def _require_visible(session: Any, resource: str, actor: Principal) -> None:
    """NotFound unless resource is a call, application or award the actor may see."""
    collection, _, resource_id = resource.partition("/")
    check = VISIBLE.get(collection)
    if check is None or not resource_id or "/" in resource_id:
        raise NotFound(f"{quoted(resource)} not found")
    await check(session, resource_id, actor)


class AuditApi:
    """Auditors and admins read any history; others the history of what they may see."""

    deps: GrantsDeps

    async def ListAuditEntries(self, request: pb.ListAuditEntriesRequest, context: Any) -> Any:
        resource = audited_resource(request.resource)
        actor = current_principal()
        async with self.deps.sessions() as session:
            if not actor.has_any(*HISTORY_READERS):
                await _require_visible(session, resource, actor)
            page = await audit_page(
                session, resource, requested_size=request.page_size, token=request.page_token
            )
        return pb.ListAuditEntriesResponse(
            entries=[audit_entry_to_proto(e) for e in page.items],
            next_page_token=page.next_page_token,
        )
