"""Report rules: pre-fill from the plan, shape checks on every save, completeness on submit."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from dataclasses import replace
from urllib.parse import urlsplit

from services.common.errors import Violation, ViolationCollector, quoted
from services.common.text import text_problem
from services.reporting.domain.plans import Indicator, PlanContent
from services.reporting.domain.reports import (
    CATEGORIES,
    ActivityProgress,
    IndicatorActual,
    ReportContent,
    ReportKind,
    SupportKind,
    SupportRequest,
)

PREFIX = "progress_report"
MAX_NOTE = 2000
MAX_NARRATIVE = 20_000
MAX_DESCRIPTION = 2000
MAX_SUPPORT_REQUESTS = 50
MAX_URL = 2000
MAX_MAGNITUDE = 1e15
SUM_TOLERANCE = 1e-9
NARRATIVE_ASKS = {
    "achievements": "what did the period achieve?",
    "challenges": "what got in the way?",
}
UPDATABLE = ("activities", "indicators", "narrative", "support_requests", "evaluation_url")


def prefill(plan: PlanContent | None, cycle: str) -> ReportContent:
    """A blank report: one row per plan activity and indicator, with the cycle's target."""
    if plan is None:
        return ReportContent()
    return ReportContent(
        activities=tuple(ActivityProgress(a.code, a.title) for a in plan.activities),
        indicators=tuple(
            IndicatorActual(
                indicator_code=i.code,
                title=i.title,
                unit=i.unit,
                target=i.target_for(cycle) or 0.0,
                baseline=i.baseline,
            )
            for i in plan.indicators
        ),
    )


def _number_problem(value: float) -> str | None:
    if not math.isfinite(value):
        return "must be a finite number"
    if abs(value) > MAX_MAGNITUDE:
        return f"must be between -{MAX_MAGNITUDE:g} and {MAX_MAGNITUDE:g}"
    return None


def _check_number(errors: ViolationCollector, value: float, field: str) -> None:
    problem = _number_problem(value)
    if problem:
        errors.add(field, problem)


def _check_text(errors: ViolationCollector, text: str, limit: int, field: str) -> None:
    problem = text_problem(text, limit)
    if problem:
        errors.add(field, problem)


def _no_plan(errors: ViolationCollector, given: tuple, section: str) -> None:
    if given:
        errors.add(
            f"{PREFIX}.{section}", f"this report follows no action plan, so it has no {section}"
        )


def _activity(
    errors: ViolationCollector, plan: PlanContent, a: ActivityProgress, path: str
) -> ActivityProgress | None:
    planned = plan.activity(a.activity_code)
    if planned is None:
        errors.add(
            f"{path}.activity_code",
            f"{quoted(a.activity_code)} is not an activity of the plan version this report follows",
        )
        return None
    if a.spend is not None:
        budget = planned.budget
        if budget is not None and a.spend.currency_code != budget.currency_code:
            errors.add(
                f"{path}.spend.currency_code",
                f"must be {budget.currency_code}, the currency of the activity's budget",
            )
        errors.require(
            a.spend.minor_units >= 0, f"{path}.spend.minor_units", "must not be negative"
        )
    _check_text(errors, a.note, MAX_NOTE, f"{path}.note")
    return replace(a, title=planned.title, note=a.note.strip())


def _merge_by_code(
    errors: ViolationCollector,
    current: tuple,
    given: Iterable,
    code_of: Callable,
    check: Callable,
    section: str,
) -> tuple:
    """current with each given row (checked) in place of the row of the same code."""
    changed: dict[str, object] = {}
    for i, row in enumerate(given):
        path = f"{PREFIX}.{section}[{i}]"
        code = code_of(row)
        checked = check(row, path)
        if checked is None:
            continue
        if code in changed:
            errors.add(path, f"{quoted(code)} appears more than once")
            continue
        changed[code] = checked
    return tuple(changed.get(code_of(row), row) for row in current)


