"""National frameworks: content rules, the draft → consultation → adopted lifecycle, comments."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from services.common.auth import Principal, Role
from services.common.errors import FailedPrecondition, ViolationCollector, invalid, quoted
from services.registry.domain.organisations import is_web_url


class FrameworkKind(StrEnum):
    STRATEGY = "strategy"
    ACTION_PLAN = "action_plan"
    LEGISLATION = "legislation"
    GUIDANCE = "guidance"


class FrameworkState(StrEnum):
    """draft → consultation → adopted; a draft may also be adopted directly."""

    DRAFT = "draft"
    CONSULTATION = "consultation"
    ADOPTED = "adopted"


class IndicatorLevel(StrEnum):
    OUTPUT = "output"
    OUTCOME = "outcome"
    IMPACT = "impact"


class IndicatorDirection(StrEnum):
    UP = "up"
    DOWN = "down"


class Disaggregation(StrEnum):
    SEX = "sex"
    AGE_GROUP = "age_group"


EDITABLE_STATES = frozenset({FrameworkState.DRAFT, FrameworkState.CONSULTATION})
EDITABLE_FIELDS = ("title", "summary", "pillars", "indicators", "document_url")
NATIONAL_COMMENTERS = (Role.NATIONAL_ADMIN, Role.NATIONAL_REVIEWER)
CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$")
TITLE_LEN, SUMMARY_LEN, COMMENT_LEN, MAX_ITEMS = 300, 5000, 4000, 200


@dataclass(frozen=True)
class Pillar:
    """A strategic pillar of a framework, e.g. "P1 Prevention through education"."""

    code: str
    title: str
    description: str = ""


@dataclass(frozen=True)
class Indicator:
    """A standard indicator local plans may reuse."""

    code: str
    title: str
    pillar_code: str
    level: IndicatorLevel | None
    unit: str
    direction: IndicatorDirection | None
    disaggregations: tuple[Disaggregation | None, ...] = ()


@dataclass(frozen=True)
class FrameworkContent:
    """The parts of a framework that may change while it is drafted or consulted on."""

    title: str
    summary: str
    pillars: tuple[Pillar, ...]
    indicators: tuple[Indicator, ...]
    document_url: str = ""


@dataclass(frozen=True)
class Framework:
    """A stored framework."""

    id: str
    kind: FrameworkKind
    issuing_organisation_id: str
    jurisdiction_id: str
    content: FrameworkContent
    state: FrameworkState
    consultation_closes: date | None
    adopted_at: datetime | None
    version: int
    created_at: datetime
    created_by: str
    updated_at: datetime
    updated_by: str


def _text(c: ViolationCollector, value: str, field: str, limit: int, *, required: bool) -> None:
    if required and not value.strip():
        c.add(field, "is required")
    elif len(value) > limit:
        c.add(field, f"must be at most {limit} characters")


def _check_code(c: ViolationCollector, code: str, field: str, seen: set[str]) -> None:
    if not CODE.match(code):
        c.add(field, "must be 1-32 letters, digits, dots, dashes or underscores")
    elif code in seen:
        c.add(field, f"{quoted(code)} is used twice")
    seen.add(code)


def _check_indicator(
    c: ViolationCollector, ind: Indicator, field: str, seen: set[str], pillars: set[str]
) -> None:
    _check_code(c, ind.code, f"{field}.code", seen)
    _text(c, ind.title, f"{field}.title", TITLE_LEN, required=True)
    if ind.pillar_code not in pillars:
        unknown = quoted(ind.pillar_code)
        c.add(f"{field}.pillar_code", f"{unknown} is not a pillar of this framework")
    if ind.level is None:
        c.add(f"{field}.level", "is required")
    _text(c, ind.unit, f"{field}.unit", 100, required=True)
    if ind.direction is None:
        c.add(f"{field}.direction", "is required")
    for j, d in enumerate(ind.disaggregations):
        if d is None:
            c.add(f"{field}.disaggregations[{j}]", "must be SEX or AGE_GROUP")
    if len(set(ind.disaggregations)) != len(ind.disaggregations):
        c.add(f"{field}.disaggregations", "must not repeat a disaggregation")


def check_content(c: ViolationCollector, content: FrameworkContent, prefix: str) -> None:
    """Add a violation for every problem with a framework's title, pillars and indicators."""
    _text(c, content.title, f"{prefix}.title", TITLE_LEN, required=True)
    _text(c, content.summary, f"{prefix}.summary", SUMMARY_LEN, required=False)
    if content.document_url and not is_web_url(content.document_url):
        c.add(f"{prefix}.document_url", "must be an http(s) URL")
    if len(content.pillars) > MAX_ITEMS or len(content.indicators) > MAX_ITEMS:
        c.add(prefix, f"must have at most {MAX_ITEMS} pillars and {MAX_ITEMS} indicators")
        return
    pillar_codes: set[str] = set()
    for i, pillar in enumerate(content.pillars):
        field = f"{prefix}.pillars[{i}]"
        _check_code(c, pillar.code, f"{field}.code", pillar_codes)
        _text(c, pillar.title, f"{field}.title", TITLE_LEN, required=True)
        _text(c, pillar.description, f"{field}.description", SUMMARY_LEN, required=False)
    indicator_codes: set[str] = set()
    for i, ind in enumerate(content.indicators):
        _check_indicator(c, ind, f"{prefix}.indicators[{i}]", indicator_codes, pillar_codes)


