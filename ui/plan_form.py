"""The action plan form (header, theory of change, activities and indicators as editable tables)
turned into the ActionPlan message the reporting service takes, and a plan shown read-only."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import streamlit as st

from nlc.common.v1.common_pb2 import DateRange
from nlc.registry.v1 import frameworks_pb2
from nlc.reporting.v1 import plans_pb2 as pb
from ui.cells import (
    day,
    iso,
    lines,
)
from ui.client import PAGE_SIZE, UiError, services, show_error
from ui.display import (
    amount,
    fetch,
    field_problems,
    remember_outcome,
)
from ui.formatting import MISSING, date_text, money, money_format, money_step
from ui.paging import show_cut
from ui.plan_tables import (
    AGGREGATIONS,
    DIRECTIONS,
    DISAGGREGATIONS,
    INDICATOR_LEVELS,
    PREFIX,
    PREVENTION_LEVELS,
    activities_frame,
    budget_currency,
    indicators_frame,
    plan_activities,
    plan_indicators,
)

# Fields the form shows problems at, by their label and the word naming one entry; the rest
# go on top of the form.
AT_FIELDS = {
    "title": ("Title", "Item"),
    "framework": ("National framework", "Item"),
    "period": ("Period", "Item"),
    "theory_of_change": ("Theory of change", "Item"),
    "activities": ("Activities", "Activity"),
    "indicators": ("Indicators", "Indicator"),
}


def activities_editor(plan: pb.ActionPlan, key: str, orgs: dict[str, str], currency: str) -> Any:
    labels = sorted(set(orgs.values()))
    return st.data_editor(
        activities_frame(plan, orgs),
        key=f"{key}-activities",
        num_rows="dynamic",
        hide_index=True,
        column_config={
            "Code": st.column_config.TextColumn(help="Unique in the plan, e.g. A1.", required=True),
            "Pillar": st.column_config.TextColumn(help="Pillar code of the framework, e.g. P1."),
            "Lead organisation": st.column_config.SelectboxColumn(options=labels),
            "Partners": st.column_config.TextColumn(help="Organisations separated by ';'."),
            "Start": st.column_config.DateColumn(format="YYYY-MM-DD"),
            "End": st.column_config.DateColumn(format="YYYY-MM-DD"),
            "Budget": st.column_config.NumberColumn(
                f"Budget ({currency})",
                min_value=0,
                step=money_step(currency),
                format=money_format(currency),
            ),
            "Prevention level": st.column_config.SelectboxColumn(options=list(PREVENTION_LEVELS)),
        },
    )


def indicators_editor(plan: pb.ActionPlan, key: str) -> Any:
    return st.data_editor(
        indicators_frame(plan),
        key=f"{key}-indicators",
        num_rows="dynamic",
        hide_index=True,
        column_config={
            "Code": st.column_config.TextColumn(help="Unique in the plan, e.g. I1.", required=True),
            "Level": st.column_config.SelectboxColumn(options=list(INDICATOR_LEVELS)),
            "Baseline date": st.column_config.DateColumn(format="YYYY-MM-DD"),
            "Targets": st.column_config.TextColumn(help="Per cycle: '2026-H1: 150; 2026-H2: 180'."),
            "Direction": st.column_config.SelectboxColumn(options=list(DIRECTIONS)),
            "Breakdowns": st.column_config.TextColumn(help=", ".join(DISAGGREGATIONS)),
            "Aggregation": st.column_config.SelectboxColumn(options=list(AGGREGATIONS)),
            "Activity": st.column_config.TextColumn(help="Code of the activity it measures."),
        },
    )


def plan_form(
    plan: pb.ActionPlan,
    key: str,
    frameworks: dict[str, str],
    orgs: dict[str, str],
    save: Callable[[pb.ActionPlan], str],
) -> None:
    """The form of plan; "Save plan" passes what is typed to save, whose words are shown after
    a rerun; problems are shown at the fields they concern and the plan stays as it was."""
    toc = plan.theory_of_change
    with st.form(key):
        status = st.empty()
        slots: dict[str, Any] = {}
        title = st.text_input("Title", value=plan.title, max_chars=200)
        slots["title"] = st.empty()
        options = list(frameworks) or [plan.framework]
        framework = st.selectbox(
            "National framework",
            options,
            index=options.index(plan.framework) if plan.framework in options else 0,
            format_func=lambda name: frameworks.get(name, name),
        )
        slots["framework"] = st.empty()
        left, right = st.columns(2)
        start = left.date_input("Period start", value=day(plan.period.start_date))
        end = right.date_input("Period end", value=day(plan.period.end_date))
        slots["period"] = st.empty()
        st.markdown("**Theory of change**")
        goal = st.text_area("Goal", value=toc.goal)
        columns = st.columns(3)
        outcomes = columns[0].text_area("Outcomes (one a line)", value="\n".join(toc.outcomes))
        outputs = columns[1].text_area("Outputs (one a line)", value="\n".join(toc.outputs))
        assumptions = columns[2].text_area(
            "Assumptions (one a line)", value="\n".join(toc.assumptions)
        )
        slots["theory_of_change"] = st.empty()
        st.markdown("**Activities**")
        currency = st.text_input("Budget currency", value=budget_currency(plan), max_chars=3)
        activities = activities_editor(plan, key, orgs, currency.strip().upper())
        slots["activities"] = st.empty()
        st.markdown("**Indicators**")
        indicators = indicators_editor(plan, key)
        slots["indicators"] = st.empty()
        sent = st.form_submit_button("Save plan", type="primary", icon=":material/save:")
    if not sent:
        return
    problems: dict[str, str] = {}
    typed = pb.ActionPlan(
        name=plan.name,
        etag=plan.etag,
        title=title,
        framework=framework or "",
        period=DateRange(start_date=iso(start), end_date=iso(end)),
        theory_of_change=pb.TheoryOfChange(
            goal=goal,
            outcomes=lines(outcomes),
            outputs=lines(outputs),
            assumptions=lines(assumptions),
        ),
        activities=plan_activities(activities, currency.strip().upper(), orgs, problems),
        indicators=plan_indicators(indicators, problems),
    )
    try:
        if problems:
            raise UiError("Some values need fixing.", problems, "INVALID_ARGUMENT")
        remember_outcome(save(typed))
    except UiError as error:
        with status.container():
            show_error(error, [PREFIX + name for name in AT_FIELDS])
        for name, (label, item) in AT_FIELDS.items():
            with slots[name].container():
                for problem in field_problems(error, PREFIX + name, item):
                    st.error(f"{label}: {problem}", icon=":material/error:")
        return
    st.rerun()


def show_plan(plan: pb.ActionPlan, orgs: dict[str, str], frameworks: dict[str, str]) -> None:
    """The plan's period, framework, theory of change, activities and indicators, read-only."""
    period = f"{date_text(plan.period.start_date)} to {date_text(plan.period.end_date)}"
    framework = frameworks.get(plan.framework, plan.framework or MISSING)
    st.markdown(f"**Period** {period} · **Framework** {framework}")
    toc = plan.theory_of_change
    st.markdown(f"**Goal**: {toc.goal or MISSING}")
    for heading, items in (
        ("Outcomes", toc.outcomes),
        ("Outputs", toc.outputs),
        ("Assumptions", toc.assumptions),
    ):
        st.markdown(f"**{heading}**: {'; '.join(items) or MISSING}")
    st.markdown("**Activities**")
    rows = activities_frame(plan, orgs).drop(columns=["Budget"])
    rows["Budget"] = [amount(a.budget) for a in plan.activities]
    st.table(rows.fillna(MISSING))
    currency = budget_currency(plan)
    total = sum(a.budget.minor_units for a in plan.activities)
    st.markdown(f"**Total budget** {money(total, currency)}")
    st.markdown("**Indicators**")
    st.table(indicators_frame(plan).fillna(MISSING))


def framework_titles() -> dict[str, str]:
    """Adopted national frameworks a plan may be aligned to, by resource name."""
    request = frameworks_pb2.ListFrameworksRequest(page_size=PAGE_SIZE)
    found = fetch(services().registry.ListFrameworks, request, "Loading frameworks…")
    show_cut(found, "frameworks", "later ones cannot be chosen here")
    adopted = [f for f in found.frameworks if f.state == frameworks_pb2.FRAMEWORK_STATE_ADOPTED]
    return {f.name: f.title for f in adopted}
