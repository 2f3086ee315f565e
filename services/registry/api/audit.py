"""The change history of one registry resource."""

from __future__ import annotations

from typing import Any

from nlc.registry.v1 import registry_pb2 as pb
from services.common.audit import audit_page
from services.common.auth import Role, current_principal
from services.common.errors import NotFound, invalid, quoted
from services.common.grpc_server import ANY_AUTHENTICATED
from services.common.proto_values import audit_entry_to_proto
from services.common.text import has_control_characters
from services.registry.api.base import RegistryApi, page_reply, paging, policies
from services.registry.queries import audit as queries

MAX_RESOURCE = 512
HISTORY_READERS = (Role.AUDITOR, Role.NATIONAL_ADMIN, Role.PLATFORM_ADMIN)
POLICIES: dict[str, Any] = policies(("ListAuditEntries",), ANY_AUTHENTICATED)


class AuditApi(RegistryApi):
    """Auditors and admins read any resource's history; members read their organisation's."""

    async def ListAuditEntries(self, request: pb.ListAuditEntriesRequest, context: Any) -> Any:
        resource = request.resource
        if not resource:
            raise invalid("resource", "is required, e.g. organisations/{id}")
        if len(resource) > MAX_RESOURCE or has_control_characters(resource):
            raise invalid(
                "resource", f"must be a resource name of at most {MAX_RESOURCE} characters"
            )
        actor = current_principal()
        async with self.deps.sessions() as session:
            if not actor.has_any(*HISTORY_READERS):
                owner = await queries.owning_organisation(session, resource)
                if owner is None or owner != actor.org_id:
                    raise NotFound(f"{quoted(resource)} not found")
            page = await audit_page(session, resource, **paging(request))
        return page_reply(pb.ListAuditEntriesResponse, "entries", page, audit_entry_to_proto)
