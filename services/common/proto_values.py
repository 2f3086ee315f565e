"""Values shared by every service's protobuf conversions: audit info and entries, money."""

from __future__ import annotations

import json
from typing import Any

from nlc.common.v1 import common_pb2
from services.common.money import Money, parse_money
from services.common.resource_names import to_timestamp
from services.common.uow import AuditRecord


def audit_info(view: Any) -> common_pb2.AuditInfo:
    """AuditInfo from a view's created/updated stamps."""
    return common_pb2.AuditInfo(
        create_time=to_timestamp(view.created_at),
        update_time=to_timestamp(view.updated_at),
        created_by=view.created_by,
        updated_by=view.updated_by,
    )


def money_to_proto(money: Money | None) -> common_pb2.Money | None:
    """A Money message, or None to leave the field unset."""
    if money is None:
        return None
    return common_pb2.Money(currency_code=money.currency_code, minor_units=money.minor_units)


def money_from_proto(message: common_pb2.Money, *, field: str) -> Money:
    """Checked Money (3-letter code, not negative) from an API field."""
    return parse_money(message.currency_code, message.minor_units, field=field)


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
