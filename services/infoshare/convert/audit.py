"""Audit chain records and verdicts to protobuf."""

from __future__ import annotations

from nlc.infoshare.v1 import infoshare_pb2, shares_pb2
from services.common.resource_names import optional_name, to_timestamp
from services.infoshare.convert import ORGANISATIONS, PURPOSES
from services.infoshare.domain.chain import ChainVerdict, StoredLink


def audit_record_to_proto(link: StoredLink) -> shares_pb2.AuditRecord:
    entry = link.entry
    return shares_pb2.AuditRecord(
        sequence=link.sequence,
        time=to_timestamp(entry.occurred_at),
        actor_sub=entry.actor_sub,
        actor_username=entry.actor_username,
        actor_organisation=optional_name(ORGANISATIONS, entry.actor_org_id),
        token_id=entry.token_id,
        action=entry.action,
        resource=entry.resource,
        purpose=optional_name(PURPOSES, entry.purpose),
        agreement_version=entry.agreement_version,
        decision=str(entry.decision),
        reason=entry.reason,
        previous_hash=link.previous_hash,
        hash=link.hash,
    )


def verdict_to_proto(verdict: ChainVerdict) -> infoshare_pb2.VerifyAuditChainResponse:
    return infoshare_pb2.VerifyAuditChainResponse(
        intact=verdict.intact,
        records_checked=verdict.records_checked,
        first_broken_sequence=verdict.first_broken_sequence,
        problem=verdict.problem,
    )
