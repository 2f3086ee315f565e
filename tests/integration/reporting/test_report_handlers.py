"""Progress reports through their handlers: pre-filled from the approved plan, edited, checked for
completeness, submitted on time or late, returned with anchored comments, accepted and locked,
reopened after the lock; expected reports follow and every step is audited and announced."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime

import pytest

from nlc.reporting.v1 import events_pb2, reports_pb2
from services.common.errors import (
    AlreadyExists,
    Conflict,
    FailedPrecondition,
    InvalidArgument,
    NotFound,
    PermissionDenied,
)
from services.reporting.domain.compliance import ReportState
from services.reporting.domain.plans import AnchorKind, ReviewComment
from services.reporting.domain.reports import DisaggregatedValue, ReportContent
from services.reporting.handlers import reports as handlers
from services.reporting.queries import reports as queries
from tests.integration.reporting.conftest import CITY, OTHER_CITY, REVIEWER
from tests.integration.reporting.report_setup import (
    WINDOW,
    accept,
    approved_plan,
    create,
    expected_row,
    fill,
    reopen,
    return_,
    submit,
)
from tests.unit.reporting.report_samples import AGE, SEX, complete_content, plan

DUE_2026_H1 = date(2026, 7, 30)
LOCK_2026_H1 = date(2026, 8, 13)


def on(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 10, tzinfo=UTC)


@pytest.fixture
async def obligation(reporting_deps, places) -> str:
    """Riverton's obligation from its approved plan (sample plan), reviewed by the centre."""
    return await approved_plan(reporting_deps, plan())


async def test_a_new_report_is_prefilled_from_the_approved_plan(
    reporting_deps, obligation, audit_of
) -> None:
    view = await create(reporting_deps, CITY, obligation)
    r = view.report
    assert (r.state, r.plan_version, r.due_on, r.lock_on) == (
        ReportState.DRAFT, 1, DUE_2026_H1, LOCK_2026_H1,
    )  # fmt: skip
    assert [(a.activity_code, a.title, a.status) for a in r.content.activities] == [
        ("A1", "Youth mentoring", None),
        ("A2", "Community dialogues", None),
    ]
    assert [(i.indicator_code, i.target, i.baseline) for i in r.content.indicators] == [
        ("I1", 150.0, 100.0),
        ("I2", 45.0, 40.0),
        ("I3", 0.0, 100.0),
    ]
    row = await expected_row(reporting_deps, obligation, "2026-H1")
    assert (row.report_id, row.report_state) == (r.id, "draft")
    assert [h.action for h in await audit_of(f"progressReports/{r.id}")] == ["create"]


async def test_only_the_owner_starts_a_report_and_only_for_an_expected_cycle(
    reporting_deps, obligation
) -> None:
    with pytest.raises(PermissionDenied):
        await create(reporting_deps, REVIEWER, obligation)
    with pytest.raises(NotFound):
        await create(reporting_deps, OTHER_CITY, obligation)
    with pytest.raises(FailedPrecondition) as caught:
        await create(reporting_deps, CITY, obligation, "2024-H1")
    assert caught.value.message == "no report is expected from you for cycle 2024-H1"
    await create(reporting_deps, CITY, obligation)
    with pytest.raises(AlreadyExists):
        await create(reporting_deps, CITY, obligation)


async def test_submitting_an_incomplete_report_names_every_gap(reporting_deps, obligation) -> None:
    report_id = (await create(reporting_deps, CITY, obligation)).report.id
    with pytest.raises(FailedPrecondition) as caught:
        await submit(reporting_deps, CITY, report_id)
    fields = [v.field for v in caught.value.violations]
    assert len(fields) == len(set(fields)) == 7
    assert "progress_report.activities[1].status" in fields
    assert "progress_report.narrative.challenges" in fields
    view = await fill(reporting_deps, CITY, report_id, complete_content())
    assert view.report.state == ReportState.DRAFT


