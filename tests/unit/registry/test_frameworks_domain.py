"""Framework rules: pillars and indicators, the lifecycle, the comment window."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime

import pytest

from services.common.errors import FailedPrecondition, InvalidArgument
from services.registry.domain.frameworks import (
    Disaggregation,
    FrameworkContent,
    FrameworkKind,
    FrameworkState,
    Indicator,
    IndicatorDirection,
    IndicatorLevel,
    Pillar,
    check_adoption,
    check_comment,
    check_comment_window,
    check_consultation_opening,
    check_new,
    check_update,
    days_waiting,
    require_editable,
)

TODAY = date(2026, 11, 22)
DRAFT, CONSULTATION, ADOPTED = FrameworkState
OUTPUT, OUTCOME = IndicatorLevel.OUTPUT, IndicatorLevel.OUTCOME
UP, DOWN = IndicatorDirection
SEX = Disaggregation.SEX


def content(**changes: object) -> FrameworkContent:
    base = FrameworkContent(
        title="National Strategy for Preventing Hate and Violent Extremism 2026-2030",
        summary="Whole-of-society prevention.",
        pillars=(Pillar("P1", "Prevent"), Pillar("P2", "Protect")),
        indicators=(
            Indicator("P1.OUT.1", "People trained", "P1", OUTPUT, "people", UP, (SEX,)),
            Indicator("P2.OUT.1", "Hate incidents", "P2", OUTCOME, "incidents", DOWN),
        ),
        document_url="https://prevention.example/strategy.pdf",
    )
    return replace(base, **changes)


def fields(exc: pytest.ExceptionInfo[InvalidArgument]) -> set[str]:
    return {v.field for v in exc.value.violations}


def test_a_complete_framework_is_valid() -> None:
    check_new(content(), FrameworkKind.STRATEGY)


def test_kind_and_title_are_required() -> None:
    with pytest.raises(InvalidArgument) as exc:
        check_new(content(title=""), None)
    assert fields(exc) == {"framework.kind", "framework.title"}


def test_pillar_and_indicator_codes_are_unique() -> None:
    bad = content(
        pillars=(Pillar("P1", "Prevent"), Pillar("P1", "Again")),
        indicators=(
            Indicator("I1", "A", "P1", OUTPUT, "n", UP),
            Indicator("I1", "B", "P1", OUTPUT, "n", UP),
        ),
    )
    with pytest.raises(InvalidArgument) as exc:
        check_update(bad)
    assert fields(exc) == {"framework.pillars[1].code", "framework.indicators[1].code"}


def test_an_indicator_must_be_complete_and_belong_to_a_pillar() -> None:
    bad = content(
        indicators=(Indicator("I1", "A", "P9", None, " ", None, (SEX, SEX, None)),),
        document_url="ftp:/nowhere",
    )
    with pytest.raises(InvalidArgument) as exc:
        check_update(bad)
    assert fields(exc) == {
        "framework.document_url",
        "framework.indicators[0].pillar_code",
        "framework.indicators[0].level",
        "framework.indicators[0].unit",
        "framework.indicators[0].direction",
        "framework.indicators[0].disaggregations[2]",
        "framework.indicators[0].disaggregations",
    }


def test_only_drafts_and_consultations_change_or_get_adopted() -> None:
    for state in (DRAFT, CONSULTATION):
        require_editable(state)
        check_adoption(state)
    with pytest.raises(FailedPrecondition):
        require_editable(ADOPTED)
    with pytest.raises(FailedPrecondition):
        check_adoption(ADOPTED)


def test_consultation_opens_from_draft_with_a_future_closing_date() -> None:
    check_consultation_opening(DRAFT, date(2026, 12, 31), TODAY)
    with pytest.raises(InvalidArgument) as exc:
        check_consultation_opening(DRAFT, TODAY, TODAY)
    assert fields(exc) == {"closes_on"}
    with pytest.raises(FailedPrecondition):
        check_consultation_opening(CONSULTATION, date(2026, 12, 31), TODAY)


def test_comments_are_taken_up_to_and_including_the_closing_date() -> None:
    check_comment_window(CONSULTATION, TODAY, TODAY)
    with pytest.raises(FailedPrecondition):
        check_comment_window(CONSULTATION, date(2026, 11, 21), TODAY)
    with pytest.raises(FailedPrecondition):
        check_comment_window(DRAFT, None, TODAY)


def test_a_comment_anchor_names_a_pillar_or_indicator() -> None:
    check_comment(content(), "P2", "Please add a pillar on online hate.")
    check_comment(content(), "P1.OUT.1", "Count volunteers too.")
    with pytest.raises(InvalidArgument) as exc:
        check_comment(content(), "P7", "")
    assert fields(exc) == {"anchor_code", "text"}


def test_days_waiting_counts_whole_days_until_acknowledged() -> None:
    sent = datetime(2026, 11, 1, 12, tzinfo=UTC)
    now = datetime(2026, 11, 22, 11, tzinfo=UTC)
    assert days_waiting(sent, False, now) == 20
    assert days_waiting(sent, True, now) == 0
