"""Awards: deciding within the pool, the split across funders, signing and who sees the money."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from services.common.auth import Principal, Role
from services.common.currencies import format_money
from services.common.errors import FailedPrecondition, ViolationCollector
from services.common.money import Money, split_by_weights
from services.grants.domain.calls import (
    Call,
    CallState,
    ReportingDuty,
    TrancheTrigger,
)
from services.grants.domain.ledger import Pool
from services.grants.domain.tranches import (
    Tranche,
    TrancheState,
    find,
    next_waiting,
    plan_tranches,
    release,
    trigger,
)

DECIDABLE = (CallState.CLOSED, CallState.DECIDED)


@dataclass(frozen=True)
class AwardItem:
    """One award asked for in a decision; earmarked maps funder id -> share (minor units)."""

    application_id: str
    amount: Money
    earmarked: Mapping[str, int] = field(default_factory=dict)
    withhold_grantee_name: bool = False


@dataclass(frozen=True)
class Candidate:
    """What a decision needs to know about an application."""

    id: str
    call_id: str
    applicant_org_id: str
    state: str
    requested: int | None


@dataclass
class Award:
    id: str
    call_id: str
    application_id: str
    grantee_org_id: str
    currency: str
    amount: int
    funder_shares: dict[str, int]
    tranches: list[Tranche]
    withhold_grantee_name: bool
    reporting_duty: ReportingDuty
    award_time: datetime
    sign_time: datetime | None = None
    version: int = 0


def funds(actor: Principal, call: Call) -> bool:
    """A funder user of one of the call's co-funders."""
    funder_ids = {f.organisation_id for f in call.terms.funders}
    return actor.has_any(Role.FUNDER) and actor.org_id in funder_ids


def _split(call: Call, pool: Pool, item: AwardItem, path: str, errors: ViolationCollector) -> dict:
    """The item's funder shares: earmarked, else pro rata to pledges; violations for shortfalls."""
    if item.earmarked:
        shares = {f: item.earmarked.get(f, 0) for f in pool.funder_ids}
        how, hint = "earmarked share", ""
    else:
        pledges = [pool.positions[f].pledged for f in pool.funder_ids]
        parts = split_by_weights(item.amount.minor_units, pledges)
        shares = dict(zip(pool.funder_ids, parts, strict=True))
        how = "share pro rata to its pledge"
        hint = "; earmark this award's shares to funders with money left"
    names = {f.organisation_id: f.display_name for f in call.terms.funders}
    for funder, share, left in pool.shortfalls(shares):
        name = names.get(funder) or f"organisations/{funder}"
        errors.add(
            path,
            f"{name}'s {how} is {pool.money(share)} but it has only {pool.money(left)} left{hint}",
        )
    return shares


def check_items(call: Call, items: Sequence[AwardItem]) -> None:
    """InvalidArgument for malformed items: currency, duplicates, earmarks that do not add up."""
    e = ViolationCollector()
    e.require(bool(items), "items", "name at least one application to award")
    funder_ids = {f.organisation_id for f in call.terms.funders}
    seen: set[str] = set()
    for i, item in enumerate(items):
        path = f"items[{i}]"
        if item.application_id in seen:
            e.add(f"{path}.application", "appears twice in this decision")
        seen.add(item.application_id)
        if item.amount.currency_code != call.currency:
            e.add(f"{path}.amount.currency_code", f"must be {call.currency}, the call's currency")
        e.require(item.amount.minor_units > 0, f"{path}.amount", "must be more than zero")
        for funder in item.earmarked:
            if funder not in funder_ids:
                e.add(
                    f"{path}.earmarked_shares",
                    f"organisations/{funder} is not a funder of the call",
                )
        earmarked = sum(item.earmarked.values())
        if item.earmarked and earmarked != item.amount.minor_units:
            e.add(
                f"{path}.earmarked_shares",
                f"add up to {format_money(Money(call.currency, earmarked))}, "
                f"not the award's {format_money(item.amount)}",
            )
    e.raise_invalid("the decision is not valid")