def _breakdown(
    errors: ViolationCollector, planned: Indicator, i: IndicatorActual, path: str
) -> None:
    seen = set()
    for j, part in enumerate(i.breakdown):
        at = f"{path}.breakdown[{j}]"
        _check_number(errors, part.value, f"{at}.value")
        if part.dimension not in planned.disaggregations:
            errors.add(
                f"{at}.dimension",
                f"indicator {planned.code} is not broken down by {part.dimension.value}",
            )
        elif part.category not in CATEGORIES[part.dimension]:
            allowed = ", ".join(CATEGORIES[part.dimension])
            errors.add(f"{at}.category", f"must be one of {allowed}")
        elif (part.dimension, part.category) in seen:
            errors.add(at, f"{part.dimension.value} {part.category} appears more than once")
        seen.add((part.dimension, part.category))


def _indicator(
    errors: ViolationCollector, plan: PlanContent, current: ReportContent, i: IndicatorActual,
    path: str,
) -> IndicatorActual | None:  # fmt: skip
    planned = plan.indicator(i.indicator_code)
    was = current.indicator(i.indicator_code)
    if planned is None or was is None:
        errors.add(
            f"{path}.indicator_code",
            f"{quoted(i.indicator_code)} is not an indicator of the plan version this report "
            "follows",
        )
        return None
    _check_number(errors, i.value, f"{path}.value")
    _check_text(errors, i.gap_explanation, MAX_NOTE, f"{path}.gap_explanation")
    _breakdown(errors, planned, i, path)
    # Title, unit, target and baseline come from the plan; the caller cannot change them.
    return replace(
        was,
        has_value=i.has_value,
        value=i.value if i.has_value else 0.0,
        gap_explanation=i.gap_explanation.strip(),
        breakdown=i.breakdown,
    )


def _support_request(
    errors: ViolationCollector, known: set[str], new_id: Callable[[], str], s: SupportRequest,
    path: str,
) -> SupportRequest:  # fmt: skip
    if s.kind is None:
        kinds = ", ".join(k.value for k in SupportKind)
        errors.add(f"{path}.kind", f"is required: one of {kinds}")
    if not s.description.strip():
        errors.add(f"{path}.description", "is required: say what support you need")
    _check_text(errors, s.description, MAX_DESCRIPTION, f"{path}.description")
    if s.amount is not None and s.kind != SupportKind.FUNDING:
        errors.add(f"{path}.amount", "only funding requests carry an amount")
    if s.amount is not None:
        errors.require(
            s.amount.minor_units >= 0, f"{path}.amount.minor_units", "must not be negative"
        )
    if s.id and s.id not in known:
        errors.add(
            f"{path}.id", "is not a support request of this report; leave it empty for a new one"
        )
    return replace(s, id=s.id or new_id(), description=s.description.strip())


def _support_requests(
    errors: ViolationCollector,
    current: ReportContent,
    given: tuple[SupportRequest, ...],
    new_id: Callable[[], str],
) -> tuple[SupportRequest, ...]:
    if len(given) > MAX_SUPPORT_REQUESTS:
        errors.add(
            f"{PREFIX}.support_requests", f"must hold at most {MAX_SUPPORT_REQUESTS} requests"
        )
        return current.support_requests
    known = {s.id for s in current.support_requests}
    out = [
        _support_request(errors, known, new_id, s, f"{PREFIX}.support_requests[{i}]")
        for i, s in enumerate(given)
    ]
    ids = [s.id for s in out]
    for i, s in enumerate(out):
        if ids.index(s.id) != i:
            errors.add(f"{PREFIX}.support_requests[{i}].id", "appears more than once")
    return tuple(out)


def _narrative_problems(errors: ViolationCollector, content: ReportContent) -> None:
    n = content.narrative
    for name in ("achievements", "challenges", "lessons"):
        _check_text(errors, getattr(n, name), MAX_NARRATIVE, f"{PREFIX}.narrative.{name}")


def url_problem(url: str) -> str | None:
    """Why url is not a public https link, or None."""
    problem = text_problem(url, MAX_URL)
    if problem:
        return problem
    parts = urlsplit(url)
    if parts.scheme != "https" or not parts.hostname or any(c.isspace() for c in url):
        return "must be a public https link, e.g. https://example.org/evaluation.pdf"
    return None


