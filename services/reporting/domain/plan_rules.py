"""Shape rules of a plan's content (one violation per problem) and its completeness for submit."""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from services.common.errors import ViolationCollector, quoted
from services.common.money import CURRENCY_CODE
from services.common.text import text_problem
from services.reporting.domain.cycles import cycle_from_code
from services.reporting.domain.plans import Activity, Indicator, PlanContent, TheoryOfChange

FIELD = "action_plan"
CODE = re.compile(r"^[A-Z0-9][A-Z0-9.\-]{0,31}$")
CODE_HINT = "1-32 upper-case letters, digits, dots and dashes, e.g. A1"
MAX_TITLE = 200
MAX_TEXT = 2_000
MAX_LIST_ITEMS = 50
MAX_ACTIVITIES = 200
MAX_INDICATORS = 200
MAX_PARTNERS = 20
MAX_TARGETS = 60
MAX_UNIT = 64
MAX_DATA_SOURCE = 500
MAX_ABS_NUMBER = 1e15


@dataclass(frozen=True)
class FrameworkFacts:
    """What the read model knows of the plan's framework: pillar codes, and each standard
    indicator's code with the disaggregations it asks for."""

    pillar_codes: frozenset[str]
    standard_indicators: Mapping[str, frozenset[str]]


@dataclass(frozen=True)
class PlanFacts:
    """Facts the rules check references against (None framework: not known to reporting)."""

    framework: FrameworkFacts | None
    known_org_ids: frozenset[str]


def referenced_org_ids(content: PlanContent) -> set[str]:
    """Every organisation id the content names (lead and partners)."""
    ids = {a.lead_org_id for a in content.activities if a.lead_org_id}
    return ids | {p for a in content.activities for p in a.partner_org_ids}


def duplicates(values: Iterable[str]) -> list[str]:
    """Values that occur more than once, sorted."""
    seen: set[str] = set()
    repeated = {v for v in values if v in seen or seen.add(v)}  # type: ignore[func-returns-value]
    return sorted(repeated)


def _text(e: ViolationCollector, value: str, path: str, limit: int, *, required: bool) -> None:
    problem = text_problem(value, limit)
    if required and not value.strip():
        e.add(path, "is required")
    elif problem:
        e.add(path, problem)


def _number(e: ViolationCollector, value: float, path: str) -> None:
    if not math.isfinite(value):
        e.add(path, "must be a finite number")
    elif abs(value) > MAX_ABS_NUMBER:
        e.add(path, f"must be between -{MAX_ABS_NUMBER:.0e} and {MAX_ABS_NUMBER:.0e}")


def _codes(e: ViolationCollector, codes: list[str], path: str, what: str) -> None:
    for i, code in enumerate(codes):
        if not CODE.match(code):
            e.add(f"{path}[{i}].code", f"must be {CODE_HINT}")
    for code in duplicates(codes):
        e.add(path, f"{what} code {quoted(code)} is used more than once")


def _count(e: ViolationCollector, items: tuple, path: str, limit: int) -> None:
    if len(items) > limit:
        e.add(path, f"at most {limit} entries")


def _header(e: ViolationCollector, c: PlanContent, facts: PlanFacts) -> None:
    _text(e, c.title, f"{FIELD}.title", MAX_TITLE, required=True)
    if not c.framework_id:
        e.add(f"{FIELD}.framework", "is required: the national framework the plan is aligned to")
    elif facts.framework is None:
        e.add(f"{FIELD}.framework", "is not a framework known to reporting")
    if (c.period_start is None) != (c.period_end is None):
        e.add(f"{FIELD}.period", "set both the start and the end date, or neither")
    elif c.period_start and c.period_end and c.period_start > c.period_end:
        e.add(f"{FIELD}.period.end_date", "must not be before the start date")


def _theory(e: ViolationCollector, t: TheoryOfChange) -> None:
    path = f"{FIELD}.theory_of_change"
    _text(e, t.goal, f"{path}.goal", MAX_TEXT, required=False)
    for name in ("outcomes", "outputs", "assumptions"):
        items: tuple[str, ...] = getattr(t, name)
        _count(e, items, f"{path}.{name}", MAX_LIST_ITEMS)
        for i, item in enumerate(items):
            _text(e, item, f"{path}.{name}[{i}]", MAX_TEXT, required=True)


def _within(e: ViolationCollector, day: date | None, c: PlanContent, path: str) -> None:
    if day is None or c.period_start is None or c.period_end is None:
        return
    if not c.period_start <= day <= c.period_end:
        e.add(path, f"must be within the plan period {c.period_start}..{c.period_end}")


def _activity(
    e: ViolationCollector, a: Activity, path: str, c: PlanContent, facts: PlanFacts
) -> None:
    _text(e, a.title, f"{path}.title", MAX_TITLE, required=True)
    pillars = facts.framework.pillar_codes if facts.framework else None
    if not a.pillar_code:
        e.add(f"{path}.pillar_code", "is required: a pillar of the plan's framework")
    elif pillars is not None and a.pillar_code not in pillars:
        e.add(f"{path}.pillar_code", f"{quoted(a.pillar_code)} is not a pillar of the framework")
    if a.lead_org_id is None:
        e.add(f"{path}.lead_organisation", "is required")
    elif a.lead_org_id not in facts.known_org_ids:
        e.add(f"{path}.lead_organisation", "is not an organisation known to reporting")
    _count(e, a.partner_org_ids, f"{path}.partner_organisations", MAX_PARTNERS)
    for i, org in enumerate(a.partner_org_ids):
        if org not in facts.known_org_ids:
            e.add(f"{path}.partner_organisations[{i}]", "is not an organisation known to reporting")
        elif org == a.lead_org_id:
            e.add(f"{path}.partner_organisations[{i}]", "is the lead organisation already")
    for org in duplicates(a.partner_org_ids):
        e.add(f"{path}.partner_organisations", f"organisations/{org} is listed more than once")
    _within(e, a.start, c, f"{path}.start_date")
    _within(e, a.end, c, f"{path}.end_date")
    if a.start and a.end and a.start > a.end:
        e.add(f"{path}.end_date", "must not be before the start date")


