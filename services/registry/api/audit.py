"""The change history of one registry resource."""

from __future__ import annotations

from typing import Any

from nlc.registry.v1 import registry_pb2 as pb
from services.common.audit import HISTORY_READERS, audit_page, audited_resource
from services.common.auth import current_principal
from services.common.errors import NotFound, quoted
from services.common.grpc_server import ANY_AUTHENTICATED
from services.common.paging import page_reply, paging
from services.common.proto_values import audit_entry_to_proto
from services.registry.api.base import RegistryApi, policies
from services.registry.queries import audit as queries

POLICIES: dict[str, Any] = policies(("ListAuditEntries",), ANY_AUTHENTICATED)


class AuditApi(RegistryApi):
    """Auditors and admins read any resource's history; members read their organisation's."""

    async def ListAuditEntries(self, request: pb.ListAuditEntriesRequest, context: Any) -> Any:
        resource = audited_resource(request.resource)
        actor = current_principal()
        async with self.deps.sessions() as session:
            if not actor.has_any(*HISTORY_READERS):
                owner = await queries.owning_organisation(session, resource)
                if owner is None or owner != actor.org_id:
                    raise NotFound(f"{quoted(resource)} not found")
            page = await audit_page(session, resource, **paging(request))
        return page_reply(pb.ListAuditEntriesResponse, "entries", page, audit_entry_to_proto)
