"""Reports due: what the platform expects from the caller's organisation (a city on its action
plan, a grantee on its grants), with dates and state; open one to start it, write it, save a
draft and submit it."""

from __future__ import annotations

from functools import partial

import pandas as pd
import streamlit as st

from nlc.reporting.v1 import cycles_pb2
from nlc.reporting.v1 import reports_pb2 as pb
from ui.client import PAGE_SIZE, UiError, call, services, show_error
from ui.display import data_table, fetch, run_action, show_outcome, words
from ui.formatting import date_text, empty_state
from ui.paging import show_cut
from ui.report_choice import (
    CYCLE_PREFIX,
    identity,
    option_labels,
    period_text,
    place_names,
    report_subjects,
)
from ui.report_form import EDITABLE, report_form


def cycle_states(names: set[str]) -> dict[str, cycles_pb2.ReportingCycle]:
    """The reporting cycles named, with their open date and where they stand today."""
    reporting = services().reporting
    return {
        name: call(reporting.GetReportingCycle, cycles_pb2.GetReportingCycleRequest(name=name))
        for name in sorted(names)
    }


def row(
    expected: cycles_pb2.ExpectedReport, cycle: cycles_pb2.ReportingCycle, about: str
) -> dict[str, str]:
    """One expected report as a table row; about says what it reports on."""
    return {
        "Cycle": expected.cycle.removeprefix(CYCLE_PREFIX),
        "Reports on": about,
        "Period": period_text(cycle),
        "Opens": date_text(cycle.open_date),
        "Due": date_text(expected.due_date),
        "Locks": date_text(expected.lock_date),
        "Cycle is": words(cycles_pb2.CycleState, cycle.state),
        "Status": words(cycles_pb2.ComplianceStatus, expected.status),
        "Report": expected.report or "not started",
    }


def writable(expected: cycles_pb2.ExpectedReport, written: dict[str, pb.ProgressReport]) -> bool:
    """Not started yet, or a draft or returned report."""
    report = written.get(expected.report)
    return report is None or report.state in EDITABLE


def start(expected: cycles_pb2.ExpectedReport) -> str:
    """Create the report (a plan's pre-filled from the action plan)."""
    request = pb.CreateProgressReportRequest(obligation=expected.obligation, cycle=expected.cycle)
    call(services().reporting.CreateProgressReport, request)
    if expected.kind == cycles_pb2.OBLIGATION_KIND_GRANT:
        return "Report started: say what the grant achieved, fill in the rest and save the draft."
    return "Report started from your action plan: fill it in and save the draft."


def open_report(expected: cycles_pb2.ExpectedReport, cycle: cycles_pb2.ReportingCycle) -> None:
    """The chosen expected report: a button to start it, or its form."""
    if cycle.state == cycles_pb2.CYCLE_STATE_UPCOMING:
        st.caption(f"You can save drafts now and submit from {date_text(cycle.open_date)}.")
    if not expected.report:
        st.button(
            "Start this report",
            type="primary",
            icon=":material/edit_note:",
            on_click=run_action,
            args=(partial(start, expected),),
        )
        return
    request = pb.GetProgressReportRequest(name=expected.report)
    report_form(fetch(services().reporting.GetProgressReport, request, "Loading the report…"))


st.title("Reports due")
st.caption("Soonest due first, as the reporting service lists them.")
show_outcome()
try:
    with st.spinner("Loading the reports expected from you…"):
        request = cycles_pb2.ListExpectedReportsRequest(page_size=PAGE_SIZE)
        reply = call(services().reporting.ListExpectedReports, request)
        cycles = cycle_states({e.cycle for e in reply.expected_reports})
        subjects = report_subjects(reply.expected_reports)
        places = place_names({e.jurisdiction for e in reply.expected_reports if e.jurisdiction})
        listed = call(
            services().reporting.ListProgressReports,
            pb.ListProgressReportsRequest(page_size=PAGE_SIZE),
        )
except UiError as error:
    show_error(error)
    st.stop()
if not reply.expected_reports:
    empty_state("No report is expected from your organisation yet.")
    st.stop()

table = pd.DataFrame(
    [row(e, cycles[e.cycle], subjects[e.obligation]) for e in reply.expected_reports]
)
counts = table["Status"].value_counts()
for column, (status, count) in zip(st.columns(len(counts)), counts.items(), strict=True):
    column.metric(status, int(count))
data_table(table, "reports-due.csv")
show_cut(reply, "reports due (soonest first)", "the later ones are not listed yet")
show_cut(listed, "reports you wrote", "the report opened first may be one handed in")

st.header("Write a report")
written = {r.name: r for r in listed.progress_reports}
expected = {identity(e): e for e in reply.expected_reports}
labels = option_labels(reply.expected_reports, cycles, subjects, places)
options = list(expected)
first = next((n for n, key in enumerate(options) if writable(expected[key], written)), 0)
chosen = expected[
    st.selectbox(
        "Report to open",
        options,
        index=first,
        format_func=labels.get,
        key="report-to-open",
    )
]
open_report(chosen, cycles[chosen.cycle])
