"""RPCs of the tamper-evident audit chain: list its records and verify it (auditors only)."""

from __future__ import annotations

from typing import Any

from nlc.infoshare.v1 import infoshare_pb2 as pb
from services.common.errors import invalid
from services.common.field_parser import FieldParser
from services.common.text import text_problem
from services.infoshare.convert.audit import audit_record_to_proto, verdict_to_proto
from services.infoshare.deps import InfoshareDeps
from services.infoshare.domain.access import AUDITORS
from services.infoshare.queries import audit as queries

_PREFIX = "/nlc.infoshare.v1.InfoshareService/"
POLICIES: dict[str, Any] = {
    _PREFIX + "ListAuditRecords": AUDITORS,
    _PREFIX + "VerifyAuditChain": AUDITORS,
}
MAX_RESOURCE = 255


def _resource(name: str) -> str | None:
    """The resource filter: empty for every record, else a resource name such as `shares/{id}`."""
    if not name:
        return None
    problem = text_problem(name, MAX_RESOURCE)
    if problem is None and "/" not in name.strip("/"):
        problem = "must be a resource name such as 'shares/{id}'"
    if problem:
        raise invalid("resource", problem)
    return name


class AuditApi:
    """Audit RPCs; auditors see every organisation's records, so there is no ownership filter."""

    deps: InfoshareDeps

    async def ListAuditRecords(self, request: pb.ListAuditRecordsRequest, context: Any) -> Any:
        parse = FieldParser()
        resource = parse(_resource, request.resource)
        parse.check()
        async with self.deps.sessions() as session:
            page = await queries.list_audit_records(
                session,
                resource=resource,
                requested_size=request.page_size,
                token=request.page_token,
            )
        return pb.ListAuditRecordsResponse(
            records=[audit_record_to_proto(link) for link in page.items],
            next_page_token=page.next_page_token,
        )

    async def VerifyAuditChain(self, request: pb.VerifyAuditChainRequest, context: Any) -> Any:
        async with self.deps.sessions() as session:
            verdict = await queries.verify_audit_chain(session, self.deps.keyring)
        return verdict_to_proto(verdict)
