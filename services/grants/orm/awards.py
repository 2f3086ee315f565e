"""The awards tables (award, funder shares, tranches, tranche shares) and the pool's sums."""

from __future__ import annotations

from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    CheckConstraint,
    Column,
    ForeignKey,
    ForeignKeyConstraint,
    Integer,
    String,
    Table,
    Text,
    func,
    insert,
    select,
    update,
)
from sqlalchemy.ext.asyncio import AsyncSession

from services.common.db import UtcDateTime
from services.common.enums import optional_enum
from services.common.errors import Conflict
from services.common.records import from_record, to_record
from services.common.versioned import Stamp, insert_versioned, update_versioned, version_columns
from services.grants.domain.awards import Award
from services.grants.domain.calls import Periodicity, ReportingDuty, TrancheTrigger
from services.grants.domain.tranches import Tranche, TrancheState
from services.grants.orm import METADATA
from services.grants.orm.calls import calls

awards = Table(
    "awards",
    METADATA,
    Column("id", String(36), primary_key=True),
    Column("call_id", String(36), ForeignKey("calls.id"), nullable=False, index=True),
    Column(
        "application_id", String(36), ForeignKey("applications.id"), nullable=False, unique=True
    ),
    Column("grantee_org_id", String(36), nullable=False, index=True),
    Column("currency_code", String(3), nullable=False),
    Column("amount", BigInteger, nullable=False),
    Column("withhold_grantee_name", Boolean, nullable=False),
    Column("reporting_duty", JSON, nullable=False),
    Column("award_time", UtcDateTime, nullable=False),
    Column("sign_time", UtcDateTime, nullable=True),
    Column("note", Text, nullable=False),
    *version_columns(),
)

award_funder_shares = Table(
    "award_funder_shares",
    METADATA,
    Column("award_id", String(36), ForeignKey("awards.id"), primary_key=True),
    Column("position", Integer, nullable=False),
    Column("call_id", String(36), nullable=False, index=True),
    Column("funder_org_id", String(36), primary_key=True),
    Column("amount", BigInteger, nullable=False),
    CheckConstraint("amount >= 0", name="amount_not_negative"),
)

award_tranches = Table(
    "award_tranches",
    METADATA,
    Column("award_id", String(36), ForeignKey("awards.id"), primary_key=True),
    Column("code", String(32), primary_key=True),
    Column("position", Integer, nullable=False),
    Column("call_id", String(36), nullable=False, index=True),
    Column("amount", BigInteger, nullable=False),
    Column("trigger", String(40), nullable=False),
    Column("state", String(16), nullable=False),
    Column("triggered_at", UtcDateTime, nullable=True),
    Column("release_time", UtcDateTime, nullable=True),
    Column("hold_reason", Text, nullable=False),
)

award_tranche_shares = Table(
    "award_tranche_shares",
    METADATA,
    Column("award_id", String(36), primary_key=True),
    Column("code", String(32), primary_key=True),
    Column("funder_org_id", String(36), primary_key=True),
    Column("amount", BigInteger, nullable=False),
    ForeignKeyConstraint(["award_id", "code"], ["award_tranches.award_id", "award_tranches.code"]),
    CheckConstraint("amount >= 0", name="amount_not_negative"),
)


async def lock_call(session: AsyncSession, call_id: str) -> None:
    """Hold the call's row until the transaction ends, so decisions on one pool run one at a time.

    PostgreSQL: SELECT ... FOR UPDATE. SQLite: every write transaction already began with
    BEGIN IMMEDIATE, which serialises writers on the whole database.
    """
    await session.execute(select(calls.c.id).where(calls.c.id == call_id).with_for_update())


async def add_award(session: AsyncSession, award: Award, note: str, stamp: Stamp) -> None:
    """Insert a new award at version 1 with its funder shares and tranches."""
    values = {
        "call_id": award.call_id,
        "application_id": award.application_id,
        "grantee_org_id": award.grantee_org_id,
        "currency_code": award.currency,
        "amount": award.amount,
        "withhold_grantee_name": award.withhold_grantee_name,
        "reporting_duty": to_record(award.reporting_duty),
        "award_time": award.award_time,
        "sign_time": award.sign_time,
        "note": note,
    }
    await insert_versioned(session, awards, award.id, values, stamp, taken="award exists")
    award.version = 1
    shares = [
        {
            "award_id": award.id,
            "position": i,
            "call_id": award.call_id,
            "funder_org_id": f,
            "amount": units,
        }
        for i, (f, units) in enumerate(award.funder_shares.items())
    ]
    await session.execute(insert(award_funder_shares), shares)
    for i, t in enumerate(award.tranches):
        row = {"award_id": award.id, "code": t.code, "position": i, "call_id": award.call_id}
        await session.execute(insert(award_tranches).values(**row, **_tranche_values(t)))
        parts = [
            {"award_id": award.id, "code": t.code, "funder_org_id": f, "amount": units}
            for f, units in t.funder_shares.items()
        ]
        await session.execute(insert(award_tranche_shares), parts)