def _evaluation_url(errors: ViolationCollector, kind: ReportKind, url: str) -> str:
    url = url.strip()
    if url and kind != ReportKind.FINAL_EVALUATION:
        errors.add(f"{PREFIX}.evaluation_url", "only final evaluations carry an evaluation link")
    elif url:
        problem = url_problem(url)
        if problem:
            errors.add(f"{PREFIX}.evaluation_url", problem)
    return url


def apply_update(
    current: ReportContent,
    given: ReportContent,
    paths: Iterable[str],
    *,
    kind: ReportKind,
    plan: PlanContent | None,
    new_id: Callable[[], str],
) -> ReportContent:
    """current with the sections in paths taken from given, checked; InvalidArgument naming
    every bad field. Rows are matched by code; rows not given keep what they had."""
    errors = ViolationCollector()
    changes: dict[str, object] = {}
    paths = set(paths)
    if "activities" in paths:
        if plan is None:
            _no_plan(errors, given.activities, "activities")
        else:
            changes["activities"] = _merge_by_code(
                errors, current.activities, given.activities, lambda a: a.activity_code,
                lambda a, path: _activity(errors, plan, a, path), "activities",
            )  # fmt: skip
    if "indicators" in paths:
        if plan is None:
            _no_plan(errors, given.indicators, "indicators")
        else:
            changes["indicators"] = _merge_by_code(
                errors, current.indicators, given.indicators, lambda i: i.indicator_code,
                lambda i, path: _indicator(errors, plan, current, i, path), "indicators",
            )  # fmt: skip
    if "narrative" in paths:
        changes["narrative"] = given.narrative
        _narrative_problems(errors, given)
    if "support_requests" in paths:
        changes["support_requests"] = _support_requests(
            errors, current, given.support_requests, new_id
        )
    if "evaluation_url" in paths:
        changes["evaluation_url"] = _evaluation_url(errors, kind, given.evaluation_url)
    errors.raise_invalid("the report cannot be saved")
    return replace(current, **changes)


def _indicator_gaps(plan: PlanContent | None, i: IndicatorActual, path: str) -> list[Violation]:
    if not i.has_value:
        if i.gap_explanation.strip():
            return []
        return [
            Violation(
                f"{path}.value",
                f"indicator {i.indicator_code} needs a value, or a gap explanation saying why "
                "there is none",
            )
        ]
    planned = plan.indicator(i.indicator_code) if plan else None
    gaps = []
    for dimension in planned.disaggregations if planned else ():
        parts = [p.value for p in i.breakdown if p.dimension == dimension]
        if not parts:
            gaps.append(
                Violation(
                    f"{path}.breakdown",
                    f"indicator {i.indicator_code} needs a breakdown by {dimension.value}",
                )
            )
        elif not math.isclose(math.fsum(parts), i.value, rel_tol=SUM_TOLERANCE):
            gaps.append(
                Violation(
                    f"{path}.breakdown",
                    f"the {dimension.value} breakdown of indicator {i.indicator_code} adds up to "
                    f"{math.fsum(parts):g}, not the value {i.value:g}",
                )
            )
    return gaps


def completeness_gaps(
    kind: ReportKind, content: ReportContent, plan: PlanContent | None
) -> list[Violation]:
    """One violation per gap that keeps the report from being submitted (empty when complete)."""
    gaps = [
        Violation(f"{PREFIX}.activities[{n}].status", f"activity {a.activity_code} needs a status")
        for n, a in enumerate(content.activities)
        if a.status is None
    ]
    for n, i in enumerate(content.indicators):
        gaps += _indicator_gaps(plan, i, f"{PREFIX}.indicators[{n}]")
    narrative = content.narrative
    for name, ask in NARRATIVE_ASKS.items():
        if not getattr(narrative, name).strip():
            gaps.append(Violation(f"{PREFIX}.narrative.{name}", f"is required: {ask}"))
    if kind == ReportKind.FINAL_EVALUATION:
        problem = (
            url_problem(content.evaluation_url)
            if content.evaluation_url
            else "a final evaluation needs the public https link to the published evaluation"
        )
        if problem:
            gaps.append(Violation(f"{PREFIX}.evaluation_url", problem))
    return gaps
