"""Progress reports over real gRPC as the demo users: the city writes and submits, the national
reviewer returns with an anchored comment and accepts, and bad input names its field."""

from __future__ import annotations

import math

import grpc
import pytest
from google.protobuf.field_mask_pb2 import FieldMask

from nlc.common.v1 import common_pb2
from nlc.registry.v1 import frameworks_pb2
from nlc.reporting.v1 import plans_pb2
from nlc.reporting.v1 import reports_pb2 as pb
from services.common.rich_status import violations_of
from tests.integration.reporting.conftest import seed_places
from tests.integration.reporting.report_setup import WINDOW, approved_plan
from tests.support.services import ServiceUnderTest
from tests.unit.reporting.report_samples import plan

SEX, AGE = frameworks_pb2.DISAGGREGATION_SEX, frameworks_pb2.DISAGGREGATION_AGE_GROUP
MASK = FieldMask(paths=["activities", "indicators", "narrative", "support_requests"])


def _content(name: str, people: float = 160) -> pb.ProgressReport:
    return pb.ProgressReport(
        name=name,
        activities=[
            pb.ActivityProgress(
                activity_code="A1",
                status=pb.ACTIVITY_STATUS_ON_TRACK,
                spend=common_pb2.Money(currency_code="EUR", minor_units=400_000),
            ),
            pb.ActivityProgress(activity_code="A2", status=pb.ACTIVITY_STATUS_DELAYED),
        ],
        indicators=[
            pb.IndicatorActual(
                indicator_code="I1",
                has_value=True,
                value=people,
                breakdown=[
                    pb.DisaggregatedValue(dimension=SEX, category="female", value=people / 2),
                    pb.DisaggregatedValue(dimension=SEX, category="male", value=people / 2),
                    pb.DisaggregatedValue(dimension=AGE, category="15-17", value=people),
                ],
            ),
            pb.IndicatorActual(indicator_code="I2", has_value=True, value=47.5),
            pb.IndicatorActual(indicator_code="I3", gap_explanation="Survey in the autumn"),
        ],
        narrative=pb.Narrative(achievements="Mentors trained", challenges="Late start"),
        support_requests=[
            pb.SupportRequest(kind=pb.SUPPORT_KIND_GUIDANCE, description="Data protection advice")
        ],
    )


async def _error(call) -> grpc.aio.AioRpcError:
    with pytest.raises(grpc.aio.AioRpcError) as caught:
        await call
    return caught.value


async def _draft(svc: ServiceUnderTest) -> pb.ProgressReport:
    """The city's draft 2026-H1 report on its approved plan, pre-filled by the service."""
    await seed_places(svc.running.deps)
    obligation = await approved_plan(svc.running.deps, plan())
    create = pb.CreateProgressReportRequest(
        obligation=f"reportingObligations/{obligation}", cycle="reportingCycles/2026-H1"
    )
    return await svc.call("CreateProgressReport", create, as_user="city")


async def test_city_reports_and_the_reviewer_returns_then_accepts(
    reporting_service: ServiceUnderTest,
) -> None:
    svc = reporting_service
    report = await _draft(svc)
    too_soon = pb.SubmitProgressReportRequest(name=report.name)
    early = await _error(svc.call("SubmitProgressReport", too_soon, as_user="city"))
    assert early.code() == grpc.StatusCode.FAILED_PRECONDITION
    assert "opens for reports on 2026-06-17" in (early.details() or "")
    svc.clock.set(WINDOW)
    assert [a.activity_code for a in report.activities] == ["A1", "A2"]
    assert [(i.indicator_code, i.target) for i in report.indicators] == [
        ("I1", 150), ("I2", 45), ("I3", 0),
    ]  # fmt: skip
    assert (report.state, report.due_date) == (pb.REPORT_STATE_DRAFT, "2026-07-30")

    bad = _content(report.name, people=math.nan)
    error = await _error(
        svc.call(
            "UpdateProgressReport",
            pb.UpdateProgressReportRequest(progress_report=bad, update_mask=MASK),
            as_user="city",
        )
    )
    assert error.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert "progress_report.indicators[0].value" in dict(violations_of(error))

    update = pb.UpdateProgressReportRequest(progress_report=_content(report.name), update_mask=MASK)
    updated = await svc.call("UpdateProgressReport", update, as_user="city")
    assert updated.support_requests[0].id
    submit = pb.SubmitProgressReportRequest(name=report.name, etag=updated.etag)
    submitted = await svc.call("SubmitProgressReport", submit, as_user="city")
    assert (submitted.state, submitted.on_time) == (pb.REPORT_STATE_SUBMITTED, True)

    comment = plans_pb2.ReviewComment(
        anchor_kind=plans_pb2.ANCHOR_KIND_INDICATOR, anchor_code="I1", text="Age groups?"
    )
    returned = await svc.call(
        "ReturnProgressReport",
        pb.ReturnProgressReportRequest(
            name=report.name, reason="Check I1", comments=[comment], etag=submitted.etag
        ),
        as_user="reviewer",
    )
    assert (returned.state, returned.return_reason) == (pb.REPORT_STATE_RETURNED, "Check I1")
    assert returned.comments[0].anchor_code == "I1"

    await svc.call("UpdateProgressReport", update, as_user="city")
    await svc.call(
        "SubmitProgressReport", pb.SubmitProgressReportRequest(name=report.name), as_user="city"
    )
    accepted = await svc.call(
        "AcceptProgressReport", pb.AcceptProgressReportRequest(name=report.name), as_user="reviewer"
    )
    assert accepted.state == pb.REPORT_STATE_ACCEPTED and accepted.HasField("accept_time")

    locked = await _error(svc.call("UpdateProgressReport", update, as_user="city"))
    assert locked.code() == grpc.StatusCode.FAILED_PRECONDITION

    seen = await svc.call(
        "GetProgressReport", pb.GetProgressReportRequest(name=report.name), as_user="reviewer"
    )
    assert seen.etag == accepted.etag
    listed = await svc.call(
        "ListProgressReports",
        pb.ListProgressReportsRequest(
            cycle="reportingCycles/2026-H1", state=pb.REPORT_STATE_ACCEPTED
        ),
        as_user="city",
    )
    assert [r.name for r in listed.progress_reports] == [report.name]
    history = await svc.call(
        "ListReportHistory", pb.ListReportHistoryRequest(name=report.name), as_user="city"
    )
    assert [e.action for e in history.entries] == [
        "create", "update", "submit", "return", "update", "submit", "accept",
    ]  # fmt: skip
    assert history.entries[3].actor_username == "reviewer"


async def test_callers_who_may_not_see_a_report_get_not_found(
    reporting_service: ServiceUnderTest,
) -> None:
    svc = reporting_service
    report = await _draft(svc)
    for user in ("cso", "funder"):
        error = await _error(
            svc.call(
                "GetProgressReport", pb.GetProgressReportRequest(name=report.name), as_user=user
            )
        )
        assert error.code() == grpc.StatusCode.NOT_FOUND
    again = pb.CreateProgressReportRequest(obligation=report.obligation, cycle=report.cycle)
    denied = await _error(svc.call("CreateProgressReport", again, as_user="reviewer"))
    assert denied.code() == grpc.StatusCode.PERMISSION_DENIED
    bad_cycle = pb.CreateProgressReportRequest(
        obligation=report.obligation, cycle="reportingCycles/2026"
    )
    error = await _error(svc.call("CreateProgressReport", bad_cycle, as_user="city"))
    assert error.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert "cycle" in dict(violations_of(error))
