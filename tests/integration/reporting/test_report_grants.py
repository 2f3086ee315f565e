"""Grant reports: written by the grantee's CSO members, reviewed by the call's grant managers,
read by the award's funders; an accepted final evaluation is published and ends the duty."""

from __future__ import annotations

from datetime import date

import pytest

from nlc.reporting.v1 import events_pb2
from services.common import demo_ids
from services.common.errors import FailedPrecondition, NotFound, PermissionDenied
from services.reporting.domain.reports import Narrative, ReportContent, ReportKind
from services.reporting.orm.obligation_rows import load_obligation
from services.reporting.queries import reports as queries
from tests.integration.reporting.conftest import CITY, CSO, FUNDER, MANAGER, REVIEWER
from tests.integration.reporting.report_setup import (
    accept,
    approved_plan,
    award,
    create,
    expected_row,
    fill,
    submit,
)
from tests.support.handler_kit import member
from tests.unit.reporting.report_samples import plan

FINAL = ReportKind.FINAL_EVALUATION
TOLD = ReportContent(narrative=Narrative("Forty sessions held", "Two mentors left"))
URL = "https://bridges.example.org/final-evaluation-2026.pdf"


async def test_an_accepted_final_evaluation_is_published_and_ends_the_obligation(
    reporting_deps, places, outbox_events, audit_of
) -> None:
    grant = await award(reporting_deps)
    report_id = (await create(reporting_deps, CSO, grant.obligation_id, kind=FINAL)).report.id
    await fill(reporting_deps, CSO, report_id, TOLD, "narrative")
    with pytest.raises(FailedPrecondition) as caught:
        await submit(reporting_deps, CSO, report_id)
    assert [v.field for v in caught.value.violations] == ["progress_report.evaluation_url"]
    await fill(reporting_deps, CSO, report_id, ReportContent(evaluation_url=URL), "evaluation_url")
    await submit(reporting_deps, CSO, report_id)
    with pytest.raises(NotFound):
        await accept(reporting_deps, REVIEWER, report_id)
    view = await accept(reporting_deps, MANAGER, report_id)
    assert view.report.award_id == grant.award_id

    staged = await outbox_events()
    assert [e.subject for e in staged][-2:] == [
        "nlc.reporting.report.accepted",
        "nlc.reporting.evaluation.published",
    ]
    events = {e.subject: e for e in staged}
    changed = events["nlc.reporting.report.accepted"].decode(events_pb2.ReportChanged)
    assert changed.award == f"awards/{grant.award_id}"
    published = events["nlc.reporting.evaluation.published"].decode(events_pb2.EvaluationPublished)
    assert (published.report, published.award, published.organisation, published.public_url) == (
        f"progressReports/{report_id}",
        f"awards/{grant.award_id}",
        f"organisations/{demo_ids.BRIDGES}",
        URL,
    )
    async with reporting_deps.sessions() as session:
        obligation = await load_obligation(session, id=grant.obligation_id)
    assert obligation is not None and obligation.end_on == date(2026, 6, 30)
    ended = await audit_of(f"reportingObligations/{grant.obligation_id}")
    assert ended[-1].action == "ended"


async def test_grant_reports_are_written_by_the_grantee_and_read_by_its_funders(
    reporting_deps, places
) -> None:
    grant = await award(reporting_deps)
    with pytest.raises(NotFound):
        await create(reporting_deps, CITY, grant.obligation_id)
    report_id = (await create(reporting_deps, CSO, grant.obligation_id)).report.id
    other_funder = member("7e000000-0000-4000-8000-000000000001", "funder")
    async with reporting_deps.sessions() as session:
        seen = await queries.get_visible_report(session, report_id, FUNDER)
        listed = await queries.list_reports(session, FUNDER, queries.ReportFilter())
        assert (
            await queries.list_reports(session, other_funder, queries.ReportFilter())
        ).items == []
        with pytest.raises(NotFound):
            await queries.get_visible_report(session, report_id, other_funder)
        with pytest.raises(NotFound):
            await queries.get_visible_report(session, report_id, REVIEWER)
    assert seen.report.award_id == grant.award_id
    assert [v.report.id for v in listed.items] == [report_id]
    with pytest.raises(PermissionDenied):
        await fill(reporting_deps, FUNDER, report_id, TOLD, "narrative")


async def test_the_expected_report_follows_the_progress_report_not_the_final_evaluation(
    reporting_deps, places
) -> None:
    grant = await award(reporting_deps)
    final = (await create(reporting_deps, CSO, grant.obligation_id, kind=FINAL)).report.id
    assert (await expected_row(reporting_deps, grant.obligation_id, "2026-H1")).report_id == final
    progress = (await create(reporting_deps, CSO, grant.obligation_id)).report.id
    await fill(reporting_deps, CSO, final, TOLD, "narrative")
    row = await expected_row(reporting_deps, grant.obligation_id, "2026-H1")
    assert (row.report_id, row.report_state) == (progress, "draft")


async def test_plans_have_no_final_evaluation(reporting_deps, places) -> None:
    obligation = await approved_plan(reporting_deps, plan())
    with pytest.raises(FailedPrecondition, match="final evaluations are written for grants"):
        await create(reporting_deps, CITY, obligation, kind=FINAL)
