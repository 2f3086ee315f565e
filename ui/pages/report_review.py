"""Report review: submitted progress reports awaiting review; read one, accept or return it."""

from __future__ import annotations

from functools import partial

import streamlit as st

from nlc.registry.v1 import frameworks_pb2
from nlc.reporting.v1 import reports_pb2 as pb
from ui.client import PAGE_SIZE, UiError, call, services, show_error
from ui.display import (
    amount,
    data_table,
    org_names,
    run_action,
    short,
    show_outcome,
    stamp,
    words,
)
from ui.formatting import MISSING, date_text, empty_state
from ui.paging import show_cut


def actual_text(actual: pb.IndicatorActual) -> str:
    """The reported value, or why there is none."""
    if actual.has_value:
        return f"{actual.value:g}"
    return f"no value: {actual.gap_explanation or MISSING}"


def breakdown_text(actual: pb.IndicatorActual) -> str:
    """'Sex: female 291, male 258 · Age group: 15-17 196' from the actual's breakdown."""
    parts: dict[str, list[str]] = {}
    for part in actual.breakdown:
        dimension = words(frameworks_pb2.Disaggregation, part.dimension)
        parts.setdefault(dimension, []).append(f"{part.category} {part.value:g}")
    return " · ".join(f"{name}: {', '.join(items)}" for name, items in parts.items()) or MISSING


def table_or_empty(rows: list[dict[str, str]], empty_text: str) -> None:
    """Rows as a table, or empty_text when there are none."""
    if rows:
        st.table(rows)
    else:
        empty_state(empty_text)


def accept(report: pb.ProgressReport) -> str:
    """Accept report with the note typed for it."""
    note = st.session_state.get(f"note-{report.id}", "").strip()
    request = pb.AcceptProgressReportRequest(name=report.name, note=note, etag=report.etag)
    call(services().reporting.AcceptProgressReport, request)
    return "Report accepted."


def send_back(report: pb.ProgressReport) -> str:
    """Return report to its authors with the reason typed for it."""
    reason = st.session_state.get(f"reason-{report.id}", "").strip()
    request = pb.ReturnProgressReportRequest(name=report.name, reason=reason, etag=report.etag)
    call(services().reporting.ReturnProgressReport, request)
    return "Report returned to its authors."


def show_report(report: pb.ProgressReport) -> None:
    """The report's activities, indicator actuals, narrative and support requests."""
    if report.return_reason:
        st.info(f"Returned before: {report.return_reason}", icon=":material/undo:")
    st.subheader("Activities")
    activities = [
        {
            "Code": a.activity_code,
            "Activity": a.title,
            "Status": words(pb.ActivityStatus, a.status),
            "Spend": amount(a.spend),
            "Note": a.note,
        }
        for a in report.activities
    ]
    table_or_empty(activities, "The report lists no activities.")
    st.subheader("Indicators")
    indicators = [
        {
            "Code": i.indicator_code,
            "Indicator": i.title,
            "Unit": i.unit,
            "Baseline": f"{i.baseline:g}",
            "Target": f"{i.target:g}",
            "Actual": actual_text(i),
            "Breakdown": breakdown_text(i),
        }
        for i in report.indicators
    ]
    table_or_empty(indicators, "The report lists no indicators.")
    st.subheader("Narrative")
    for heading, text in (
        ("Achievements", report.narrative.achievements),
        ("Challenges", report.narrative.challenges),
        ("Lessons", report.narrative.lessons),
    ):
        st.markdown(f"**{heading}**")
        st.text(text or MISSING)
    st.subheader("Support requests")
    asks = [
        {
            "Kind": words(pb.SupportKind, s.kind),
            "Request": s.description,
            "Amount": amount(s.amount),
        }
        for s in report.support_requests
    ]
    table_or_empty(asks, "The report asks for no support.")


def decide(report: pb.ProgressReport) -> None:
    """Accept with an optional note, or return with a reason."""
    st.subheader("Decision")
    left, right = st.columns(2)
    with left.form(f"accept-{report.id}"):
        st.text_input("Note to the authors (optional)", key=f"note-{report.id}")
        st.form_submit_button(
            "Accept report",
            type="primary",
            icon=":material/check:",
            on_click=run_action,
            args=(partial(accept, report),),
        )
    with right.form(f"return-{report.id}"):
        st.text_area("Reason for returning it (required)", key=f"reason-{report.id}")
        st.form_submit_button(
            "Return report",
            icon=":material/undo:",
            on_click=run_action,
            args=(partial(send_back, report),),
        )


st.title("Report review")
st.caption("Submitted progress reports waiting for your decision, latest cycle first.")
show_outcome()
try:
    with st.spinner("Loading the reports waiting for review…"):
        request = pb.ListProgressReportsRequest(
            state=pb.REPORT_STATE_SUBMITTED, page_size=PAGE_SIZE
        )
        reply = call(services().reporting.ListProgressReports, request)
        authors = org_names(r.organisation for r in reply.progress_reports)
except UiError as error:
    show_error(error)
    st.stop()
reports = list(reply.progress_reports)
if not reports:
    empty_state("No submitted report is waiting for your review.")
    st.stop()

data_table(
    [
        {
            "Organisation": authors[r.organisation],
            "Cycle": short(r.cycle),
            "Kind": words(pb.ReportKind, r.kind),
            "For": short(r.award) if r.award else "Action plan",
            "Due": date_text(r.due_date),
            "Submitted": stamp(r.submit_time),
            "On time": "yes" if r.on_time else "late",
            "Report": r.name,
        }
        for r in reports
    ],
    "reports-to-review.csv",
)
show_cut(reply, "submitted reports", "decide some to see the rest")
chosen = st.selectbox(
    "Report to review",
    reports,
    format_func=lambda r: f"{authors[r.organisation]}, {short(r.cycle)}",
)
st.header(f"{authors[chosen.organisation]}, {short(chosen.cycle)}")
show_report(chosen)
decide(chosen)
