"""Tables `reviewers`, `reviewer_conflicts` and `reviews`, mapped to domain panels and reviews."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Column,
    PrimaryKeyConstraint,
    String,
    Table,
    Text,
    UniqueConstraint,
    insert,
    select,
)
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from services.common.db import UtcDateTime
from services.common.errors import Conflict
from services.common.records import from_records, to_record
from services.common.versioned import Stamp, insert_versioned, update_versioned, version_columns
from services.grants.domain.reviews import DeclaredConflict, Review, Reviewer, ReviewState, Score
from services.grants.orm import METADATA

reviewers = Table(
    "reviewers",
    METADATA,
    Column("call_id", String(36), nullable=False),
    Column("user_id", String(255), nullable=False),
    Column("username", String(255), nullable=False),
    Column("organisation_id", String(36), nullable=False),
    Column("registered_at", UtcDateTime, nullable=False),
    PrimaryKeyConstraint("call_id", "user_id"),
)

reviewer_conflicts = Table(
    "reviewer_conflicts",
    METADATA,
    Column("call_id", String(36), nullable=False),
    Column("user_id", String(255), nullable=False),
    Column("organisation_id", String(36), nullable=False),
    Column("reason", Text, nullable=False),
    Column("declared_at", UtcDateTime, nullable=False),
    PrimaryKeyConstraint("call_id", "user_id", "organisation_id"),
)

reviews = Table(
    "reviews",
    METADATA,
    Column("id", String(36), primary_key=True),
    Column("call_id", String(36), nullable=False, index=True),
    Column("application_id", String(36), nullable=False),
    Column("reviewer_user_id", String(255), nullable=False, index=True),
    Column("reviewer_username", String(255), nullable=False),
    Column("state", String(16), nullable=False),
    Column("scores", JSON, nullable=False),
    Column("overall_comment", Text, nullable=False),
    Column("submit_time", UtcDateTime, nullable=True),
    Column("recusal_reason", Text, nullable=False),
    *version_columns(),
    UniqueConstraint("application_id", "reviewer_user_id"),
)

_RACE = "someone else changed this panel at the same moment; try again"


async def load_reviewer(session: AsyncSession, call_id: str, user_id: str) -> Reviewer | None:
    """A panel member with their declared conflicts, or None."""
    found = await list_reviewers(session, call_id, user_id=user_id)
    return found[0] if found else None


async def list_reviewers(
    session: AsyncSession, call_id: str, *, user_id: str | None = None
) -> list[Reviewer]:
    """The call's panel by username (or just user_id), each with their conflicts."""
    query = select(reviewers).where(reviewers.c.call_id == call_id)
    conflicts = select(reviewer_conflicts).where(reviewer_conflicts.c.call_id == call_id)
    if user_id is not None:
        query = query.where(reviewers.c.user_id == user_id)
        conflicts = conflicts.where(reviewer_conflicts.c.user_id == user_id)
    declared: dict[str, list[DeclaredConflict]] = {}
    for c in await session.execute(conflicts.order_by(reviewer_conflicts.c.organisation_id)):
        conflict = DeclaredConflict(c.organisation_id, c.reason, c.declared_at)
        declared.setdefault(c.user_id, []).append(conflict)
    rows = await session.execute(query.order_by(reviewers.c.username, reviewers.c.user_id))
    return [
        Reviewer(
            call_id=r.call_id,
            user_id=r.user_id,
            username=r.username,
            organisation_id=r.organisation_id,
            registered_at=r.registered_at,
            conflicts=tuple(declared.get(r.user_id, ())),
        )
        for r in rows
    ]


async def _insert(session: AsyncSession, statement: Any) -> None:
    try:
        await session.execute(statement)
    except IntegrityError:
        raise Conflict(_RACE) from None


async def add_reviewer(session: AsyncSession, r: Reviewer) -> None:
    """Put r on the call's panel."""
    values = {
        "call_id": r.call_id,
        "user_id": r.user_id,
        "username": r.username,
        "organisation_id": r.organisation_id,
        "registered_at": r.registered_at,
    }
    await _insert(session, insert(reviewers).values(**values))


async def add_conflict(
    session: AsyncSession, call_id: str, user_id: str, c: DeclaredConflict
) -> None:
    """Record a reviewer's declared conflict with an organisation."""
    values = {
        "call_id": call_id,
        "user_id": user_id,
        "organisation_id": c.organisation_id,
        "reason": c.reason,
        "declared_at": c.declared_at,
    }
    await _insert(session, insert(reviewer_conflicts).values(**values))


def _moment(iso: str | None) -> datetime | None:
    return datetime.fromisoformat(iso) if iso else None


def _score_record(s: Score) -> dict[str, Any]:
    """A score as JSON; the moderation time as ISO text."""
    at = s.moderated_at.isoformat() if s.moderated_at else None
    return to_record(s) | {"moderated_at": at}


def to_review(row: Any) -> Review:
    """A domain review from a `reviews` row."""
    return Review(
        id=row.id,
        call_id=row.call_id,
        application_id=row.application_id,
        reviewer_user_id=row.reviewer_user_id,
        reviewer_username=row.reviewer_username,
        state=ReviewState(row.state),
        scores=from_records(Score, row.scores, moderated_at=_moment),
        overall_comment=row.overall_comment,
        submit_time=row.submit_time,
        recusal_reason=row.recusal_reason,
        version=row.version,
    )


def _values(r: Review) -> dict[str, Any]:
    return {
        "state": r.state.value,
        "scores": [_score_record(s) for s in r.scores],
        "overall_comment": r.overall_comment,
        "submit_time": r.submit_time,
        "recusal_reason": r.recusal_reason,
    }


async def load_review(session: AsyncSession, review_id: str) -> Review | None:
    row = (await session.execute(select(reviews).where(reviews.c.id == review_id))).first()
    return to_review(row) if row else None


async def reviews_where(session: AsyncSession, *conditions: Any) -> list[Review]:
    """Reviews matching every condition, oldest assignment first."""
    query = select(reviews).where(*conditions).order_by(reviews.c.created_at, reviews.c.id)
    return [to_review(row) for row in await session.execute(query)]


async def add_review(session: AsyncSession, r: Review, stamp: Stamp) -> None:
    """Insert a new review at version 1."""
    fixed = {
        "call_id": r.call_id,
        "application_id": r.application_id,
        "reviewer_user_id": r.reviewer_user_id,
        "reviewer_username": r.reviewer_username,
    }
    try:
        await insert_versioned(session, reviews, r.id, fixed | _values(r), stamp)
    except IntegrityError:
        raise Conflict("this reviewer was assigned at the same moment; try again") from None


async def save_review(session: AsyncSession, r: Review, stamp: Stamp) -> Review:
    """Write r over the stored version r.version; Conflict when someone changed it first."""
    stale = "the review was changed by someone else; reload and retry"
    await update_versioned(session, reviews, r.id, r.version, _values(r), stamp, stale=stale)
    return replace(r, version=r.version + 1)