def _budgets(e: ViolationCollector, activities: tuple[Activity, ...]) -> None:
    currency = None
    for i, a in enumerate(activities):
        if a.budget is None:
            continue
        path = f"{FIELD}.activities[{i}].budget"
        if not CURRENCY_CODE.match(a.budget.currency_code):
            e.add(f"{path}.currency_code", "must be a three-letter ISO 4217 code such as EUR")
        elif currency is None:
            currency = a.budget.currency_code
        elif a.budget.currency_code != currency:
            e.add(f"{path}.currency_code", f"must be {currency}, like the plan's other budgets")
        if a.budget.minor_units < 0:
            e.add(f"{path}.minor_units", "must not be negative")


def _cycle(e: ViolationCollector, code: str, path: str, c: PlanContent) -> None:
    try:
        cycle = cycle_from_code(code)
    except ValueError:
        e.add(path, f"{quoted(code)} is not a cycle code such as 2026-H1 or FY07-2026-Q1")
        return
    if c.period_start and c.period_end:
        if cycle.period_end < c.period_start or cycle.period_start > c.period_end:
            e.add(path, f"cycle {code} is outside the plan period")


def _standard(e: ViolationCollector, x: Indicator, path: str, facts: PlanFacts) -> None:
    if not x.standard_code or facts.framework is None:
        return
    asked = facts.framework.standard_indicators.get(x.standard_code)
    if asked is None:
        e.add(
            f"{path}.standard_indicator",
            f"{quoted(x.standard_code)} is not a standard indicator of the framework",
        )
        return
    for kind in sorted(asked - {str(d) for d in x.disaggregations}):
        e.add(
            f"{path}.disaggregations",
            f"standard indicator {x.standard_code} is broken down by {kind}; include it",
        )


def _indicator(
    e: ViolationCollector, x: Indicator, path: str, c: PlanContent, facts: PlanFacts
) -> None:
    _text(e, x.title, f"{path}.title", MAX_TITLE, required=True)
    _text(e, x.unit, f"{path}.unit", MAX_UNIT, required=False)
    _text(e, x.data_source, f"{path}.data_source", MAX_DATA_SOURCE, required=False)
    _standard(e, x, path, facts)
    _number(e, x.baseline, f"{path}.baseline")
    _count(e, x.targets, f"{path}.targets", MAX_TARGETS)
    for i, t in enumerate(x.targets):
        _cycle(e, t.cycle, f"{path}.targets[{i}].cycle", c)
        _number(e, t.value, f"{path}.targets[{i}].value")
    for cycle in duplicates(t.cycle for t in x.targets):
        e.add(f"{path}.targets", f"cycle {quoted(cycle)} has more than one target")
    for kind in duplicates(str(d) for d in x.disaggregations):
        e.add(f"{path}.disaggregations", f"{kind} is listed more than once")
    if x.activity_code and c.activity(x.activity_code) is None:
        e.add(f"{path}.activity_code", f"{quoted(x.activity_code)} is not an activity of the plan")


def content_problems(content: PlanContent, facts: PlanFacts) -> ViolationCollector:
    """Every shape problem of content, one violation per problem, with its field path."""
    e = ViolationCollector()
    _header(e, content, facts)
    _theory(e, content.theory_of_change)
    _count(e, content.activities, f"{FIELD}.activities", MAX_ACTIVITIES)
    _codes(e, [a.code for a in content.activities], f"{FIELD}.activities", "activity")
    for i, a in enumerate(content.activities):
        _activity(e, a, f"{FIELD}.activities[{i}]", content, facts)
    _budgets(e, content.activities)
    _count(e, content.indicators, f"{FIELD}.indicators", MAX_INDICATORS)
    _codes(e, [x.code for x in content.indicators], f"{FIELD}.indicators", "indicator")
    for i, x in enumerate(content.indicators):
        _indicator(e, x, f"{FIELD}.indicators[{i}]", content, facts)
    return e


def check_content(content: PlanContent, facts: PlanFacts) -> None:
    """InvalidArgument listing every shape problem of content."""
    content_problems(content, facts).raise_invalid("the action plan is not valid")


def completeness_problems(content: PlanContent) -> ViolationCollector:
    """What a plan still lacks before it can be submitted, one violation per gap."""
    e = ViolationCollector()
    e.require(
        bool(content.theory_of_change.goal.strip()),
        f"{FIELD}.theory_of_change.goal",
        "state the goal of the plan",
    )
    e.require(bool(content.activities), f"{FIELD}.activities", "add at least one activity")
    e.require(bool(content.indicators), f"{FIELD}.indicators", "add at least one indicator")
    for i, x in enumerate(content.indicators):
        e.require(
            bool(x.targets),
            f"{FIELD}.indicators[{i}].targets",
            f"indicator {x.code} needs a target for at least one reporting cycle",
        )
    return e


def check_complete(content: PlanContent) -> None:
    """FailedPrecondition listing every gap that keeps content from being submitted."""
    completeness_problems(content).raise_precondition("the action plan is not complete")