async def test_a_breakdown_that_does_not_add_up_keeps_the_report_back(
    reporting_deps, obligation
) -> None:
    report_id = (await create(reporting_deps, CITY, obligation)).report.id
    content = complete_content()
    parts = (
        DisaggregatedValue(SEX, "female", 90),
        DisaggregatedValue(SEX, "male", 60),
        DisaggregatedValue(AGE, "18-24", 160),
    )
    wrong = replace(content.indicators[0], breakdown=parts)
    await fill(
        reporting_deps,
        CITY,
        report_id,
        replace(content, indicators=(wrong, *content.indicators[1:])),
    )
    with pytest.raises(FailedPrecondition) as caught:
        await submit(reporting_deps, CITY, report_id)
    (only,) = caught.value.violations
    assert only.field == "progress_report.indicators[0].breakdown"
    assert "adds up to 150, not the value 160" in only.description


async def test_bad_content_is_refused_with_field_paths(reporting_deps, obligation) -> None:
    report_id = (await create(reporting_deps, CITY, obligation)).report.id
    bad = replace(complete_content(), evaluation_url="https://example.org/x")
    with pytest.raises(InvalidArgument) as caught:
        await fill(reporting_deps, CITY, report_id, bad)
    assert [v.field for v in caught.value.violations] == ["progress_report.evaluation_url"]


async def test_on_time_when_submitted_by_the_due_date_and_late_after(
    reporting_deps, places
) -> None:
    clock = reporting_deps.clock
    on_time_ob = await approved_plan(reporting_deps, plan())
    late_ob = await approved_plan(
        reporting_deps, plan(), org=OTHER_CITY.org_id, place=places.lakeside
    )
    early = (await create(reporting_deps, CITY, on_time_ob)).report.id
    late = (await create(reporting_deps, OTHER_CITY, late_ob)).report.id
    await fill(reporting_deps, CITY, early, complete_content())
    await fill(reporting_deps, OTHER_CITY, late, complete_content())
    clock.set(on(DUE_2026_H1))
    first = await submit(reporting_deps, CITY, early)
    clock.set(on(date(2026, 7, 31)))
    second = await submit(reporting_deps, OTHER_CITY, late)
    assert (first.report.on_time, second.report.on_time) == (True, False)
    row = await expected_row(reporting_deps, late_ob, "2026-H1")
    assert (row.report_state, row.submitted_at) == ("submitted", on(date(2026, 7, 31)))


async def test_returned_with_an_anchored_comment_then_resubmitted(
    reporting_deps, obligation, outbox_events, audit_of
) -> None:
    report_id = (await create(reporting_deps, CITY, obligation)).report.id
    await fill(reporting_deps, CITY, report_id, complete_content())
    await submit(reporting_deps, CITY, report_id)
    comment = ReviewComment(AnchorKind.ACTIVITY, "A2", "What will you do about the venue?")
    returned = await return_(reporting_deps, REVIEWER, report_id, "Explain the delay", comment)
    assert (returned.report.state, returned.report.return_reason) == (
        ReportState.RETURNED, "Explain the delay",
    )  # fmt: skip
    assert returned.report.comments == (comment,)
    assert (await expected_row(reporting_deps, obligation, "2026-H1")).report_state == "returned"

    with pytest.raises(FailedPrecondition, match="only a submitted report can be returned"):
        await return_(reporting_deps, REVIEWER, report_id, "again", comment)
    content = complete_content()
    moved = replace(content.activities[1], note="Moved to the library from April")
    await fill(reporting_deps, CITY, report_id, ReportContent(activities=(moved,)), "activities")
    again = await submit(reporting_deps, CITY, report_id)
    assert again.report.state == ReportState.SUBMITTED
    assert again.report.content.activity("A2").note == "Moved to the library from April"

    events = [e for e in await outbox_events() if e.subject.startswith("nlc.reporting.report.")]
    assert [e.subject for e in events] == [
        "nlc.reporting.report.submitted",
        "nlc.reporting.report.returned",
        "nlc.reporting.report.submitted",
    ]
    payload = events[1].decode(events_pb2.ReportChanged)
    assert (payload.reason, payload.award) == ("Explain the delay", "")
    assert payload.report.state == reports_pb2.REPORT_STATE_RETURNED
    assert payload.report.comments[0].anchor_code == "A2"
    history = await audit_of(f"progressReports/{report_id}")
    assert [h.action for h in history] == [
        "create", "update", "submit", "return", "update", "submit",
    ]  # fmt: skip
    assert history[3].details["reason"] == "Explain the delay"
    assert history[5].details["resubmission"] is True


