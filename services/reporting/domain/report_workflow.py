"""A report's life: draft -> submitted -> returned -> submitted -> accepted (locked), and reopening.

After its cycle's lock date a report can no longer be changed or submitted until a reviewer
reopens it with a reason; reopening also unlocks an accepted report.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime

from services.common.errors import FailedPrecondition
from services.common.text import check_reason
from services.reporting.domain.compliance import ReportState
from services.reporting.domain.plan_workflow import check_comments
from services.reporting.domain.plans import AnchorKind, ReviewComment
from services.reporting.domain.reports import ReportContent, ReportKind

SECTIONS = frozenset({"narrative", "support_requests", "activities", "indicators"})
EDITABLE = (ReportState.DRAFT, ReportState.RETURNED)


@dataclass
class Report:
    """A progress report or final evaluation of one obligation for one cycle."""

    id: str
    obligation_id: str
    cycle_code: str
    kind: ReportKind
    organisation_id: str
    jurisdiction_id: str | None
    reviewing_org_id: str
    plan_id: str | None
    plan_version: int | None
    award_id: str | None
    due_on: date
    lock_on: date
    content: ReportContent
    state: ReportState = ReportState.DRAFT
    submitted_at: datetime | None = None
    on_time: bool | None = None
    accepted_at: datetime | None = None
    return_reason: str = ""
    comments: tuple[ReviewComment, ...] = field(default_factory=tuple)
    reopen_reason: str = ""
    version: int = 0

    @property
    def is_grant(self) -> bool:
        return self.award_id is not None

    def locked(self, today: date) -> bool:
        """Past the cycle's lock date and not reopened by a reviewer."""
        return today > self.lock_on and not self.reopen_reason


def _require(report: Report, *states: ReportState, doing: str) -> None:
    if report.state not in states:
        allowed = " or ".join(s.value for s in states)
        raise FailedPrecondition(
            f"the report is {report.state.value}; only a {allowed} report can be {doing}"
        )


def _locked_message(report: Report) -> str:
    return (
        f"the cycle locked on {report.lock_on.isoformat()}; ask your reviewer to reopen the report"
    )


def require_editable(report: Report, today: date, *, doing: str = "changed") -> None:
    """A draft or returned report whose cycle has not locked (or that a reviewer reopened)."""
    if report.state == ReportState.ACCEPTED:
        raise FailedPrecondition(
            "the report was accepted and is locked; ask your reviewer to reopen it"
        )
    _require(report, *EDITABLE, doing=doing)
    if report.locked(today):
        raise FailedPrecondition(_locked_message(report))


def _reason(reason: str) -> str:
    """A required reason, stripped and checked (it is stored as plain text)."""
    return check_reason(reason, "reason", required=True)


def submit(report: Report, now: datetime) -> None:
    """draft or returned -> submitted; on time when first submitted on or before the due date.
    Completeness is checked by the caller (report_rules.completeness_gaps)."""
    require_editable(report, now.date(), doing="submitted")
    if report.on_time is None:
        report.on_time = now.date() <= report.due_on
    report.state, report.submitted_at = ReportState.SUBMITTED, now


def report_anchors(report: Report) -> dict[AnchorKind, frozenset[str]]:
    """What a review comment on this report may be anchored to."""
    return {
        AnchorKind.PLAN: frozenset({""}),
        AnchorKind.ACTIVITY: frozenset(a.activity_code for a in report.content.activities),
        AnchorKind.INDICATOR: frozenset(i.indicator_code for i in report.content.indicators),
        AnchorKind.SECTION: SECTIONS,
    }


def return_report(report: Report, reason: str, comments: Iterable[ReviewComment]) -> None:
    """submitted -> returned, with the reason and comments anchored to what must change."""
    text = _reason(reason)
    comments = tuple(comments)
    check_comments(comments, report_anchors(report), "comments")
    _require(report, ReportState.SUBMITTED, doing="returned")
    report.state, report.return_reason, report.comments = ReportState.RETURNED, text, comments


def accept(report: Report, now: datetime) -> None:
    """submitted -> accepted: the report is locked until a reviewer reopens it."""
    _require(report, ReportState.SUBMITTED, doing="accepted")
    report.state, report.accepted_at, report.reopen_reason = ReportState.ACCEPTED, now, ""


def reopen(report: Report, reason: str, today: date) -> ReportState:
    """An accepted report, or one whose cycle locked, back to draft with the reviewer's reason;
    returns the state it left."""
    text = _reason(reason)
    was = report.state
    if was == ReportState.SUBMITTED:
        raise FailedPrecondition("the report is submitted; return or accept it instead")
    if was != ReportState.ACCEPTED and today <= report.lock_on:
        raise FailedPrecondition(
            f"the report is {was.value} and its cycle locks on {report.lock_on.isoformat()}; "
            "it can still be changed without reopening"
        )
    report.state, report.reopen_reason, report.accepted_at = ReportState.DRAFT, text, None
    return was
