"""Applications: content shape, budget figures, match commitments and their states."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum

from services.common.errors import FailedPrecondition, NotFound, ViolationCollector, invalid
from services.common.money import Money, share_bps
from services.grants.domain.calls import MatchKind
from services.grants.domain.eligibility import PreventionLevel

MAX_TITLE = 200
MAX_SUMMARY = 20_000
MAX_LINES = 200
MAX_COMMITMENTS = 50
MAX_TEXT = 500
MAX_REFERENCE = 120


class ApplicationState(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    WITHDRAWN = "withdrawn"
    AWARDED = "awarded"
    NOT_AWARDED = "not_awarded"


class BudgetCategory(StrEnum):
    STAFF = "staff"
    ACTIVITIES = "activities"
    EQUIPMENT = "equipment"
    MONITORING_EVALUATION = "monitoring_evaluation"
    OVERHEAD = "overhead"
    OTHER = "other"


class MatchState(StrEnum):
    PLEDGED = "pledged"
    CONFIRMED = "confirmed"
    RECEIVED = "received"
    DECLINED = "declined"


MATCH_ORDER = (MatchState.PLEDGED, MatchState.CONFIRMED, MatchState.RECEIVED)
# What a source may still decline: a pledge, or a confirmation not paid yet.
DECLINABLE = (MatchState.PLEDGED, MatchState.CONFIRMED)


@dataclass(frozen=True)
class BudgetLine:
    category: BudgetCategory | None
    description: str
    amount: Money


@dataclass(frozen=True)
class MatchCommitment:
    id: str
    source_org_id: str | None
    source_name: str
    kind: MatchKind | None
    amount: Money
    state: MatchState = MatchState.PLEDGED
    evidence_reference: str = ""
    commitment_reference: str = ""

    @property
    def source_label(self) -> str:
        return self.source_name or (
            f"organisations/{self.source_org_id}" if self.source_org_id else "?"
        )

    @property
    def claim_key(self) -> str | None:
        """What makes this commitment unique across applications; None without a reference."""
        if not self.commitment_reference.strip():
            return None
        source = (
            f"org:{self.source_org_id}"
            if self.source_org_id
            else "name:" + normalise(self.source_name)
        )
        return f"{source}|{normalise(self.commitment_reference)}"


def normalise(text: str) -> str:
    """Case-, accent- and spacing-insensitive form of a name or reference."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().casefold()
    return " ".join(folded.split())


@dataclass(frozen=True)
class Content:
    """What an applicant edits; anything may be missing until submission."""

    title: str = ""
    summary: str = ""
    jurisdiction_id: str | None = None
    prevention_levels: tuple[PreventionLevel, ...] = ()
    budget_lines: tuple[BudgetLine, ...] = ()
    requested_amount: Money | None = None
    match_commitments: tuple[MatchCommitment, ...] = ()


@dataclass
class Application:
    id: str
    call_id: str
    applicant_org_id: str
    content: Content
    state: ApplicationState = ApplicationState.DRAFT
    submit_time: datetime | None = None
    version: int = 0


@dataclass(frozen=True)
class BudgetSummary:
    total_cost: Money
    monitoring_evaluation: Money
    monitoring_evaluation_bps: int
    match_total: Money
    match_bps: int
    in_kind_match: Money

    @property
    def cash_match(self) -> Money:
        return self.match_total - self.in_kind_match


def budget_summary(content: Content, currency: str) -> BudgetSummary:
    """Project cost = sum of lines; M&E and match as shares of it (other currencies skipped)."""
    lines = [b for b in content.budget_lines if b.amount.currency_code == currency]
    total = sum(b.amount.minor_units for b in lines)
    me = sum(
        b.amount.minor_units for b in lines if b.category == BudgetCategory.MONITORING_EVALUATION
    )
    matches = [
        m
        for m in content.match_commitments
        if m.amount.currency_code == currency and m.state != MatchState.DECLINED
    ]
    match = sum(m.amount.minor_units for m in matches)
    in_kind = sum(m.amount.minor_units for m in matches if m.kind == MatchKind.IN_KIND)
    return BudgetSummary(
        total_cost=Money(currency, total),
        monitoring_evaluation=Money(currency, me),
        monitoring_evaluation_bps=share_bps(me, total),
        match_total=Money(currency, match),
        match_bps=share_bps(match, total),
        in_kind_match=Money(currency, in_kind),
    )


