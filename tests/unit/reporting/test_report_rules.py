"""Report rules: pre-fill from the plan, shape checks when saving, completeness when submitting."""

from __future__ import annotations

import itertools
import math
from dataclasses import replace

import pytest

from services.common.errors import InvalidArgument
from services.common.money import Money
from services.reporting.domain.report_rules import (
    UPDATABLE,
    apply_update,
    completeness_gaps,
    prefill,
)
from services.reporting.domain.reports import (
    ActivityProgress,
    ActivityStatus,
    DisaggregatedValue,
    IndicatorActual,
    Narrative,
    ReportContent,
    ReportKind,
    SupportKind,
    SupportRequest,
)
from tests.unit.reporting.report_samples import AGE, CYCLE, SEX, breakdown, complete_content, plan

PROGRESS, FINAL = ReportKind.PROGRESS, ReportKind.FINAL_EVALUATION
_ids = itertools.count(1)


def new_id() -> str:
    return f"sr-{next(_ids)}"


def update(given: ReportContent, *paths: str, current: ReportContent | None = None, **kw):
    base = current if current is not None else prefill(plan(), CYCLE)
    options = {"kind": PROGRESS, "plan": plan(), "new_id": new_id, **kw}
    return apply_update(base, given, paths or UPDATABLE, **options)


def violations(given: ReportContent, *paths: str, **kw) -> dict[str, str]:
    with pytest.raises(InvalidArgument) as caught:
        update(given, *paths, **kw)
    return {v.field: v.description for v in caught.value.violations}


def gaps(content: ReportContent, kind: ReportKind = PROGRESS, with_plan: bool = True):
    found = completeness_gaps(kind, content, plan() if with_plan else None)
    return {v.field: v.description for v in found}, len(found)


# Pre-fill ----------------------------------------------------------------------------------


def test_prefill_has_one_row_per_activity_and_indicator_with_the_cycle_target() -> None:
    content = prefill(plan(), CYCLE)
    assert [(a.activity_code, a.title, a.status) for a in content.activities] == [
        ("A1", "Youth mentoring", None),
        ("A2", "Community dialogues", None),
    ]
    assert [(i.indicator_code, i.target, i.baseline, i.has_value) for i in content.indicators] == [
        ("I1", 150.0, 100.0, False),
        ("I2", 45.0, 40.0, False),
        ("I3", 0.0, 100.0, False),
    ]


def test_prefill_takes_the_target_of_the_report_cycle() -> None:
    assert prefill(plan(), "2026-H2").indicator("I1").target == 200.0
    assert prefill(plan(), "2026-H2").indicator("I2").target == 0.0


def test_a_report_without_a_plan_starts_empty() -> None:
    assert prefill(None, CYCLE) == ReportContent()


def test_content_survives_its_record() -> None:
    content = replace(
        update(complete_content()),
        support_requests=(SupportRequest("x", SupportKind.FUNDING, "Buses", Money("EUR", 9)),),
        evaluation_url="https://example.org/e.pdf",
    )
    assert ReportContent.from_record(content.to_record()) == content


# Shape on save -----------------------------------------------------------------------------


def test_a_complete_update_keeps_what_the_plan_says_about_titles_and_targets() -> None:
    given = complete_content()
    forged = replace(given.indicators[0], title="Forged", target=1.0, baseline=0.0)
    saved = update(replace(given, indicators=(forged, *given.indicators[1:])))
    first = saved.indicator("I1")
    assert (first.title, first.target, first.baseline, first.value) == (
        "Indicator I1",
        150,
        100,
        160,
    )
    assert saved.activity("A1").title == "Youth mentoring"
    assert saved.activity("A2").status == ActivityStatus.DELAYED


def test_rows_not_sent_keep_what_they_had() -> None:
    first = update(complete_content())
    second = update(
        ReportContent(activities=(ActivityProgress("A2", status=ActivityStatus.COMPLETED),)),
        "activities",
        current=first,
    )
    assert second.activity("A1") == first.activity("A1")
    assert second.activity("A2").status == ActivityStatus.COMPLETED
    assert second.indicators == first.indicators


