"""Who owns a resource whose change history a caller asks for."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from services.registry.orm.bodies import coordination_bodies
from services.registry.orm.frameworks import frameworks


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
