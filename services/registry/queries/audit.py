"""A resource's change history, one page at a time."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from services.common.kit_tables import audit_log
from services.common.paging import decode_token, next_token, page_size
from services.common.uow import AuditRecord
from services.registry.orm.bodies import coordination_bodies
from services.registry.orm.frameworks import frameworks
from services.registry.queries import Page


async def list_audit_entries(
    session: AsyncSession, resource: str, *, requested_size: int = 0, token: str = ""
) -> Page[AuditRecord]:
    """Audit entries of resource, oldest first."""
    fingerprint = {"resource": resource}
    size = page_size(requested_size)
    offset = decode_token(token, fingerprint)
    rows = await session.execute(
        select(audit_log)
        .where(audit_log.c.resource == resource)
        .order_by(audit_log.c.seq)
        .offset(offset)
        .limit(size + 1)
    )
    items = [
        AuditRecord(
            id=row.id,
            resource=row.resource,
            action=row.action,
            actor_sub=row.actor_sub,
            actor_username=row.actor_username,
            actor_org_id=row.actor_org_id,
            occurred_at=row.occurred_at,
            details=dict(row.details_json),
        )
        for row in rows
    ]
    return Page(items[:size], next_token(offset, size, len(items), fingerprint))


async def owning_organisation(session: AsyncSession, resource: str) -> str | None:
    """The id of the organisation a resource belongs to, or None (unknown or not owned)."""
    parts = resource.split("/")
    if len(parts) < 2 or not parts[1]:
        return None
    collection, resource_id = parts[0], parts[1]
    if collection == "organisations":
        return resource_id
    if collection == "coordinationBodies":
        column = coordination_bodies.c.owner_organisation_id
        query = select(column).where(coordination_bodies.c.id == resource_id)
    elif collection == "frameworks" and len(parts) == 2:
        query = select(frameworks.c.issuing_organisation_id).where(frameworks.c.id == resource_id)
    else:
        return None
    return (await session.execute(query)).scalar_one_or_none()
