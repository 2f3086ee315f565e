"""The `calls` and `call_funders` tables and their mapping to domain calls."""

from __future__ import annotations

from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Column,
    Date,
    ForeignKey,
    Integer,
    String,
    Table,
    Text,
    delete,
    insert,
    select,
)
from sqlalchemy.ext.asyncio import AsyncSession

from services.common.db import UtcDateTime
from services.common.enums import enum_tuple, optional_enum
from services.common.money import Money
from services.common.records import from_record, from_records, to_record
from services.common.versioned import Stamp, insert_versioned, update_versioned, version_columns
from services.grants.domain.calls import (
    Call,
    CallState,
    CallTerms,
    Criterion,
    Funder,
    MatchKind,
    MatchRule,
    Periodicity,
    PlannedTranche,
    ReportingDuty,
    TrancheTrigger,
)
from services.grants.domain.eligibility import Eligibility, OrganisationKind, PreventionLevel
from services.grants.orm import METADATA

calls = Table(
    "calls",
    METADATA,
    Column("id", String(36), primary_key=True),
    Column("managing_org_id", String(36), nullable=False, index=True),
    Column("title", String(200), nullable=False),
    Column("description", Text, nullable=False),
    Column("currency_code", String(3), nullable=False),
    Column("min_award", BigInteger, nullable=True),
    Column("max_award", BigInteger, nullable=True),
    Column("eligibility", JSON, nullable=False),
    Column("match_rule", JSON, nullable=False),
    Column("min_monitoring_evaluation_bps", Integer, nullable=False),
    Column("criteria", JSON, nullable=False),
    Column("reviews_per_application", Integer, nullable=False),
    Column("opens_at", UtcDateTime, nullable=True),
    Column("closes_at", UtcDateTime, nullable=True),
    Column("decision_date", Date, nullable=True),
    Column("reporting_duty", JSON, nullable=False),
    Column("tranche_plan", JSON, nullable=False),
    Column("state", String(16), nullable=False, index=True),
    *version_columns(),
)

call_funders = Table(
    "call_funders",
    METADATA,
    Column("call_id", String(36), ForeignKey("calls.id"), primary_key=True),
    Column("position", Integer, primary_key=True),
    Column("organisation_id", String(36), nullable=True, index=True),
    Column("display_name", String(200), nullable=False),
    Column("pledge", BigInteger, nullable=False),
)


def _money(currency: str, units: int | None) -> Money | None:
    return None if units is None else Money(currency, units)


def terms_from_rows(row: Any, funder_rows: list[Any]) -> CallTerms:
    """CallTerms from a calls row and its call_funders rows (in position order)."""
    cur = row.currency_code
    return CallTerms(
        title=row.title,
        description=row.description,
        currency_code=cur,
        funders=tuple(
            Funder(f.organisation_id, f.display_name, Money(cur, f.pledge)) for f in funder_rows
        ),
        min_award=_money(cur, row.min_award),
        max_award=_money(cur, row.max_award),
        eligibility=from_record(
            Eligibility,
            row.eligibility,
            applicant_kinds=enum_tuple(OrganisationKind),
            prevention_levels=enum_tuple(PreventionLevel),
        ),
        match_rule=from_record(MatchRule, row.match_rule, allowed_kinds=enum_tuple(MatchKind)),
        min_monitoring_evaluation_bps=row.min_monitoring_evaluation_bps,
        criteria=from_records(Criterion, row.criteria),
        reviews_per_application=row.reviews_per_application,
        opens_at=row.opens_at,
        closes_at=row.closes_at,
        decision_date=row.decision_date,
        reporting_duty=from_record(
            ReportingDuty, row.reporting_duty, periodicity=lambda v: optional_enum(Periodicity, v)
        ),
        tranche_plan=from_records(
            PlannedTranche, row.tranche_plan, trigger=lambda v: optional_enum(TrancheTrigger, v)
        ),
    )


def call_from_rows(row: Any, funder_rows: list[Any]) -> Call:
    return Call(
        id=row.id,
        managing_org_id=row.managing_org_id,
        terms=terms_from_rows(row, funder_rows),
        state=CallState(row.state),
        version=row.version,
    )


def _values(call: Call) -> dict[str, Any]:
    t = call.terms
    return {
        "managing_org_id": call.managing_org_id,
        "title": t.title,
        "description": t.description,
        "currency_code": t.currency_code,
        "min_award": t.min_award.minor_units if t.min_award else None,
        "max_award": t.max_award.minor_units if t.max_award else None,
        "eligibility": to_record(t.eligibility),
        "match_rule": to_record(t.match_rule),
        "min_monitoring_evaluation_bps": t.min_monitoring_evaluation_bps,
        "criteria": to_record(t.criteria),
        "reviews_per_application": t.reviews_per_application,
        "opens_at": t.opens_at,
        "closes_at": t.closes_at,
        "decision_date": t.decision_date,
        "reporting_duty": to_record(t.reporting_duty),
        "tranche_plan": to_record(t.tranche_plan),
        "state": call.state.value,
    }


async def funder_rows(session: AsyncSession, call_id: str) -> list[Any]:
    f = call_funders
    query = select(f).where(f.c.call_id == call_id).order_by(f.c.position)
    return list(await session.execute(query))


async def load_call(session: AsyncSession, call_id: str) -> Call | None:
    """The call with this id (any state, no visibility check), or None."""
    row = (await session.execute(select(calls).where(calls.c.id == call_id))).first()
    return call_from_rows(row, await funder_rows(session, call_id)) if row else None


async def _write_funders(session: AsyncSession, call: Call) -> None:
    await session.execute(delete(call_funders).where(call_funders.c.call_id == call.id))
    rows = [
        {
            "call_id": call.id,
            "position": i,
            "organisation_id": f.organisation_id,
            "display_name": f.display_name,
            "pledge": f.pledge.minor_units,
        }
        for i, f in enumerate(call.terms.funders)
    ]
    if rows:
        await session.execute(insert(call_funders), rows)


async def add_call(session: AsyncSession, call: Call, stamp: Stamp) -> None:
    """Insert a new call at version 1, with its funders."""
    await insert_versioned(session, calls, call.id, _values(call), stamp, taken="call exists")
    call.version = 1
    await _write_funders(session, call)


async def save_call(session: AsyncSession, call: Call, stamp: Stamp) -> None:
    """Write a changed call (and funders); Conflict when someone changed it since it was loaded."""
    stale = "the call was changed by someone else; reload and retry"
    await update_versioned(session, calls, call.id, call.version, _values(call), stamp, stale=stale)
    call.version += 1
    await _write_funders(session, call)
