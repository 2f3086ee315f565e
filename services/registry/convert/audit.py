"""Audit records to protobuf audit entries."""

from __future__ import annotations

import json

from nlc.common.v1 import common_pb2
from services.common.resource_names import to_timestamp
from services.common.uow import AuditRecord


def audit_entry_to_proto(record: AuditRecord) -> common_pb2.AuditEntry:
    """One entry of a resource's change history."""
    return common_pb2.AuditEntry(
        resource=record.resource,
        action=record.action,
        actor_sub=record.actor_sub,
        actor_username=record.actor_username,
        actor_org_id=record.actor_org_id or "",
        time=to_timestamp(record.occurred_at),
        details_json=json.dumps(record.details, sort_keys=True, default=str),
    )