def check_content(c: Content, currency: str) -> None:
    """InvalidArgument for malformed content: sizes, currencies, duplicate commitment ids."""
    e = ViolationCollector()
    e.require(len(c.title) <= MAX_TITLE, "application.title", f"at most {MAX_TITLE} characters")
    e.require(len(c.summary) <= MAX_SUMMARY, "application.summary", "at most 20,000 characters")
    e.require(len(c.budget_lines) <= MAX_LINES, "application.budget_lines", "at most 200 lines")
    e.require(
        len(c.match_commitments) <= MAX_COMMITMENTS, "application.match_commitments", "at most 50"
    )
    money = [
        (f"application.budget_lines[{i}].amount", b.amount) for i, b in enumerate(c.budget_lines)
    ]
    money += [
        (f"application.match_commitments[{i}].amount", m.amount)
        for i, m in enumerate(c.match_commitments)
    ]
    if c.requested_amount is not None:
        money.append(("application.requested_amount", c.requested_amount))
    for path, amount in money:
        ok = amount.currency_code == currency
        e.require(ok, f"{path}.currency_code", f"must be {currency}, the currency of the call")
    for i, b in enumerate(c.budget_lines):
        e.require(
            len(b.description) <= MAX_TEXT, f"application.budget_lines[{i}].description", "too long"
        )
    seen: set[str] = set()
    for i, m in enumerate(c.match_commitments):
        path = f"application.match_commitments[{i}]"
        e.require(m.id not in seen, f"{path}.id", "is used twice in this application")
        seen.add(m.id)
        e.require(len(m.source_name) <= MAX_TEXT, f"{path}.source_name", "too long")
        e.require(
            len(m.commitment_reference) <= MAX_REFERENCE, f"{path}.commitment_reference", "too long"
        )
        e.require(len(m.evidence_reference) <= MAX_TEXT, f"{path}.evidence_reference", "too long")
    e.raise_invalid("the application is not valid")


def require_state(app: Application, *states: ApplicationState, doing: str) -> None:
    if app.state not in states:
        raise FailedPrecondition(
            f"this application is {app.state.value.replace('_', ' ')}; it cannot be {doing}"
        )


def change_match_state(
    app: Application, commitment_id: str, state: MatchState, evidence: str
) -> MatchCommitment:
    """Move a commitment forward (pledged -> confirmed -> received), or record that its source
    declined it before paying; evidence is required."""
    found = next((m for m in app.content.match_commitments if m.id == commitment_id), None)
    if found is None:
        raise NotFound(f"no match commitment {commitment_id[:60]} in this application")
    if state == MatchState.PLEDGED:
        raise invalid("state", "must be confirmed, received or declined")
    if not evidence.strip():
        raise invalid("evidence_reference", "is required: a letter, contract or statement")
    if found.state == MatchState.DECLINED:
        raise FailedPrecondition(
            "the commitment was declined by its source; record a new commitment instead"
        )
    if state == MatchState.DECLINED and found.state not in DECLINABLE:
        raise FailedPrecondition("the commitment is already received; it cannot be declined")
    if state != MatchState.DECLINED and MATCH_ORDER.index(state) <= MATCH_ORDER.index(found.state):
        raise FailedPrecondition(
            f"the commitment is already {found.state.value}; it can only move forward"
        )
    changed = replace(found, state=state, evidence_reference=evidence.strip())
    app.content = replace(
        app.content,
        match_commitments=tuple(
            changed if m.id == commitment_id else m for m in app.content.match_commitments
        ),
    )
    return changed
