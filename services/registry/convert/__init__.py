"""Views to protobuf resources and event messages: the parts every aggregate shares."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from nlc.common.v1 import common_pb2
from services.common.resource_names import to_timestamp


def audit_info(view: Any) -> common_pb2.AuditInfo:
    """AuditInfo from a view's created/updated stamps."""
    return common_pb2.AuditInfo(
        create_time=to_timestamp(view.created_at),
        update_time=to_timestamp(view.updated_at),
        created_by=view.created_by,
        updated_by=view.updated_by,
    )


def timestamp_or_none(value: datetime | None) -> Any:
    """A Timestamp for value, None to leave the field unset."""
    return to_timestamp(value) if value is not None else None
