"""Progress reports accepted while the workload runs. The city's plan reaches back to last year,
so the national reviewer's approval makes a report due for a cycle that has locked: the city
starts it, the reviewer reopens it, the city fills and submits it, the reviewer accepts it."""

from __future__ import annotations

from datetime import date

from nlc.reporting.v1 import cycles_pb2, plans_pb2, reports_pb2
from services.common.vocabulary import ReportingPeriodicity
from services.reporting.convert.cycles import cycle_name
from services.reporting.convert.read_model import periodicity
from services.reporting.domain.cycles import cycle_containing
from tests.resilience import requests
from tests.resilience.workload import CALL_TIMEOUT_S, Pace, Workload
from tests.support.grant_requests import CITY_HALL

REOPEN_REASON = "Your report for this cycle is missing; please send it now."
WORKERS, INTERVAL_S = 1, 0.3


def first_cycle(obligation: cycles_pb2.ReportingObligation) -> str:
    """The name of the obligation's first cycle, the one its start date falls in."""
    series = ReportingPeriodicity(periodicity(obligation.periodicity))
    start = date.fromisoformat(obligation.start_date)
    return cycle_name(cycle_containing(start, series, obligation.fiscal_start_month).code)


async def plan_obligation(workload: Workload, plan: str) -> cycles_pb2.ReportingObligation:
    """The reporting obligation that approving plan opened, as the city sees it."""
    token = ""
    while True:
        page = await workload.reporting.ListReportingObligations(
            cycles_pb2.ListReportingObligationsRequest(
                organisation=CITY_HALL,
                kind=cycles_pb2.OBLIGATION_KIND_ACTION_PLAN,
                page_size=500,
                page_token=token,
            ),
            metadata=workload.as_user["city"],
            timeout=CALL_TIMEOUT_S,
        )
        for obligation in page.obligations:
            if obligation.action_plan == plan:
                return obligation
        if not page.next_page_token:
            raise LookupError(f"approving {plan} opened no reporting obligation")
        token = page.next_page_token


async def report_acceptance(workload: Workload, n: int) -> None:
    """From a new plan to its first report accepted, each step sent once while they succeed."""
    title, reporting = workload.value("report", n), workload.reporting
    city, reviewer = workload.as_user["city"], workload.as_user["reviewer"]
    t = CALL_TIMEOUT_S
    await workload.ledger.chain(
        title,
        (
            "report plan",
            lambda _: reporting.CreateActionPlan(
                requests.reported_plan(title), metadata=city, timeout=t
            ),
        ),
        (
            "report plan submitted",
            lambda plan: reporting.SubmitActionPlan(
                plans_pb2.SubmitActionPlanRequest(name=plan.name, etag=plan.etag),
                metadata=city,
                timeout=t,
            ),
        ),
        (
            "report plan approved",
            lambda plan: reporting.ApproveActionPlan(
                plans_pb2.ApproveActionPlanRequest(name=plan.name, etag=plan.etag),
                metadata=reviewer,
                timeout=t,
            ),
        ),
        ("report obligation", lambda plan: plan_obligation(workload, plan.name)),
        (
            "report created",
            lambda obligation: reporting.CreateProgressReport(
                reports_pb2.CreateProgressReportRequest(
                    obligation=obligation.name, cycle=first_cycle(obligation)
                ),
                metadata=city,
                timeout=t,
            ),
        ),
        (
            "report reopened",
            lambda report: reporting.ReopenProgressReport(
                reports_pb2.ReopenProgressReportRequest(name=report.name, reason=REOPEN_REASON),
                metadata=reviewer,
                timeout=t,
            ),
        ),
        (
            "report filled",
            lambda report: reporting.UpdateProgressReport(
                requests.report_content(report.name), metadata=city, timeout=t
            ),
        ),
        (
            "report submitted",
            lambda report: reporting.SubmitProgressReport(
                reports_pb2.SubmitProgressReportRequest(name=report.name, etag=report.etag),
                metadata=city,
                timeout=t,
            ),
        ),
        (
            "report accepted",
            lambda report: reporting.AcceptProgressReport(
                reports_pb2.AcceptProgressReportRequest(
                    name=report.name, note=title, etag=report.etag
                ),
                metadata=reviewer,
                timeout=t,
            ),
        ),
    )


def pace(workload: Workload) -> Pace:
    return Pace(lambda n: report_acceptance(workload, n), WORKERS, INTERVAL_S)
