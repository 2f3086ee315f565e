"""A report's workflow: submit (on time or late), return with anchored comments, accept and lock,
reopen after acceptance or after the cycle locked."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from services.common.errors import FailedPrecondition, InvalidArgument
from services.reporting.domain import report_workflow as workflow
from services.reporting.domain.compliance import ReportState
from services.reporting.domain.plans import AnchorKind, ReviewComment
from services.reporting.domain.report_rules import prefill
from services.reporting.domain.report_workflow import Report
from services.reporting.domain.reports import ReportKind
from tests.unit.reporting.report_samples import CYCLE, plan

DUE, LOCK = date(2026, 7, 30), date(2026, 8, 13)


def at(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 12, tzinfo=UTC)


def report() -> Report:
    return Report(
        id="r1", obligation_id="o1", cycle_code=CYCLE, kind=ReportKind.PROGRESS,
        organisation_id="org", jurisdiction_id="place", reviewing_org_id="centre",
        plan_id="p1", plan_version=1, award_id=None, due_on=DUE, lock_on=LOCK,
        content=prefill(plan(), CYCLE),
    )  # fmt: skip


def submitted(day: date = DUE) -> Report:
    r = report()
    workflow.submit(r, at(day))
    return r


def test_submitting_on_the_due_date_is_on_time() -> None:
    r = submitted(DUE)
    assert (r.state, r.on_time, r.submitted_at) == (ReportState.SUBMITTED, True, at(DUE))


def test_submitting_after_the_due_date_is_late() -> None:
    assert submitted(DUE + timedelta(days=1)).on_time is False


def test_a_resubmission_keeps_whether_the_report_first_came_on_time() -> None:
    r = submitted(DUE)
    workflow.return_report(r, "Add the spend", ())
    later = DUE + timedelta(days=5)
    workflow.submit(r, at(later))
    assert (r.state, r.on_time, r.submitted_at) == (ReportState.SUBMITTED, True, at(later))


def test_submitting_after_the_lock_date_needs_a_reopening() -> None:
    r = report()
    with pytest.raises(FailedPrecondition) as caught:
        workflow.submit(r, at(LOCK + timedelta(days=1)))
    assert caught.value.message == (
        "the cycle locked on 2026-08-13; ask your reviewer to reopen the report"
    )
    workflow.submit(r, at(LOCK))
    assert r.state == ReportState.SUBMITTED


def test_a_reopened_report_can_be_changed_and_submitted_after_the_lock() -> None:
    r = report()
    after = LOCK + timedelta(days=30)
    workflow.reopen(r, "Late data from the police", after)
    assert (r.state, r.reopen_reason) == (ReportState.DRAFT, "Late data from the police")
    workflow.require_editable(r, after)
    workflow.submit(r, at(after))
    assert (r.state, r.on_time) == (ReportState.SUBMITTED, False)


def test_returning_needs_a_reason() -> None:
    r = submitted()
    with pytest.raises(InvalidArgument) as caught:
        workflow.return_report(r, "  ", ())
    assert caught.value.violations[0].field == "reason"
    assert r.state == ReportState.SUBMITTED


def test_comments_are_anchored_to_what_the_report_holds() -> None:
    r = submitted()
    good = (
        ReviewComment(AnchorKind.ACTIVITY, "A2", "Why the delay?"),
        ReviewComment(AnchorKind.INDICATOR, "I1", "Check the age groups"),
        ReviewComment(AnchorKind.SECTION, "support_requests", "Say how many buses"),
        ReviewComment(AnchorKind.PLAN, "", "Nearly there"),
    )
    workflow.return_report(r, "Please complete", good)
    assert (r.state, r.return_reason, r.comments) == (
        ReportState.RETURNED,
        "Please complete",
        good,
    )


def test_comments_on_things_the_report_does_not_hold_are_refused() -> None:
    r = submitted()
    bad = (
        ReviewComment(AnchorKind.ACTIVITY, "A9", "?"),
        ReviewComment(AnchorKind.INDICATOR, "A1", "?"),
        ReviewComment(AnchorKind.SECTION, "theory_of_change", "?"),
    )
    with pytest.raises(InvalidArgument) as caught:
        workflow.return_report(r, "Please complete", bad)
    assert [v.field for v in caught.value.violations] == [
        "comments[0].anchor_code",
        "comments[1].anchor_code",
        "comments[2].anchor_code",
    ]


def test_only_a_submitted_report_is_returned_or_accepted() -> None:
    for step in (
        lambda r: workflow.return_report(r, "x", ()),
        lambda r: workflow.accept(r, at(DUE)),
    ):
        with pytest.raises(FailedPrecondition):
            step(report())


def test_an_accepted_report_is_locked() -> None:
    r = submitted()
    workflow.accept(r, at(DUE))
    assert (r.state, r.accepted_at) == (ReportState.ACCEPTED, at(DUE))
    with pytest.raises(FailedPrecondition, match="accepted and is locked"):
        workflow.require_editable(r, DUE)
    with pytest.raises(FailedPrecondition, match="accepted and is locked"):
        workflow.submit(r, at(DUE))


def test_a_reviewer_reopens_an_accepted_report_with_a_reason() -> None:
    r = submitted()
    workflow.accept(r, at(DUE))
    was = workflow.reopen(r, "Spend figures were corrected", DUE)
    assert was == ReportState.ACCEPTED
    assert (r.state, r.accepted_at, r.reopen_reason) == (
        ReportState.DRAFT,
        None,
        "Spend figures were corrected",
    )
    workflow.require_editable(r, DUE)


def test_accepting_again_locks_the_report_again() -> None:
    r = submitted()
    after = LOCK + timedelta(days=1)
    workflow.accept(r, at(DUE))
    workflow.reopen(r, "Correction", after)
    workflow.submit(r, at(after))
    workflow.accept(r, at(after))
    assert r.reopen_reason == "" and r.locked(after)


def test_reopening_needs_a_reason_and_a_reason_to_reopen() -> None:
    with pytest.raises(InvalidArgument):
        workflow.reopen(report(), "", LOCK + timedelta(days=1))
    with pytest.raises(FailedPrecondition, match="can still be changed without reopening"):
        workflow.reopen(report(), "Why not", LOCK)
    with pytest.raises(FailedPrecondition, match="return or accept it"):
        workflow.reopen(submitted(), "Why not", LOCK + timedelta(days=1))


def test_a_reason_is_plain_text() -> None:
    with pytest.raises(InvalidArgument) as caught:
        workflow.return_report(submitted(), "see \x00", ())
    assert caught.value.violations[0].field == "reason"