async def test_an_accepted_report_is_locked(reporting_deps, obligation, outbox_events) -> None:
    report_id = (await create(reporting_deps, CITY, obligation)).report.id
    await fill(reporting_deps, CITY, report_id, complete_content())
    await submit(reporting_deps, CITY, report_id)
    with pytest.raises(PermissionDenied):
        await accept(reporting_deps, CITY, report_id)
    accepted = await accept(reporting_deps, REVIEWER, report_id)
    assert accepted.report.state == ReportState.ACCEPTED
    assert accepted.report.accepted_at == WINDOW
    with pytest.raises(FailedPrecondition, match="accepted and is locked"):
        await fill(reporting_deps, CITY, report_id, complete_content())
    assert (await expected_row(reporting_deps, obligation, "2026-H1")).report_state == "accepted"
    last = (await outbox_events())[-1]
    assert last.subject == "nlc.reporting.report.accepted"
    assert last.decode(events_pb2.ReportChanged).reason == "Thank you"


async def test_a_reviewer_reopens_a_report_after_the_lock(
    reporting_deps, obligation, audit_of
) -> None:
    report_id = (await create(reporting_deps, CITY, obligation)).report.id
    await fill(reporting_deps, CITY, report_id, complete_content())
    reporting_deps.clock.set(on(date(2026, 8, 14)))
    with pytest.raises(FailedPrecondition) as caught:
        await submit(reporting_deps, CITY, report_id)
    assert caught.value.message == (
        "the cycle locked on 2026-08-13; ask your reviewer to reopen the report"
    )
    with pytest.raises(PermissionDenied):
        await reopen(reporting_deps, CITY, report_id, "Please")
    with pytest.raises(InvalidArgument):
        await reopen(reporting_deps, REVIEWER, report_id, " ")
    reopened = await reopen(reporting_deps, REVIEWER, report_id, "The data came late")
    assert (reopened.report.state, reopened.report.reopen_reason) == (
        ReportState.DRAFT, "The data came late",
    )  # fmt: skip
    submitted = await submit(reporting_deps, CITY, report_id)
    assert (submitted.report.state, submitted.report.on_time) == (ReportState.SUBMITTED, False)
    history = await audit_of(f"progressReports/{report_id}")
    assert (history[-2].action, history[-2].details["reason"]) == ("reopen", "The data came late")


async def test_reopening_an_accepted_report_lets_its_writers_correct_it(
    reporting_deps, obligation
) -> None:
    report_id = (await create(reporting_deps, CITY, obligation)).report.id
    await fill(reporting_deps, CITY, report_id, complete_content())
    await submit(reporting_deps, CITY, report_id)
    await accept(reporting_deps, REVIEWER, report_id)
    await reopen(reporting_deps, REVIEWER, report_id, "Spend was corrected")
    assert (await expected_row(reporting_deps, obligation, "2026-H1")).report_state == "draft"
    view = await fill(reporting_deps, CITY, report_id, complete_content(i1=170))
    assert view.report.content.indicator("I1").value == 170


async def test_a_stale_etag_is_a_conflict(reporting_deps, obligation) -> None:
    view = await create(reporting_deps, CITY, obligation)
    await fill(reporting_deps, CITY, view.report.id, complete_content())
    stale = handlers.SubmitReport(view.report.id, view.etag)
    with pytest.raises(Conflict):
        await handlers.submit_report(reporting_deps.uow(CITY), stale)


async def test_readers_see_what_access_allows(reporting_deps, obligation) -> None:
    report_id = (await create(reporting_deps, CITY, obligation)).report.id
    async with reporting_deps.sessions() as session:
        for reader in (CITY, REVIEWER):
            await queries.get_visible_report(session, report_id, reader)
        with pytest.raises(NotFound):
            await queries.get_visible_report(session, report_id, OTHER_CITY)
        mine = await queries.list_reports(session, CITY, queries.ReportFilter(cycle_code="2026-H1"))
        theirs = await queries.list_reports(session, OTHER_CITY, queries.ReportFilter())
        drafts = await queries.list_reports(
            session, REVIEWER, queries.ReportFilter(state=ReportState.SUBMITTED)
        )
    assert [v.report.id for v in mine.items] == [report_id]
    assert theirs.items == [] and drafts.items == []
