"""Through `nlc up`: a grantee's accepted report releases its tranche; the national view is live."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

import grpc
import pytest
from google.protobuf.field_mask_pb2 import FieldMask

from nlc.grants.v1 import awards_pb2, grants_pb2_grpc
from nlc.reporting.v1 import (
    cycles_pb2,
    national_pb2,
    reporting_pb2_grpc,
    reports_pb2,
)
from tests.e2e.platform import Platform, access_token, bearer

# The registry demo's country (its first place, by fixed id).
COUNTRY = "jurisdictions/0b1c7a52-0001-4000-8000-000000000001"
DEADLINE_S = 60
T = TypeVar("T")


def _eventually(probe: Callable[[], T | None], what: str) -> T:
    """Poll probe until it returns something, or fail after DEADLINE_S saying what never came."""
    give_up = time.monotonic() + DEADLINE_S
    while True:
        found = probe()
        if found is not None:
            return found
        if time.monotonic() > give_up:
            raise AssertionError(f"never happened within {DEADLINE_S}s: {what}")
        time.sleep(0.3)


def _grant_obligation(reporting, cso) -> cycles_pb2.ReportingObligation | None:
    listed = reporting.ListReportingObligations(
        cycles_pb2.ListReportingObligationsRequest(kind=cycles_pb2.OBLIGATION_KIND_GRANT),
        metadata=cso,
        timeout=10,
    )
    return listed.obligations[0] if listed.obligations else None


def _tranche_state(grants, award: str, manager) -> int:
    got = grants.GetAward(awards_pb2.GetAwardRequest(name=award), metadata=manager, timeout=10)
    return {t.code: t.state for t in got.tranches}["progress"]


def test_a_grantee_drafts_its_first_report_and_submits_it_once_the_cycle_opens(
    platform: Platform,
) -> None:
    """The demo award reaches reporting as the grantee's obligation. Its first cycle is the one
    under way: before the cycle opens the draft waits (the tranche a report releases is proven
    with a moved clock in test_reports_pay_tranches); once open, acceptance pays the tranche."""
    cso = bearer(access_token(platform, "cso"))
    manager = bearer(access_token(platform, "manager"))
    with (
        grpc.insecure_channel(platform.reporting_target) as r_channel,
        grpc.insecure_channel(platform.grants_target) as g_channel,
    ):
        reporting = reporting_pb2_grpc.ReportingServiceStub(r_channel)
        grants = grants_pb2_grpc.GrantsServiceStub(g_channel)
        obligation = _eventually(
            lambda: _grant_obligation(reporting, cso), "the award reached reporting"
        )
        expected = reporting.ListExpectedReports(
            cycles_pb2.ListExpectedReportsRequest(organisation=obligation.organisation),
            metadata=cso,
            timeout=10,
        ).expected_reports
        first = next(e for e in expected if e.obligation == obligation.name)
        assert first.status == cycles_pb2.COMPLIANCE_STATUS_NOT_YET_DUE
        cycle = reporting.GetReportingCycle(
            cycles_pb2.GetReportingCycleRequest(name=first.cycle), metadata=cso, timeout=10
        )
        report = reporting.CreateProgressReport(
            reports_pb2.CreateProgressReportRequest(obligation=obligation.name, cycle=first.cycle),
            metadata=cso,
            timeout=10,
        )
        narrative = reports_pb2.Narrative(
            achievements="Twelve mentors matched with young people.",
            challenges="Two mentors left mid-term.",
        )
        updated = reporting.UpdateProgressReport(
            reports_pb2.UpdateProgressReportRequest(
                progress_report=reports_pb2.ProgressReport(name=report.name, narrative=narrative),
                update_mask=FieldMask(paths=["narrative"]),
            ),
            metadata=cso,
            timeout=10,
        )
        assert updated.narrative.achievements.startswith("Twelve mentors")
        if cycle.state == cycles_pb2.CYCLE_STATE_UPCOMING:
            with pytest.raises(grpc.RpcError) as refused:
                reporting.SubmitProgressReport(
                    reports_pb2.SubmitProgressReportRequest(name=report.name),
                    metadata=cso,
                    timeout=10,
                )
            assert refused.value.code() == grpc.StatusCode.FAILED_PRECONDITION
            assert f"opens for reports on {cycle.open_date}" in (refused.value.details() or "")
            assert _tranche_state(grants, obligation.award, manager) == (
                awards_pb2.TRANCHE_STATE_PENDING
            )
            return
        reporting.SubmitProgressReport(
            reports_pb2.SubmitProgressReportRequest(name=report.name), metadata=cso, timeout=10
        )
        reporting.AcceptProgressReport(
            reports_pb2.AcceptProgressReportRequest(name=report.name, note="Clear, thank you."),
            metadata=manager,
            timeout=10,
        )
        released = awards_pb2.TRANCHE_STATE_RELEASED
        _eventually(
            lambda: _tranche_state(grants, obligation.award, manager) == released or None,
            "the progress tranche was released",
        )


def _statuses(reporting, reviewer) -> dict[int, int] | None:
    matrix = reporting.GetComplianceMatrix(
        national_pb2.GetComplianceMatrixRequest(jurisdiction=COUNTRY, last_cycles=4),
        metadata=reviewer,
        timeout=10,
    )
    totals = {t.status: t.count for t in matrix.totals}
    return totals if totals.get(cycles_pb2.COMPLIANCE_STATUS_ACCEPTED) else None


def test_the_national_reviewer_sees_the_demo_compliance_matrix(platform: Platform) -> None:
    reviewer = bearer(access_token(platform, "reviewer"))
    with grpc.insecure_channel(platform.reporting_target) as channel:
        reporting = reporting_pb2_grpc.ReportingServiceStub(channel)
        totals = _eventually(lambda: _statuses(reporting, reviewer), "the demo reports")
    assert totals[cycles_pb2.COMPLIANCE_STATUS_ACCEPTED] >= 5
    assert totals[cycles_pb2.COMPLIANCE_STATUS_MISSING] >= 2
    assert totals[cycles_pb2.COMPLIANCE_STATUS_RETURNED] >= 1
    assert totals[cycles_pb2.COMPLIANCE_STATUS_NOT_YET_DUE] >= 3