def check_new(
    content: FrameworkContent, kind: FrameworkKind | None, prefix: str = "framework"
) -> None:
    """Raise InvalidArgument listing every problem with a new framework."""
    c = ViolationCollector()
    if kind is None:
        c.add(f"{prefix}.kind", "is required")
    check_content(c, content, prefix)
    c.raise_invalid("invalid framework")


def check_update(content: FrameworkContent, prefix: str = "framework") -> None:
    """Raise InvalidArgument listing every problem with the content after an update."""
    c = ViolationCollector()
    check_content(c, content, prefix)
    c.raise_invalid("invalid framework")


def require_editable(state: FrameworkState) -> None:
    """Only drafts and frameworks in consultation may change."""
    if state not in EDITABLE_STATES:
        raise FailedPrecondition(f"a framework in state {state.name} can no longer change")


def check_consultation_opening(state: FrameworkState, closes_on: date, today: date) -> None:
    """A draft goes to consultation with a closing date after today."""
    if state is not FrameworkState.DRAFT:
        raise FailedPrecondition(f"only a draft can go to consultation (state is {state.name})")
    if closes_on <= today:
        raise invalid("closes_on", f"must be after today ({today.isoformat()})")


def check_comment_window(state: FrameworkState, closes_on: date | None, today: date) -> None:
    """Comments are taken while consultation is open, up to and including its closing date."""
    if state is not FrameworkState.CONSULTATION:
        raise FailedPrecondition("comments are taken only while the framework is in consultation")
    if closes_on is not None and today > closes_on:
        raise FailedPrecondition(f"consultation closed on {closes_on.isoformat()}")


def check_comment(content: FrameworkContent, anchor_code: str, text: str) -> None:
    """A comment has text and, if anchored, names an existing pillar or indicator."""
    c = ViolationCollector()
    _text(c, text, "text", COMMENT_LEN, required=True)
    codes = {p.code for p in content.pillars} | {i.code for i in content.indicators}
    if anchor_code and anchor_code not in codes:
        unknown = quoted(anchor_code)
        c.add("anchor_code", f"{unknown} is not a pillar or indicator of this framework")
    c.raise_invalid("invalid comment")


def check_adoption(state: FrameworkState) -> None:
    """Drafts and frameworks in consultation can be adopted; adoption happens once."""
    if state not in EDITABLE_STATES:
        raise FailedPrecondition(f"a framework in state {state.name} cannot be adopted")


def is_national_commenter(actor: Principal) -> bool:
    """National roles comment on behalf of their agency without an organisation check."""
    return actor.has_any(*NATIONAL_COMMENTERS)


DRAFT_READERS = (Role.NATIONAL_ADMIN, Role.NATIONAL_REVIEWER, Role.PLATFORM_ADMIN, Role.AUDITOR)


def can_see(actor: Principal, issuing_organisation_id: str, state: FrameworkState) -> bool:
    """Drafts only for national roles, auditors and the issuer's members; the rest for everyone."""
    if state is not FrameworkState.DRAFT or actor.has_any(*DRAFT_READERS):
        return True
    return actor.org_id is not None and actor.org_id == issuing_organisation_id


def days_waiting(distributed_at: datetime, acknowledged: bool, now: datetime) -> int:
    """Whole days a local government has left a distribution unacknowledged."""
    return 0 if acknowledged else max(0, (now - distributed_at).days)