def test_codes_must_be_those_of_the_plan_version() -> None:
    found = violations(
        ReportContent(
            activities=(ActivityProgress("A9"),),
            indicators=(IndicatorActual("I9", has_value=True, value=1),),
        ),
        "activities",
        "indicators",
    )
    assert set(found) == {
        "progress_report.activities[0].activity_code",
        "progress_report.indicators[0].indicator_code",
    }
    assert (
        "not an activity of the plan version"
        in found["progress_report.activities[0].activity_code"]
    )


def test_a_code_sent_twice_is_refused() -> None:
    found = violations(ReportContent(activities=(ActivityProgress("A1"), ActivityProgress("A1"))))
    assert list(found) == ["progress_report.activities[1]"]


def test_spend_is_in_the_currency_of_the_activity_budget_and_not_negative() -> None:
    found = violations(
        ReportContent(
            activities=(
                ActivityProgress("A1", spend=Money("USD", 10)),
                ActivityProgress("A2", spend=Money("KES", -1)),
            )
        ),
        "activities",
    )
    assert found == {
        "progress_report.activities[0].spend.currency_code": "must be EUR, the currency of the "
        "activity's budget",
        "progress_report.activities[1].spend.minor_units": "must not be negative",
    }


@pytest.mark.parametrize("bad", [math.nan, math.inf, -math.inf, 1e16])
def test_values_must_be_finite_numbers(bad: float) -> None:
    given = ReportContent(
        indicators=(
            IndicatorActual(
                "I1", has_value=True, value=bad, breakdown=(DisaggregatedValue(SEX, "male", bad),)
            ),
        )
    )
    found = violations(given, "indicators")
    assert set(found) == {
        "progress_report.indicators[0].value",
        "progress_report.indicators[0].breakdown[0].value",
    }


def test_breakdown_categories_come_from_the_allowed_lists() -> None:
    given = ReportContent(
        indicators=(
            IndicatorActual(
                "I1",
                has_value=True,
                value=3,
                breakdown=(
                    DisaggregatedValue(SEX, "woman", 1),
                    DisaggregatedValue(AGE, "19-23", 1),
                    DisaggregatedValue(AGE, "65+", 1),
                    DisaggregatedValue(AGE, "65+", 1),
                ),
            ),
            IndicatorActual(
                "I2", has_value=True, value=3, breakdown=(DisaggregatedValue(SEX, "male", 3),)
            ),
        )
    )
    found = violations(given, "indicators")
    assert found["progress_report.indicators[0].breakdown[0].category"].startswith(
        "must be one of female, male"
    )
    assert "progress_report.indicators[0].breakdown[1].category" in found
    assert "appears more than once" in found["progress_report.indicators[0].breakdown[3]"]
    assert found["progress_report.indicators[1].breakdown[0].dimension"] == (
        "indicator I2 is not broken down by sex"
    )


def test_support_requests_need_a_kind_and_a_description_and_only_funding_has_an_amount() -> None:
    given = ReportContent(
        support_requests=(
            SupportRequest("", None, "  "),
            SupportRequest("", SupportKind.TRAINING, "Facilitators", Money("EUR", 100)),
            SupportRequest("unknown", SupportKind.GUIDANCE, "On data protection"),
            SupportRequest("", SupportKind.FUNDING, "Buses", Money("EUR", 250_000)),
        )
    )
    found = violations(given, "support_requests")
    assert set(found) == {
        "progress_report.support_requests[0].kind",
        "progress_report.support_requests[0].description",
        "progress_report.support_requests[1].amount",
        "progress_report.support_requests[2].id",
    }


def test_new_support_requests_get_ids_and_known_ids_are_kept() -> None:
    first = update(
        ReportContent(support_requests=(SupportRequest("", SupportKind.FUNDING, "Buses"),)),
        "support_requests",
    )
    (made,) = first.support_requests
    assert made.id
    again = update(
        ReportContent(
            support_requests=(
                replace(made, description="Two buses"),
                SupportRequest("", SupportKind.COORDINATION, "Police liaison"),
            )
        ),
        "support_requests",
        current=first,
    )
    assert again.support_requests[0].id == made.id
    assert again.support_requests[1].id not in ("", made.id)


