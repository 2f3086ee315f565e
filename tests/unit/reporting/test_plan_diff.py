"""Diffs between plan versions: paths a reader can follow, values as JSON text."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date

from services.common.money import Money
from services.reporting.domain.plan_diff import ChangeKind, diff
from services.reporting.domain.plans import Target, TheoryOfChange
from tests.unit.reporting.test_plan_rules import activity, content, indicator


def by_path(before, after) -> dict[str, tuple[ChangeKind, str, str]]:
    return {c.path: (c.kind, c.before, c.after) for c in diff(before, after)}


def test_identical_versions_have_no_changes() -> None:
    assert diff(content(), content()) == []


def test_header_fields_are_compared_as_a_whole() -> None:
    after = content(
        title="Riverton plan (revised)",
        period_end=date(2028, 6, 30),
        theory_of_change=replace(content().theory_of_change, outcomes=("Trust", "Belonging")),
    )
    found = by_path(content(), after)
    assert found["title"] == (
        ChangeKind.CHANGED,
        '"Riverton prevention plan 2026-2027"',
        '"Riverton plan (revised)"',
    )
    _, before, now = found["period"]
    assert json.loads(before)["end_date"] == "2027-12-31"
    assert json.loads(now) == {"start_date": "2026-01-01", "end_date": "2028-06-30"}
    assert json.loads(found["theory_of_change.outcomes"][2]) == ["Trust", "Belonging"]
    assert set(found) == {"title", "period", "theory_of_change.outcomes"}


def test_a_changed_activity_shows_each_changed_field() -> None:
    after = content(activities=(activity(budget=Money("EUR", 2_000_000), end=date(2026, 12, 31)),))
    found = by_path(content(), after)
    assert set(found) == {"activities[A1].budget", "activities[A1].end_date"}
    kind, before, now = found["activities[A1].budget"]
    assert kind == ChangeKind.CHANGED
    assert json.loads(before) == {"currency_code": "EUR", "minor_units": 1_500_000}
    assert json.loads(now) == {"currency_code": "EUR", "minor_units": 2_000_000}


def test_added_and_removed_activities_appear_whole() -> None:
    before = content(activities=(activity("A1"), activity("A2")))
    after = content(activities=(activity("A1"), activity("A3", title="Sports league")))
    found = by_path(before, after)
    assert list(found) == ["activities[A3]", "activities[A2]"]
    kind, old, new = found["activities[A3]"]
    assert (kind, old) == (ChangeKind.ADDED, "")
    assert json.loads(new)["title"] == "Sports league"
    kind, old, new = found["activities[A2]"]
    assert (kind, new) == (ChangeKind.REMOVED, "")
    assert json.loads(old)["code"] == "A2"


def test_targets_are_compared_per_cycle_by_value() -> None:
    targets = (Target("2026-H1", 175.0), Target("2027-H1", 250.0))
    found = by_path(content(), content(indicators=(indicator(targets=targets),)))
    assert found == {
        "indicators[I1].targets[2026-H1]": (ChangeKind.CHANGED, "150.0", "175.0"),
        "indicators[I1].targets[2027-H1]": (ChangeKind.ADDED, "", "250.0"),
        "indicators[I1].targets[2026-H2]": (ChangeKind.REMOVED, "200.0", ""),
    }


def test_fields_use_api_names() -> None:
    after = content(indicators=(indicator(standard_code="P1.OC.1", disaggregations=()),))
    assert set(by_path(content(), after)) == {
        "indicators[I1].standard_indicator",
        "indicators[I1].disaggregations",
    }


def test_an_empty_draft_against_a_full_plan_lists_every_part() -> None:
    empty = content(title="", theory_of_change=TheoryOfChange(), activities=(), indicators=())
    paths = [c.path for c in diff(empty, content())]
    assert paths[0] == "title"
    assert paths[-2:] == ["activities[A1]", "indicators[I1]"]
    assert all(c.kind == ChangeKind.CHANGED for c in diff(empty, content())[:-2])