def _check_item(
    call: Call, item: AwardItem, app: Candidate | None, path: str, e: ViolationCollector
) -> None:
    t = call.terms
    if app is None or app.call_id != call.id:
        e.add(f"{path}.application", "is not an application to this call")
        return
    if app.state != "submitted":
        e.add(f"{path}.application", f"is {app.state.replace('_', ' ')}; only submitted ones")
    amount = item.amount.minor_units
    if t.min_award is not None and amount < t.min_award.minor_units:
        e.add(f"{path}.amount", f"is below the call's minimum award {format_money(t.min_award)}")
    if t.max_award is not None and amount > t.max_award.minor_units:
        e.add(f"{path}.amount", f"is above the call's maximum award {format_money(t.max_award)}")
    if app.requested is not None and amount > app.requested:
        asked = format_money(Money(call.currency, app.requested))
        e.add(f"{path}.amount", f"is more than the {asked} the applicant asked for")


def decide(
    call: Call, items: Sequence[AwardItem], candidates: Mapping[str, Candidate], pool: Pool
) -> list[dict[str, int]]:
    """Each item's funder shares, committed into pool; FailedPrecondition listing every problem.

    Items are checked in order against what is left after the ones before them; on failure
    pool is left as it was.
    """
    if call.state not in DECIDABLE:
        raise FailedPrecondition(f"awards are decided once the call is closed; it is {call.state}")
    e, trial = ViolationCollector(), pool.copy()
    for i, item in enumerate(items):
        _check_item(call, item, candidates.get(item.application_id), f"items[{i}]", e)
    asked = sum(item.amount.minor_units for item in items)
    total, money = pool.total(), pool.money
    if asked > total.available:
        e.add(
            "items",
            f"these awards add up to {money(asked)} but the pool has {money(total.available)} left"
            f" ({money(total.pledged)} pledged, {money(total.committed)} already committed)",
        )
        e.raise_precondition("the awards cannot be made")  # funders' rows would only repeat it
    splits: list[dict[str, int]] = []
    for i, item in enumerate(items):
        shares = _split(call, trial, item, f"items[{i}]", e)
        trial.commit(shares)
        splits.append(shares)
    e.raise_precondition("the awards cannot be made")
    pool.positions = trial.positions
    return splits


def make_award(
    award_id: str,
    call: Call,
    item: AwardItem,
    app: Candidate,
    shares: dict[str, int],
    now: datetime,
) -> Award:
    """A new award with its tranches from the call's plan and the call's reporting duty."""
    amount = item.amount.minor_units
    return Award(
        id=award_id,
        call_id=call.id,
        application_id=app.id,
        grantee_org_id=app.applicant_org_id,
        currency=call.currency,
        amount=amount,
        funder_shares=dict(shares),
        tranches=plan_tranches(amount, shares, call.terms.tranche_plan),
        withhold_grantee_name=item.withhold_grantee_name,
        reporting_duty=call.terms.reporting_duty,
        award_time=now,
    )


def sign(award: Award, now: datetime, hold_reason: str | None) -> list[Tranche]:
    """Record signing; on-signing tranches are released (or held); returns the released ones."""
    if award.sign_time is not None:
        raise FailedPrecondition(f"the award was already signed on {award.sign_time.date()}")
    award.sign_time = now
    due = [t for t in award.tranches if t.trigger == TrancheTrigger.ON_SIGNING]
    return [t for t in due if t.triggered_at is None and trigger(t, now, hold_reason)]


def hold_reason(award: Award, match_reason: str | None) -> str | None:
    """Why a triggered tranche cannot be paid yet: an unsigned award or unconfirmed match."""
    return "the award is not signed yet" if award.sign_time is None else match_reason


def release_tranche(award: Award, code: str, now: datetime, match_reason: str | None) -> Tranche:
    """A manager releases one tranche (see tranches.release); returns it."""
    tranche = find(award.tranches, code)
    release(tranche, now, hold_reason(award, match_reason))
    return tranche


def release_held(award: Award, now: datetime, match_reason: str | None) -> list[Tranche]:
    """Release every held tranche once nothing holds them any more; returns the released ones."""
    if hold_reason(award, match_reason) is not None:
        return []
    held = [t for t in award.tranches if t.state == TrancheState.HELD]
    return [t for t in held if trigger(t, now, None)]


def on_event(
    award: Award, kind: TrancheTrigger, now: datetime, match_reason: str | None
) -> Tranche | None:
    """An accepted report or published evaluation triggers the next tranche waiting for it."""
    tranche = next_waiting(award.tranches, kind)
    if tranche is not None:
        trigger(tranche, now, hold_reason(award, match_reason))
    return tranche
