"""The plan form's tables turn into the ActionPlan message and back; a diff reads in words."""

from __future__ import annotations

from datetime import date

from nlc.common.v1.common_pb2 import Money
from nlc.registry.v1 import frameworks_pb2
from nlc.reporting.v1 import plans_pb2 as pb
from ui.plan_diff import change_rows, compared_version, where
from ui.plan_tables import (
    activities_frame,
    indicators_frame,
    parse_targets,
    plan_activities,
    plan_indicators,
)

CITY = "organisations/city"
POLICE = "organisations/police"
ORGS = {CITY: "Riverton City Hall", POLICE: "Riverton Police"}


def _plan() -> pb.ActionPlan:
    return pb.ActionPlan(
        activities=[
            pb.PlanActivity(
                code="A1",
                title="Youth mentoring",
                pillar_code="P1",
                lead_organisation=CITY,
                partner_organisations=[POLICE],
                start_date="2026-01-01",
                end_date="2026-12-31",
                budget=Money(currency_code="EUR", minor_units=1_234_56),
            )
        ],
        indicators=[
            pb.PlanIndicator(
                code="I1",
                title="Young people mentored",
                level=frameworks_pb2.INDICATOR_LEVEL_OUTPUT,
                baseline=120,
                baseline_date="2026-01-01",
                targets=[pb.IndicatorTarget(cycle="2026-H1", value=150)],
                direction=frameworks_pb2.INDICATOR_DIRECTION_UP,
                disaggregations=[frameworks_pb2.DISAGGREGATION_SEX],
                aggregation=pb.AGGREGATION_SUM,
                activity_code="A1",
            )
        ],
    )


def test_activities_go_through_the_table_unchanged_with_budgets_in_major_units() -> None:
    frame = activities_frame(_plan(), ORGS)
    assert frame.loc[0, "Budget"] == 1234.56
    assert frame.loc[0, "Lead organisation"] == "Riverton City Hall"
    assert frame.loc[0, "Start"] == date(2026, 1, 1)
    problems: dict[str, str] = {}
    assert plan_activities(frame, "EUR", ORGS, problems) == list(_plan().activities)
    assert problems == {}


def test_indicators_go_through_the_table_unchanged() -> None:
    problems: dict[str, str] = {}
    assert plan_indicators(indicators_frame(_plan()), problems) == list(_plan().indicators)
    assert problems == {}


def test_an_unknown_partner_and_badly_written_targets_name_their_fields() -> None:
    activities = activities_frame(_plan(), ORGS)
    activities.loc[0, "Partners"] = "Nobody we know"
    indicators = indicators_frame(_plan())
    indicators.loc[0, "Targets"] = "150 in spring"
    problems: dict[str, str] = {}
    plan_activities(activities, "EUR", ORGS, problems)
    plan_indicators(indicators, problems)
    assert set(problems) == {
        "action_plan.activities[0].partner_organisations",
        "action_plan.indicators[0].targets",
    }


def test_empty_rows_of_a_table_are_left_out() -> None:
    frame = activities_frame(pb.ActionPlan(), ORGS)
    frame.loc[0] = [None] * len(frame.columns)
    assert plan_activities(frame, "EUR", ORGS, {}) == []


def test_targets_are_typed_as_cycle_and_value() -> None:
    assert parse_targets("2026-H1: 150; 2026-H2: 180.5") == [
        pb.IndicatorTarget(cycle="2026-H1", value=150),
        pb.IndicatorTarget(cycle="2026-H2", value=180.5),
    ]
    assert parse_targets("2026-H1 150") is None


def test_changes_read_in_words_with_money_formatted() -> None:
    change = pb.PlanChange(
        path="activities[A1].budget",
        kind=pb.CHANGE_KIND_CHANGED,
        before='{"currency_code": "EUR", "minor_units": 100000}',
        after='{"currency_code": "EUR", "minor_units": 150000}',
    )
    added = pb.PlanChange(path="indicators[I2]", kind=pb.CHANGE_KIND_ADDED, after='{"code": "I2"}')
    assert change_rows([change, added]) == [
        {
            "Change": "Changed",
            "Where": "Activity A1, budget",
            "Before": "1,000.00 EUR",
            "After": "1,500.00 EUR",
        },
        {"Change": "Added", "Where": "Indicator I2", "Before": "—", "After": "code: I2"},
    ]
    assert where("indicators[I1].targets[2026-H1]") == "Indicator I1, target for 2026-H1"
    assert where("theory_of_change.outcomes") == "Theory of change, outcomes"


def test_a_version_is_compared_with_the_one_in_force_or_the_one_before() -> None:
    assert compared_version(pb.ActionPlan(version=3, approved_version=1)) == 1
    assert compared_version(pb.ActionPlan(version=2, approved_version=2)) == 1
    assert compared_version(pb.ActionPlan(version=1)) == 0
