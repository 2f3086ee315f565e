"""The progress report form: activities, indicator values with their breakdowns, support
requests and narrative; "Save draft" sends only the sections that changed, under the report's
etag, and "Submit report" saves what is left and hands the report in."""

from __future__ import annotations

import streamlit as st

from nlc.reporting.v1 import plans_pb2
from nlc.reporting.v1 import reports_pb2 as pb
from ui.client import UiError, services, show_error
from ui.display import fetch, remember_outcome, renamed, stamp, words
from ui.indicator_inputs import indicator_inputs
from ui.report_inputs import Typed, activity_inputs, narrative_inputs, support_inputs
from ui.report_saving import save, submit

EDITABLE = (pb.REPORT_STATE_DRAFT, pb.REPORT_STATE_RETURNED)


def plan_of(report: pb.ProgressReport) -> plans_pb2.ActionPlan | None:
    """The plan version the report follows; None for reports on a grant."""
    if not report.action_plan:
        return None
    name = f"{report.action_plan}/versions/{report.plan_version}"
    request = plans_pb2.GetActionPlanVersionRequest(name=name)
    return fetch(services().reporting.GetActionPlanVersion, request, "Loading the action plan…")


def budget_currency(plan: plans_pb2.ActionPlan | None, report: pb.ProgressReport) -> str:
    """The currency the plan budgets in (or that earlier amounts used); empty when none."""
    found = [a.budget.currency_code for a in plan.activities] if plan else []
    found += [s.amount.currency_code for s in report.support_requests]
    return next((c for c in found if c), "")


def submitted_text(report: pb.ProgressReport) -> str:
    timing = "on time" if report.on_time else "after the due date"
    return f"Report {report.cycle.rsplit('/', 1)[-1]} submitted {timing}; the reviewer is told."


def show_review(report: pb.ProgressReport) -> None:
    """Why the reviewer returned or reopened the report, with their comments."""
    if report.state == pb.REPORT_STATE_RETURNED and report.return_reason:
        lines = [f"**Returned by the reviewer:** {report.return_reason}"]
        lines += [f"- {c.anchor_code or 'Report'}: {c.text}" for c in report.comments]
        st.warning("\n".join(lines), icon=":material/undo:")
    if report.reopen_reason:
        st.info(
            f"**Reopened by the reviewer:** {report.reopen_reason}", icon=":material/lock_open:"
        )


def show_locked(report: pb.ProgressReport) -> None:
    """A report its writers cannot change now, and why."""
    state = words(pb.ReportState, report.state).lower()
    when = f" on {stamp(report.submit_time)}" if report.submit_time.seconds else ""
    st.info(f"This report is {state}{when}; it cannot be changed now.", icon=":material/lock:")


def report_form(report: pb.ProgressReport) -> None:
    """The form of one report; read-only unless it is a draft or returned."""
    if report.state not in EDITABLE:
        show_locked(report)
        return
    show_review(report)
    plan = plan_of(report)
    currency = budget_currency(plan, report)

    def key(name: str) -> str:
        return f"report-{report.id}-{report.etag}-{name}"

    typed = Typed(pb.ProgressReport(name=report.name))
    with st.form(key("form"), enter_to_submit=False):
        st.subheader("Activities")
        activity_inputs(typed, report, plan, key)
        st.subheader("Indicators")
        indicator_inputs(typed, report, plan, key)
        st.subheader("Support requested from the national level")
        support_inputs(typed, report, currency, key)
        st.subheader("Narrative")
        narrative_inputs(typed, report, key)
        left, right = st.columns(2)
        saving = left.form_submit_button("Save draft", icon=":material/save:")
        submitting = right.form_submit_button(
            "Submit report", type="primary", icon=":material/send:"
        )
    try:
        if saving:
            save(report, typed.report)
            remember_outcome("Draft saved.")
        elif submitting:
            remember_outcome(submitted_text(submit(report, typed.report)))
    except UiError as error:
        show_error(renamed(error, typed.labels))
        return
    if saving or submitting:
        st.rerun()
