"""An action plan's activities and indicators as the form's editable tables, and those tables
read back into the plan."""

from __future__ import annotations

from typing import Any

import pandas as pd

from nlc.registry.v1 import frameworks_pb2, mandates_pb2
from nlc.reporting.v1 import plans_pb2 as pb
from ui.cells import (
    LIST_SEPARATOR,
    blank,
    day,
    filled,
    iso,
    split,
    text,
)
from ui.display import (
    choices,
    money_of,
    words,
)
from ui.formatting import major_units

PREFIX = "action_plan."
DEFAULT_CURRENCY = "EUR"
PREVENTION_LEVELS = choices(mandates_pb2.PreventionLevel)
INDICATOR_LEVELS = choices(frameworks_pb2.IndicatorLevel)
DIRECTIONS = choices(frameworks_pb2.IndicatorDirection)
DISAGGREGATIONS = choices(frameworks_pb2.Disaggregation)
AGGREGATIONS = choices(pb.Aggregation)
ACTIVITY_COLUMNS = [
    "Code",
    "Title",
    "Pillar",
    "Lead organisation",
    "Partners",
    "Start",
    "End",
    "Budget",
    "Prevention level",
]
INDICATOR_COLUMNS = [
    "Code",
    "Title",
    "Standard indicator",
    "Level",
    "Unit",
    "Baseline",
    "Baseline date",
    "Targets",
    "Direction",
    "Breakdowns",
    "Data source",
    "Aggregation",
    "Activity",
]


def targets_text(targets: Any) -> str:
    """Targets as people type them: '2026-H1: 150; 2026-H2: 180'."""
    return f"{LIST_SEPARATOR} ".join(f"{t.cycle}: {t.value:g}" for t in targets)


def parse_targets(value: Any) -> list[pb.IndicatorTarget] | None:
    """Targets typed as 'cycle: value; …'; None when one of them is not written so."""
    found = []
    for part in split(value):
        cycle, colon, number = part.partition(":")
        try:
            found.append(pb.IndicatorTarget(cycle=cycle.strip(), value=float(number)))
        except ValueError:
            return None
        if not colon:
            return None
    return found


def budget_currency(plan: pb.ActionPlan) -> str:
    """The currency of the plan's budgets (EUR when none has one yet)."""
    codes = [a.budget.currency_code for a in plan.activities if a.budget.currency_code]
    return codes[0] if codes else DEFAULT_CURRENCY


def activities_frame(plan: pb.ActionPlan, orgs: dict[str, str]) -> pd.DataFrame:
    """The plan's activities as rows of the activities table (budgets in major units)."""
    rows = [
        {
            "Code": a.code,
            "Title": a.title,
            "Pillar": a.pillar_code,
            "Lead organisation": orgs.get(a.lead_organisation, a.lead_organisation) or None,
            "Partners": f"{LIST_SEPARATOR} ".join(orgs.get(p, p) for p in a.partner_organisations),
            "Start": day(a.start_date),
            "End": day(a.end_date),
            "Budget": major_units(a.budget.minor_units, a.budget.currency_code)
            if a.budget.currency_code
            else None,
            "Prevention level": words(mandates_pb2.PreventionLevel, a.prevention_level)
            if a.prevention_level
            else None,
        }
        for a in plan.activities
    ]
    return pd.DataFrame(rows, columns=ACTIVITY_COLUMNS)


def indicators_frame(plan: pb.ActionPlan) -> pd.DataFrame:
    """The plan's indicators as rows of the indicators table."""
    rows = [
        {
            "Code": x.code,
            "Title": x.title,
            "Standard indicator": x.standard_indicator,
            "Level": words(frameworks_pb2.IndicatorLevel, x.level) if x.level else None,
            "Unit": x.unit,
            "Baseline": x.baseline,
            "Baseline date": day(x.baseline_date),
            "Targets": targets_text(x.targets),
            "Direction": words(frameworks_pb2.IndicatorDirection, x.direction)
            if x.direction
            else None,
            "Breakdowns": f"{LIST_SEPARATOR} ".join(
                words(frameworks_pb2.Disaggregation, d) for d in x.disaggregations
            ),
            "Data source": x.data_source,
            "Aggregation": words(pb.Aggregation, x.aggregation) if x.aggregation else None,
            "Activity": x.activity_code,
        }
        for x in plan.indicators
    ]
    return pd.DataFrame(rows, columns=INDICATOR_COLUMNS)


def org_name(label: str, names: dict[str, str]) -> str | None:
    """The organisation a label names (by its display name or its resource name)."""
    return names.get(label) or (label if label in names.values() else None)


def plan_activities(
    frame: pd.DataFrame, currency: str, orgs: dict[str, str], problems: dict[str, str]
) -> list[pb.PlanActivity]:
    """Activities from the table's rows; unknown organisations are added to problems."""
    by_label = {label: name for name, label in orgs.items()}
    found = []
    for i, row in enumerate(filled(frame)):
        path = f"{PREFIX}activities[{i}]"
        lead = org_name(text(row["Lead organisation"]), by_label)
        if text(row["Lead organisation"]) and lead is None:
            problems[f"{path}.lead_organisation"] = "is not an organisation the platform knows"
        partners = [org_name(label, by_label) for label in split(row["Partners"])]
        if None in partners:
            problems[f"{path}.partner_organisations"] = "name organisations the platform knows"
        level = text(row["Prevention level"])
        activity = pb.PlanActivity(
            code=text(row["Code"]),
            title=text(row["Title"]),
            pillar_code=text(row["Pillar"]),
            lead_organisation=lead or "",
            partner_organisations=[p for p in partners if p],
            start_date=iso(row["Start"]),
            end_date=iso(row["End"]),
            prevention_level=PREVENTION_LEVELS.get(level, 0),
        )
        if not blank(row["Budget"]):
            activity.budget.CopyFrom(money_of(float(row["Budget"]), currency))
        found.append(activity)
    return found


def plan_indicators(frame: pd.DataFrame, problems: dict[str, str]) -> list[pb.PlanIndicator]:
    """Indicators from the table's rows; badly written targets or breakdowns go to problems."""
    found = []
    for i, row in enumerate(filled(frame)):
        path = f"{PREFIX}indicators[{i}]"
        targets = parse_targets(row["Targets"])
        if targets is None:
            problems[f"{path}.targets"] = "write each target as cycle: value, e.g. 2026-H1: 150"
        breakdowns = [DISAGGREGATIONS.get(kind.capitalize()) for kind in split(row["Breakdowns"])]
        if None in breakdowns:
            known = ", ".join(DISAGGREGATIONS)
            problems[f"{path}.disaggregations"] = f"choose among {known}"
        found.append(
            pb.PlanIndicator(
                code=text(row["Code"]),
                title=text(row["Title"]),
                standard_indicator=text(row["Standard indicator"]),
                level=INDICATOR_LEVELS.get(text(row["Level"]), 0),
                unit=text(row["Unit"]),
                baseline=0.0 if blank(row["Baseline"]) else float(row["Baseline"]),
                baseline_date=iso(row["Baseline date"]),
                targets=targets or [],
                direction=DIRECTIONS.get(text(row["Direction"]), 0),
                disaggregations=[b for b in breakdowns if b],
                data_source=text(row["Data source"]),
                aggregation=AGGREGATIONS.get(text(row["Aggregation"]), 0),
                activity_code=text(row["Activity"]),
            )
        )
    return found
