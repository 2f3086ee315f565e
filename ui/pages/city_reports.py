"""Reports due: what the platform expects from the officer's organisation, with dates and state."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from nlc.reporting.v1 import cycles_pb2
from ui.client import UiError, call, services, show_error
from ui.display import data_table, words
from ui.formatting import date_text, empty_state

PAGE_SIZE = 500
CYCLE_PREFIX = "reportingCycles/"


def cycle_states(names: set[str]) -> dict[str, cycles_pb2.ReportingCycle]:
    """The reporting cycles named, with their open date and where they stand today."""
    reporting = services().reporting
    return {
        name: call(reporting.GetReportingCycle, cycles_pb2.GetReportingCycleRequest(name=name))
        for name in sorted(names)
    }


def row(expected: cycles_pb2.ExpectedReport, cycle: cycles_pb2.ReportingCycle) -> dict[str, str]:
    """One expected report as a table row."""
    return {
        "Cycle": expected.cycle.removeprefix(CYCLE_PREFIX),
        "Reports on": words(cycles_pb2.ObligationKind, expected.kind),
        "Period": f"{date_text(cycle.period.start_date)} to {date_text(cycle.period.end_date)}",
        "Opens": date_text(cycle.open_date),
        "Due": date_text(expected.due_date),
        "Locks": date_text(expected.lock_date),
        "Cycle is": words(cycles_pb2.CycleState, cycle.state),
        "Status": words(cycles_pb2.ComplianceStatus, expected.status),
        "Report": expected.report or "not started",
    }


st.title("Reports due")
st.caption("Soonest due first, as the reporting service lists them.")
try:
    with st.spinner("Loading the reports expected from you…"):
        request = cycles_pb2.ListExpectedReportsRequest(page_size=PAGE_SIZE)
        reply = call(services().reporting.ListExpectedReports, request)
        cycles = cycle_states({e.cycle for e in reply.expected_reports})
except UiError as error:
    show_error(error)
    st.stop()
if not reply.expected_reports:
    empty_state("No report is expected from your organisation yet.")
    st.stop()

table = pd.DataFrame([row(e, cycles[e.cycle]) for e in reply.expected_reports])
counts = table["Status"].value_counts()
for column, (status, count) in zip(st.columns(len(counts)), counts.items(), strict=True):
    column.metric(status, int(count))
data_table(table, "reports-due.csv")
if reply.next_page_token:
    st.caption(f"Showing the {PAGE_SIZE} soonest due.")
