"""Tranches of an award: planned from the call, released by signing, reports and evaluations."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from services.common.currencies import format_money
from services.common.errors import FailedPrecondition, invalid, quoted
from services.common.money import BPS_WHOLE, Money, share_bps, split_by_weights
from services.grants.domain import percent
from services.grants.domain.applications import Content, MatchState, budget_summary
from services.grants.domain.calls import MatchKind, MatchRule, PlannedTranche, TrancheTrigger

CONFIRMED = (MatchState.CONFIRMED, MatchState.RECEIVED)


class TrancheState(StrEnum):
    PENDING = "pending"
    HELD = "held"
    RELEASED = "released"


WAITING_FOR = {
    TrancheTrigger.ON_SIGNING: "the award to be signed",
    TrancheTrigger.ON_ACCEPTED_PROGRESS_REPORT: "an accepted progress report",
    TrancheTrigger.ON_PUBLISHED_FINAL_EVALUATION: "the published final evaluation",
}


@dataclass
class Tranche:
    """A share of an award, split across its funders, released once its trigger happened."""

    code: str
    amount: int
    trigger: TrancheTrigger
    funder_shares: dict[str, int]
    state: TrancheState = TrancheState.PENDING
    triggered_at: datetime | None = None
    release_time: datetime | None = None
    hold_reason: str = ""


def split_matrix(amounts: Sequence[int], shares: Mapping[str, int]) -> list[dict[str, int]]:
    """Each amount split across funders so rows sum to the amounts and columns to the shares.

    Row j is split by largest remainder over what each funder still has to give; the last row
    takes exactly what is left. Needs sum(amounts) == sum(shares); no part is ever negative.
    """
    if sum(amounts) != sum(shares.values()):
        raise ValueError("tranche amounts and funder shares must have the same total")
    left = dict(shares)
    rows: list[dict[str, int]] = []
    for index, amount in enumerate(amounts):
        if index == len(amounts) - 1:
            row = dict(left)
        elif amount == 0:
            row = dict.fromkeys(left, 0)
        else:
            row = dict(zip(left, split_by_weights(amount, list(left.values())), strict=True))
        left = {f: left[f] - row[f] for f in left}
        rows.append(row)
    return rows


def plan_tranches(
    amount: int, shares: Mapping[str, int], plan: Sequence[PlannedTranche]
) -> list[Tranche]:
    """The award's tranches: amounts by the plan's shares, each split across the funders."""
    if not plan:
        return []
    amounts = split_by_weights(amount, [p.share_bps for p in plan])
    rows = split_matrix(amounts, shares)
    return [
        Tranche(p.code, a, p.trigger or TrancheTrigger.ON_SIGNING, row)
        for p, a, row in zip(plan, amounts, rows, strict=True)
    ]


def trigger(tranche: Tranche, now: datetime, hold_reason: str | None) -> bool:
    """Its trigger happened: released now, or held with hold_reason; True when released."""
    tranche.triggered_at = tranche.triggered_at or now
    if hold_reason:
        tranche.state, tranche.hold_reason = TrancheState.HELD, hold_reason
        return False
    tranche.state, tranche.hold_reason, tranche.release_time = TrancheState.RELEASED, "", now
    return True


def find(tranches: Sequence[Tranche], code: str) -> Tranche:
    """The tranche with code; InvalidArgument naming tranche_code when there is none."""
    for t in tranches:
        if t.code == code:
            return t
    known = ", ".join(t.code for t in tranches)
    raise invalid("tranche_code", f"{quoted(code)} is not a tranche of this award ({known})")


def release(tranche: Tranche, now: datetime, hold_reason: str | None) -> None:
    """A manager releases a tranche whose trigger happened and whose match is confirmed."""
    if tranche.state == TrancheState.RELEASED:
        assert tranche.release_time is not None
        raise FailedPrecondition(
            f"tranche {tranche.code} was already released on {tranche.release_time.date()}"
        )
    if tranche.triggered_at is None:
        raise FailedPrecondition(f"tranche {tranche.code} waits for {WAITING_FOR[tranche.trigger]}")
    if hold_reason:
        tranche.hold_reason = hold_reason
        raise FailedPrecondition(f"tranche {tranche.code} stays held: {hold_reason}")
    trigger(tranche, now, None)


def next_waiting(tranches: Sequence[Tranche], kind: TrancheTrigger) -> Tranche | None:
    """The first tranche released by kind whose trigger has not happened yet."""
    return next((t for t in tranches if t.trigger == kind and t.triggered_at is None), None)


def match_hold_reason(content: Content, rule: MatchRule, currency: str) -> str | None:
    """Why tranches are held: confirmed match below the call's minimum share of project cost.

    Counts confirmed and received commitments of the allowed kinds; in-kind match counts up to
    the call's in-kind cap (a share of the required match). None when the match is covered.
    """
    total = budget_summary(content, currency).total_cost.minor_units
    required = -(-total * rule.min_match_bps // BPS_WHOLE)
    done = [
        m
        for m in content.match_commitments
        if m.state in CONFIRMED and m.amount.currency_code == currency and rule.allows(m.kind)
    ]
    in_kind = sum(m.amount.minor_units for m in done if m.kind == MatchKind.IN_KIND)
    cash = sum(m.amount.minor_units for m in done) - in_kind
    if rule.in_kind_cap_bps:
        in_kind = min(in_kind, required * rule.in_kind_cap_bps // BPS_WHOLE)
    if cash + in_kind >= required:
        return None
    counted = share_bps(cash + in_kind, total)
    return (
        f"confirmed match {percent(counted)} is below the {percent(rule.min_match_bps)} minimum"
        f" ({format_money(Money(currency, cash + in_kind))} of"
        f" {format_money(Money(currency, required))}); confirm more match commitments"
    )
