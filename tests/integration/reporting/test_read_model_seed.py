"""The seeded read model migrates and loads on both databases."""

from __future__ import annotations

from sqlalchemy import func, select

from services.reporting.orm.read_model import known_jurisdictions


async def test_places_seed_a_tree_with_paths(reporting_deps, places) -> None:
    async with reporting_deps.sessions() as session:
        under_north = await session.scalar(
            select(func.count()).where(known_jurisdictions.c.path.like(f"%/{places.north}/%"))
        )
    assert under_north == 2
