"""Rows of `training_attestations` to and from the domain."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sqlalchemy import exists, insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.infoshare.domain.training import TRAINING_VALID_DAYS, TrainingAttestation
from services.infoshare.orm.tables import training_attestations as t


def attestation_from_row(row: Any) -> TrainingAttestation:
    return TrainingAttestation(
        id=row.id,
        user_sub=row.user_sub,
        username=row.username,
        organisation_id=row.organisation_id,
        course=row.course,
        completed_on=row.completed_on,
        recorded_at=row.recorded_at,
    )


async def has_current_training(session: AsyncSession, user_sub: str, today: date) -> bool:
    """True when user_sub attested training completed within the last 12 months (not later
    than today)."""
    since = today - timedelta(days=TRAINING_VALID_DAYS)
    query = select(exists().where(t.c.user_sub == user_sub, t.c.completed_on.between(since, today)))
    return bool(await session.scalar(query))


async def insert_attestation(session: AsyncSession, a: TrainingAttestation) -> None:
    await session.execute(
        insert(t).values(
            id=a.id,
            user_sub=a.user_sub,
            username=a.username,
            organisation_id=a.organisation_id,
            course=a.course,
            completed_on=a.completed_on,
            recorded_at=a.recorded_at,
        )
    )
