"""Calls: terms, shape rules, the rules for opening, and the state machine."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime
from enum import StrEnum

from services.common.errors import FailedPrecondition, ViolationCollector
from services.common.money import BPS_WHOLE, Money
from services.common.vocabulary import ReportingPeriodicity as Periodicity
from services.grants.domain import bps_in_range
from services.grants.domain.eligibility import Eligibility

MAX_TITLE = 200
MAX_DESCRIPTION = 20_000
MAX_CODE = 32
MAX_FUNDERS = 50
MAX_CRITERIA = 50
MAX_TRANCHES = 20


class CallState(StrEnum):
    DRAFT = "draft"
    OPEN = "open"
    CLOSED = "closed"
    DECIDED = "decided"


class MatchKind(StrEnum):
    CASH = "cash"
    IN_KIND = "in_kind"


class TrancheTrigger(StrEnum):
    ON_SIGNING = "on_signing"
    ON_ACCEPTED_PROGRESS_REPORT = "on_accepted_progress_report"
    ON_PUBLISHED_FINAL_EVALUATION = "on_published_final_evaluation"


@dataclass(frozen=True)
class Funder:
    """A co-funder and its pledge (call currency); organisation_id may be empty in a draft."""

    organisation_id: str | None
    display_name: str
    pledge: Money


@dataclass(frozen=True)
class MatchRule:
    min_match_bps: int = 0
    allowed_kinds: tuple[MatchKind, ...] = ()
    in_kind_cap_bps: int = 0

    def allows(self, kind: MatchKind | None) -> bool:
        return not self.allowed_kinds or kind in self.allowed_kinds


@dataclass(frozen=True)
class Criterion:
    code: str
    title: str = ""
    guidance: str = ""
    weight: int = 1
    max_score: int = 5


@dataclass(frozen=True)
class ReportingDuty:
    periodicity: Periodicity | None = None
    final_evaluation_required: bool = False


@dataclass(frozen=True)
class PlannedTranche:
    code: str
    share_bps: int
    trigger: TrancheTrigger | None


@dataclass(frozen=True)
class CallTerms:
    """Everything a manager edits on a call."""

    title: str = ""
    description: str = ""
    currency_code: str = ""
    funders: tuple[Funder, ...] = ()
    min_award: Money | None = None
    max_award: Money | None = None
    eligibility: Eligibility = field(default_factory=Eligibility)
    match_rule: MatchRule = field(default_factory=MatchRule)
    min_monitoring_evaluation_bps: int = 0
    criteria: tuple[Criterion, ...] = ()
    reviews_per_application: int = 0
    opens_at: datetime | None = None
    closes_at: datetime | None = None
    decision_date: date | None = None
    reporting_duty: ReportingDuty = field(default_factory=ReportingDuty)
    tranche_plan: tuple[PlannedTranche, ...] = ()

    @property
    def pool(self) -> Money:
        """Sum of pledges."""
        return Money(self.currency_code, sum(f.pledge.minor_units for f in self.funders))


@dataclass
class Call:
    id: str
    managing_org_id: str
    terms: CallTerms
    state: CallState = CallState.DRAFT
    version: int = 0

    @property
    def currency(self) -> str:
        return self.terms.currency_code

    def accepting(self, now: datetime) -> bool:
        """Open, started and not past its deadline."""
        t = self.terms
        started = t.opens_at is None or t.opens_at <= now
        return self.state == CallState.OPEN and started and not self.past_deadline(now)

    def past_deadline(self, now: datetime) -> bool:
        return self.terms.closes_at is not None and self.terms.closes_at <= now


def check_terms(t: CallTerms) -> None:
    """InvalidArgument for malformed terms (sizes, ranges, currencies); completeness is for open."""
    errors = ViolationCollector()
    errors.require(len(t.title) <= MAX_TITLE, "call.title", f"at most {MAX_TITLE} characters")
    errors.require(bool(t.title.strip()), "call.title", "is required")
    errors.require(
        len(t.description) <= MAX_DESCRIPTION, "call.description", "is too long (20,000 max)"
    )
    errors.require(len(t.funders) <= MAX_FUNDERS, "call.funders", f"at most {MAX_FUNDERS}")
    errors.require(len(t.criteria) <= MAX_CRITERIA, "call.criteria", f"at most {MAX_CRITERIA}")
    errors.require(len(t.tranche_plan) <= MAX_TRANCHES, "call.tranche_plan", "too many tranches")
    money = [(f"call.funders[{i}].pledge", f.pledge) for i, f in enumerate(t.funders)]
    money += [("call.min_award", t.min_award), ("call.max_award", t.max_award)]
    for path, amount in money:
        if amount is not None and amount.currency_code != t.currency_code:
            errors.add(f"{path}.currency_code", f"must be {t.currency_code}, the call's currency")
    for i, f in enumerate(t.funders):
        errors.require(len(f.display_name) <= MAX_TITLE, f"call.funders[{i}].display_name", "long")
    bps = {
        "call.match_rule.min_match_bps": t.match_rule.min_match_bps,
        "call.match_rule.in_kind_cap_bps": t.match_rule.in_kind_cap_bps,
        "call.min_monitoring_evaluation_bps": t.min_monitoring_evaluation_bps,
    }
    bps |= {f"call.tranche_plan[{i}].share_bps": p.share_bps for i, p in enumerate(t.tranche_plan)}
    for path, value in bps.items():
        errors.require(bps_in_range(value), path, "must be between 0 and 10000 basis points")
    for i, c in enumerate(t.criteria):
        errors.require(0 < len(c.code) <= MAX_CODE, f"call.criteria[{i}].code", "1-32 characters")
        errors.require(c.weight >= 0, f"call.criteria[{i}].weight", "must not be negative")
        errors.require(c.max_score >= 0, f"call.criteria[{i}].max_score", "must not be negative")
    for i, p in enumerate(t.tranche_plan):
        errors.require(0 < len(p.code) <= MAX_CODE, f"call.tranche_plan[{i}].code", "1-32 chars")
    errors.require(t.reviews_per_application >= 0, "call.reviews_per_application", "negative")
    errors.raise_invalid("the call is not valid")


def _duplicates(values: list[str]) -> list[str]:
    seen: set[str] = set()
    return sorted({v for v in values if v in seen or seen.add(v)})  # type: ignore[func-returns-value]


def opening_problems(t: CallTerms, now: datetime) -> ViolationCollector:
    """Every rule a call must meet to open, one violation per problem."""
    e = ViolationCollector()
    e.require(bool(t.funders), "call.funders", "add at least one funder with a pledge")
    for i, f in enumerate(t.funders):
        e.require(f.organisation_id is not None, f"call.funders[{i}].organisation", "is required")
        e.require(f.pledge.minor_units > 0, f"call.funders[{i}].pledge", "must be more than zero")
    for org in _duplicates([f.organisation_id for f in t.funders if f.organisation_id]):
        e.add("call.funders", f"organisations/{org} is listed more than once")
    _award_range(t, e)
    codes = [c.code for c in t.criteria]
    e.require(bool(codes), "call.criteria", "add at least one assessment criterion")
    for code in _duplicates(codes):
        e.add("call.criteria", f"criterion code {code!r} is used more than once")
    for i, c in enumerate(t.criteria):
        e.require(c.weight > 0, f"call.criteria[{i}].weight", "must be more than zero")
        e.require(c.max_score > 0, f"call.criteria[{i}].max_score", "must be more than zero")
    e.require(t.reviews_per_application >= 1, "call.reviews_per_application", "at least 1")
    _dates(t, now, e)
    _tranches(t, e)
    e.require(t.reporting_duty.periodicity is not None, "call.reporting_duty", "choose how often")
    return e


def _award_range(t: CallTerms, e: ViolationCollector) -> None:
    if t.min_award is None or t.max_award is None:
        e.add("call.max_award", "set the minimum and maximum award")
        return
    if t.min_award.minor_units > t.max_award.minor_units:
        e.add("call.min_award", "the minimum award is above the maximum award")
    if t.max_award.minor_units == 0:
        e.add("call.max_award", "must be more than zero")
    if t.funders and t.max_award.minor_units > t.pool.minor_units:
        e.add("call.max_award", "the maximum award is above the pool (the sum of pledges)")


def _dates(t: CallTerms, now: datetime, e: ViolationCollector) -> None:
    if t.opens_at is None or t.closes_at is None:
        e.add("call.closes_at", "set when the call opens and closes")
        return
    e.require(t.opens_at < t.closes_at, "call.closes_at", "must be after opens_at")
    e.require(t.closes_at > now, "call.closes_at", "is in the past")
    if t.decision_date is not None:
        ok = t.decision_date >= t.closes_at.date()
        e.require(ok, "call.decision_date", "must not be before the call closes")


def _tranches(t: CallTerms, e: ViolationCollector) -> None:
    plan = t.tranche_plan
    e.require(bool(plan), "call.tranche_plan", "add at least one tranche")
    total = sum(p.share_bps for p in plan)
    if plan and total != BPS_WHOLE:
        e.add(
            "call.tranche_plan", f"shares add up to {total} basis points; they must add up to 10000"
        )
    for code in _duplicates([p.code for p in plan]):
        e.add("call.tranche_plan", f"tranche code {code!r} is used more than once")
    for i, p in enumerate(plan):
        e.require(p.share_bps > 0, f"call.tranche_plan[{i}].share_bps", "must be more than zero")
        e.require(p.trigger is not None, f"call.tranche_plan[{i}].trigger", "choose a trigger")


def open_call(call: Call, now: datetime) -> None:
    """draft -> open when every rule holds; FailedPrecondition listing each unmet one."""
    if call.state != CallState.DRAFT:
        raise FailedPrecondition(f"only a draft call can be opened; this one is {call.state}")
    opening_problems(call.terms, now).raise_precondition("the call cannot open yet")
    call.state = CallState.OPEN


def close_call(call: Call, now: datetime) -> None:
    """open -> closed; closed before its deadline, the deadline becomes the moment it closed."""
    if call.state != CallState.OPEN:
        raise FailedPrecondition(f"only an open call can be closed; this one is {call.state}")
    call.state = CallState.CLOSED
    if call.terms.closes_at is None or call.terms.closes_at > now:
        call.terms = replace(call.terms, closes_at=now)


# Update-mask paths allowed per state.
DRAFT_PATHS = frozenset(
    {
        "title", "description", "managing_organisation", "currency_code", "funders",
        "min_award", "max_award", "eligibility", "match_rule", "min_monitoring_evaluation_bps",
        "criteria", "reviews_per_application", "opens_at", "closes_at", "decision_date",
        "reporting_duty", "tranche_plan",
    }
)  # fmt: skip
OPEN_PATHS = frozenset({"description", "closes_at"})


def check_update(call: Call, paths: frozenset[str], new: CallTerms, now: datetime) -> None:
    """FailedPrecondition when paths may not change in the call's state (open: later close only)."""
    allowed = DRAFT_PATHS if call.state == CallState.DRAFT else OPEN_PATHS
    if call.state not in (CallState.DRAFT, CallState.OPEN):
        allowed = frozenset()
    e = ViolationCollector()
    for path in sorted(paths - allowed):
        e.add("update_mask.paths", f"{path} cannot change while the call is {call.state}")
    if call.state == CallState.OPEN and "closes_at" in paths:
        old = call.terms.closes_at
        later = new.closes_at is not None and old is not None and new.closes_at > old
        e.require(later, "call.closes_at", "an open call's deadline can only move later")
    e.raise_precondition("the call cannot change this way")