def test_only_final_evaluations_carry_a_link_and_it_is_https() -> None:
    given = ReportContent(evaluation_url="https://example.org/evaluation.pdf")
    assert (
        "only final evaluations"
        in violations(given, "evaluation_url")["progress_report.evaluation_url"]
    )
    plain = ReportContent(evaluation_url="http://example.org/evaluation.pdf")
    assert (
        "https"
        in violations(plain, "evaluation_url", kind=FINAL, plan=None)[
            "progress_report.evaluation_url"
        ]
    )
    saved = update(given, "evaluation_url", kind=FINAL, plan=None, current=ReportContent())
    assert saved.evaluation_url == "https://example.org/evaluation.pdf"


def test_a_report_without_a_plan_has_no_activities_or_indicators() -> None:
    found = violations(
        ReportContent(activities=(ActivityProgress("A1"),)), "activities", plan=None,
        current=ReportContent(),
    )  # fmt: skip
    assert list(found) == ["progress_report.activities"]


# Completeness on submit --------------------------------------------------------------------


def test_a_complete_report_has_no_gaps() -> None:
    assert gaps(update(complete_content())) == ({}, 0)


def test_a_blank_report_has_one_violation_per_gap() -> None:
    found, count = gaps(prefill(plan(), CYCLE))
    assert count == len(found) == 7
    assert set(found) == {
        "progress_report.activities[0].status",
        "progress_report.activities[1].status",
        "progress_report.indicators[0].value",
        "progress_report.indicators[1].value",
        "progress_report.indicators[2].value",
        "progress_report.narrative.achievements",
        "progress_report.narrative.challenges",
    }


def test_each_required_dimension_must_be_present() -> None:
    content = update(complete_content())
    only_sex = replace(content.indicator("I1"), breakdown=breakdown(160)[:2])
    found, count = gaps(replace(content, indicators=(only_sex, *content.indicators[1:])))
    assert count == 1
    assert found["progress_report.indicators[0].breakdown"] == (
        "indicator I1 needs a breakdown by age_group"
    )


def test_a_breakdown_that_does_not_add_up_is_a_gap() -> None:
    content = update(complete_content())
    parts = (
        DisaggregatedValue(SEX, "female", 100),
        DisaggregatedValue(SEX, "male", 50),
        DisaggregatedValue(AGE, "18-24", 160),
    )
    wrong = replace(content.indicator("I1"), breakdown=parts)
    found, count = gaps(replace(content, indicators=(wrong, *content.indicators[1:])))
    assert count == 1
    assert "adds up to 150, not the value 160" in found["progress_report.indicators[0].breakdown"]


def test_parts_add_up_within_a_relative_tolerance() -> None:
    content = update(complete_content())
    value = 0.3
    parts = (
        DisaggregatedValue(SEX, "female", 0.1),
        DisaggregatedValue(SEX, "male", 0.2),
        DisaggregatedValue(AGE, "18-24", value * (1 + 1e-12)),
    )
    close = replace(content.indicator("I1"), value=value, breakdown=parts)
    assert gaps(replace(content, indicators=(close, *content.indicators[1:]))) == ({}, 0)
    off = replace(close, breakdown=(*parts[:2], DisaggregatedValue(AGE, "18-24", value * 1.00001)))
    assert gaps(replace(content, indicators=(off, *content.indicators[1:])))[1] == 1


def test_a_final_evaluation_needs_its_https_link() -> None:
    content = update(complete_content())
    found, count = gaps(content, FINAL)
    assert count == 1 and "progress_report.evaluation_url" in found
    linked = replace(content, evaluation_url="https://example.org/final.pdf")
    assert gaps(linked, FINAL) == ({}, 0)


def test_a_grant_report_needs_only_its_narrative_and_a_final_one_its_link() -> None:
    assert gaps(ReportContent(), with_plan=False)[1] == 2
    told = ReportContent(narrative=Narrative("Forty sessions", "Staff turnover"))
    assert gaps(told, with_plan=False) == ({}, 0)
    assert set(gaps(told, FINAL, with_plan=False)[0]) == {"progress_report.evaluation_url"}


def test_free_text_may_not_hold_control_characters_but_may_hold_line_breaks() -> None:
    given = ReportContent(
        narrative=Narrative("Line one\nLine two\ttabbed", "nul \x00 here"),
        support_requests=(SupportRequest("", SupportKind.TRAINING, "bell \x07"),),
    )
    found = violations(given, "narrative", "support_requests")
    assert found == {
        "progress_report.narrative.challenges": "must not contain control characters",
        "progress_report.support_requests[0].description": "must not contain control characters",
    }