def _tranche_values(t: Tranche) -> dict[str, Any]:
    return {
        "amount": t.amount,
        "trigger": t.trigger.value,
        "state": t.state.value,
        "triggered_at": t.triggered_at,
        "release_time": t.release_time,
        "hold_reason": t.hold_reason,
    }


async def load_award(session: AsyncSession, award_id: str) -> Award | None:
    """The award with this id (no visibility check), or None."""
    row = (await session.execute(select(awards).where(awards.c.id == award_id))).first()
    return (await load_awards(session, [row]))[0] if row else None


async def load_award_of_application(session: AsyncSession, application_id: str) -> Award | None:
    """The award made to this application, or None."""
    query = select(awards).where(awards.c.application_id == application_id)
    row = (await session.execute(query)).first()
    return (await load_awards(session, [row]))[0] if row else None


async def load_awards(session: AsyncSession, rows: list[Any]) -> list[Award]:
    """Awards from awards rows, with their shares and tranches, in the rows' order."""
    ids = [r.id for r in rows]
    if not ids:
        return []
    s, t, ts = award_funder_shares, award_tranches, award_tranche_shares
    share_rows = await session.execute(
        select(s).where(s.c.award_id.in_(ids)).order_by(s.c.award_id, s.c.position)
    )
    tranche_rows = await session.execute(
        select(t).where(t.c.award_id.in_(ids)).order_by(t.c.award_id, t.c.position)
    )
    part_rows = await session.execute(select(ts).where(ts.c.award_id.in_(ids)))
    shares: dict[str, dict[str, int]] = {i: {} for i in ids}
    for r in share_rows:
        shares[r.award_id][r.funder_org_id] = r.amount
    parts: dict[tuple[str, str], dict[str, int]] = {}
    for r in part_rows:
        parts.setdefault((r.award_id, r.code), {})[r.funder_org_id] = r.amount
    tranches: dict[str, list[Tranche]] = {i: [] for i in ids}
    for r in tranche_rows:
        order = shares[r.award_id]
        split = parts.get((r.award_id, r.code), {})
        tranches[r.award_id].append(
            Tranche(
                code=r.code,
                amount=r.amount,
                trigger=TrancheTrigger(r.trigger),
                funder_shares={f: split.get(f, 0) for f in order},
                state=TrancheState(r.state),
                triggered_at=r.triggered_at,
                release_time=r.release_time,
                hold_reason=r.hold_reason,
            )
        )
    return [_award(r, shares[r.id], tranches[r.id]) for r in rows]


def _award(row: Any, shares: dict[str, int], tranches: list[Tranche]) -> Award:
    duty = from_record(
        ReportingDuty, row.reporting_duty, periodicity=lambda v: optional_enum(Periodicity, v)
    )
    return Award(
        id=row.id,
        call_id=row.call_id,
        application_id=row.application_id,
        grantee_org_id=row.grantee_org_id,
        currency=row.currency_code,
        amount=row.amount,
        funder_shares=shares,
        tranches=tranches,
        withhold_grantee_name=row.withhold_grantee_name,
        reporting_duty=duty,
        award_time=row.award_time,
        sign_time=row.sign_time,
        version=row.version,
    )


async def save_award(session: AsyncSession, award: Award, stamp: Stamp) -> None:
    """Write signing and tranche states; Conflict when the award or a tranche changed meanwhile.

    A tranche is only ever written RELEASED over a row that is not released yet, so two
    concurrent releases of one tranche can never both succeed.
    """
    stale = "the award was changed by someone else; reload and retry"
    values = {"sign_time": award.sign_time}
    await update_versioned(session, awards, award.id, award.version, values, stamp, stale=stale)
    award.version += 1
    t = award_tranches
    for tranche in award.tranches:
        statement = update(t).where(t.c.award_id == award.id, t.c.code == tranche.code)
        if tranche.state == TrancheState.RELEASED:
            statement = statement.where(
                (t.c.state != TrancheState.RELEASED.value)
                | (t.c.release_time == tranche.release_time)
            )
        result = await session.execute(statement.values(**_tranche_values(tranche)))
        if result.rowcount != 1:
            raise Conflict(f"tranche {tranche.code} was released by someone else; reload")


async def funder_sums(session: AsyncSession, call_id: str) -> tuple[dict[str, int], dict[str, int]]:
    """(committed, disbursed) per funder of a call: award shares, and released tranche shares."""
    s, t, ts = award_funder_shares, award_tranches, award_tranche_shares
    committed_q = (
        select(s.c.funder_org_id, func.sum(s.c.amount))
        .where(s.c.call_id == call_id)
        .group_by(s.c.funder_org_id)
    )
    disbursed_q = (
        select(ts.c.funder_org_id, func.sum(ts.c.amount))
        .join(t, (t.c.award_id == ts.c.award_id) & (t.c.code == ts.c.code))
        .where(t.c.call_id == call_id, t.c.state == TrancheState.RELEASED.value)
        .group_by(ts.c.funder_org_id)
    )
    committed = {f: int(v) for f, v in await session.execute(committed_q)}
    disbursed = {f: int(v) for f, v in await session.execute(disbursed_q)}
    return committed, disbursed
