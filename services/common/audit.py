"""The read side of the audit log: a resource's change history, whole or a page at a time."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.engine import Row
from sqlalchemy.ext.asyncio import AsyncSession

from services.common.errors import invalid
from services.common.kit_tables import audit_log
from services.common.paging import Page, fetch_page
from services.common.records import from_row
from services.common.text import has_control_characters


@dataclass(frozen=True)
class AuditRecord:
    """One audited change of a resource."""

    id: str
    resource: str
    action: str
    actor_sub: str
    actor_username: str
    actor_org_id: str | None
    occurred_at: datetime
    details: dict[str, Any]


def _history(resource: str) -> Select[Any]:
    return select(audit_log).where(audit_log.c.resource == resource).order_by(audit_log.c.seq)


def _record(row: Row[Any]) -> AuditRecord:
    return from_row(AuditRecord, row, details=dict(row.details_json))


async def audit_history(session: AsyncSession, resource: str) -> list[AuditRecord]:
    """Every audited change of resource, oldest first (newest last)."""
    return [_record(row) for row in await session.execute(_history(resource))]


async def audit_page(
    session: AsyncSession, resource: str, *, requested_size: int = 0, token: str = ""
) -> Page[AuditRecord]:
    """One page of resource's audited changes, oldest first."""
    query, fingerprint = _history(resource), {"resource": resource}
    return await fetch_page(
        session, query, _record, fingerprint, requested_size=requested_size, token=token
    )


MAX_RESOURCE = 512
# Roles that read any resource's history (realm role names).
HISTORY_READERS = ("auditor", "national-admin", "platform-admin")


def audited_resource(resource: str) -> str:
    """A resource name whose history is asked for; InvalidArgument on `resource` if malformed."""
    if not resource:
        raise invalid("resource", "is required, e.g. organisations/{id}")
    if len(resource) > MAX_RESOURCE or has_control_characters(resource):
        raise invalid("resource", f"must be a resource name of at most {MAX_RESOURCE} characters")
    return resource
