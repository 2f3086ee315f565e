"""The `applications` and `match_commitments` tables and their mapping to domain applications.

A commitment's `claim_key` (source + reference) is unique while its application is not
withdrawn, so the same match can never back two applications; withdrawing clears it.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Column,
    ForeignKey,
    Integer,
    String,
    Table,
    Text,
    delete,
    insert,
    select,
    update,
)
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from services.common.db import UtcDateTime
from services.common.enums import enum_tuple, optional_enum
from services.common.errors import FailedPrecondition, Violation
from services.common.money import Money
from services.common.versioned import Stamp, insert_versioned, update_versioned, version_columns
from services.grants.domain.applications import (
    Application,
    ApplicationState,
    BudgetCategory,
    BudgetLine,
    Content,
    MatchCommitment,
    MatchState,
)
from services.grants.domain.calls import MatchKind
from services.grants.domain.eligibility import PreventionLevel
from services.grants.orm import METADATA

applications = Table(
    "applications",
    METADATA,
    Column("id", String(36), primary_key=True),
    Column("call_id", String(36), ForeignKey("calls.id"), nullable=False, index=True),
    Column("applicant_org_id", String(36), nullable=False, index=True),
    Column("currency_code", String(3), nullable=False),
    Column("title", String(200), nullable=False),
    Column("summary", Text, nullable=False),
    Column("jurisdiction_id", String(36), nullable=True),
    Column("prevention_levels", JSON, nullable=False),
    # [{category, description, amount}] in minor units of currency_code.
    Column("budget_lines", JSON, nullable=False),
    Column("requested_amount", BigInteger, nullable=True),
    Column("state", String(16), nullable=False, index=True),
    Column("submit_time", UtcDateTime, nullable=True),
    *version_columns(),
)

match_commitments = Table(
    "match_commitments",
    METADATA,
    Column("id", String(36), primary_key=True),
    Column("application_id", String(36), ForeignKey("applications.id"), nullable=False, index=True),
    Column("position", Integer, nullable=False),
    Column("source_org_id", String(36), nullable=True),
    Column("source_name", String(500), nullable=False),
    Column("kind", String(16), nullable=True),
    Column("amount", BigInteger, nullable=False),
    Column("state", String(16), nullable=False),
    Column("evidence_reference", String(500), nullable=False),
    Column("commitment_reference", String(120), nullable=False),
    # NULL when the application is withdrawn or the commitment has no reference.
    Column("claim_key", String(700), nullable=True, unique=True),
)


def _content(row: Any, commitment_rows: list[Any]) -> Content:
    cur = row.currency_code
    return Content(
        title=row.title,
        summary=row.summary,
        jurisdiction_id=row.jurisdiction_id,
        prevention_levels=enum_tuple(PreventionLevel)(row.prevention_levels),
        budget_lines=tuple(
            BudgetLine(
                optional_enum(BudgetCategory, b["category"]),
                b["description"],
                Money(cur, b["amount"]),
            )
            for b in row.budget_lines
        ),
        requested_amount=None if row.requested_amount is None else Money(cur, row.requested_amount),
        match_commitments=tuple(
            MatchCommitment(
                id=m.id,
                source_org_id=m.source_org_id,
                source_name=m.source_name,
                kind=optional_enum(MatchKind, m.kind),
                amount=Money(cur, m.amount),
                state=MatchState(m.state),
                evidence_reference=m.evidence_reference,
                commitment_reference=m.commitment_reference,
            )
            for m in commitment_rows
        ),
    )


def application_from_rows(row: Any, commitment_rows: list[Any]) -> Application:
    return Application(
        id=row.id,
        call_id=row.call_id,
        applicant_org_id=row.applicant_org_id,
        content=_content(row, commitment_rows),
        state=ApplicationState(row.state),
        submit_time=row.submit_time,
        version=row.version,
    )


async def commitment_rows_of(
    session: AsyncSession, application_ids: list[str]
) -> dict[str, list[Any]]:
    """The match commitment rows of each of these applications, in position order."""
    m = match_commitments
    query = (
        select(m)
        .where(m.c.application_id.in_(application_ids))
        .order_by(m.c.application_id, m.c.position)
    )
    found: dict[str, list[Any]] = {}
    for row in await session.execute(query):
        found.setdefault(row.application_id, []).append(row)
    return found


async def load_application(session: AsyncSession, application_id: str) -> Application | None:
    """The application with this id (no visibility check), or None."""
    t = applications
    row = (await session.execute(select(t).where(t.c.id == application_id))).first()
    if row is None:
        return None
    commitments = await commitment_rows_of(session, [application_id])
    return application_from_rows(row, commitments.get(application_id, []))


def _values(app: Application, currency: str) -> dict[str, Any]:
    c = app.content
    return {
        "call_id": app.call_id,
        "applicant_org_id": app.applicant_org_id,
        "currency_code": currency,
        "title": c.title,
        "summary": c.summary,
        "jurisdiction_id": c.jurisdiction_id,
        "prevention_levels": [p.value for p in c.prevention_levels],
        "budget_lines": [
            {
                "category": b.category.value if b.category else None,
                "description": b.description,
                "amount": b.amount.minor_units,
            }
            for b in c.budget_lines
        ],
        "requested_amount": c.requested_amount.minor_units if c.requested_amount else None,
        "state": app.state.value,
        "submit_time": app.submit_time,
    }


def state_values(app: Application) -> dict[str, Any]:
    """The columns a change of state alone writes."""
    return {"state": app.state.value, "submit_time": app.submit_time}


async def _write_commitments(session: AsyncSession, app: Application) -> None:
    await session.execute(
        delete(match_commitments).where(match_commitments.c.application_id == app.id)
    )
    claims = app.state != ApplicationState.WITHDRAWN
    for i, m in enumerate(app.content.match_commitments):
        values = {
            "id": m.id,
            "application_id": app.id,
            "position": i,
            "source_org_id": m.source_org_id,
            "source_name": m.source_name,
            "kind": m.kind.value if m.kind else None,
            "amount": m.amount.minor_units,
            "state": m.state.value,
            "evidence_reference": m.evidence_reference,
            "commitment_reference": m.commitment_reference,
            "claim_key": m.claim_key if claims else None,
        }
        try:
            async with session.begin_nested():
                await session.execute(insert(match_commitments).values(**values))
        except IntegrityError:
            raise _taken(m, i) from None


def _taken(m: MatchCommitment, index: int) -> FailedPrecondition:
    what = f"the match commitment {m.commitment_reference[:60]!r} from {m.source_label[:60]}"
    text = f"{what} already backs another application; one commitment counts for one application"
    return FailedPrecondition(text, [Violation(f"application.match_commitments[{index}]", text)])


async def add_application(
    session: AsyncSession, app: Application, currency: str, stamp: Stamp
) -> None:
    """Insert a new application at version 1 with its commitments."""
    values = _values(app, currency)
    await insert_versioned(session, applications, app.id, values, stamp, taken="exists")
    app.version = 1
    await _write_commitments(session, app)


async def save_application(
    session: AsyncSession, app: Application, currency: str, stamp: Stamp
) -> None:
    """Write a changed application; Conflict when someone changed it since it was loaded."""
    stale = "the application was changed by someone else; reload and retry"
    values = _values(app, currency)
    await update_versioned(session, applications, app.id, app.version, values, stamp, stale=stale)
    app.version += 1
    await _write_commitments(session, app)


async def release_claims(session: AsyncSession, application_id: str) -> None:
    """Free an application's match commitments for use elsewhere (e.g. when not awarded)."""
    m = match_commitments
    await session.execute(
        update(m).where(m.c.application_id == application_id).values(claim_key=None)
    )
