"""The report form without a browser: what changed, the update it sends, and errors in words."""

from __future__ import annotations

from nlc.common.v1.common_pb2 import Money
from nlc.reporting.v1 import plans_pb2
from nlc.reporting.v1 import reports_pb2 as pb
from services.reporting.domain.plans import Disaggregation
from ui.client import UiError
from ui.display import renamed
from ui.indicator_inputs import dimension_of
from ui.report_form import budget_currency
from ui.report_inputs import major
from ui.report_saving import changed_sections, update_request

SAVED = pb.ProgressReport(
    name="progressReports/r1",
    etag="3",
    indicators=[pb.IndicatorActual(indicator_code="I2", title="Meetings", has_value=True, value=5)],
    narrative=pb.Narrative(achievements="Circles ran."),
    support_requests=[pb.SupportRequest(id="s1", kind=pb.SUPPORT_KIND_TRAINING, description="x")],
)


def test_only_the_changed_sections_are_sent_under_the_saved_etag() -> None:
    wanted = pb.ProgressReport()
    wanted.CopyFrom(SAVED)
    assert changed_sections(SAVED, wanted) == []
    wanted.indicators[0].value = 7
    wanted.support_requests.add(
        kind=pb.SUPPORT_KIND_FUNDING,
        description="Co-fund a post",
        amount=Money(currency_code="EUR", minor_units=250000),
    )
    sections = changed_sections(SAVED, wanted)
    assert sections == ["indicators", "support_requests"]
    request = update_request(SAVED, wanted, sections)
    assert list(request.update_mask.paths) == sections
    sent = request.progress_report
    assert (sent.name, sent.etag) == ("progressReports/r1", "3")
    assert sent.indicators[0].value == 7 and len(sent.support_requests) == 2
    assert not sent.HasField("narrative")


def test_amounts_and_dimensions_are_read_as_the_form_shows_them() -> None:
    assert major(Money(currency_code="EUR", minor_units=250050)) == 2500.5
    assert major(Money()) is None
    plan = plans_pb2.ActionPlan(
        activities=[plans_pb2.PlanActivity(code="A1", budget=Money(currency_code="EUR"))]
    )
    assert budget_currency(plan, SAVED) == "EUR"
    assert budget_currency(None, SAVED) == ""
    assert dimension_of(2) is Disaggregation.AGE_GROUP


def test_service_field_paths_are_named_as_the_form_labels_them() -> None:
    labels = {
        "progress_report.support_requests[1].description": "New request",
        "progress_report.support_requests[1]": "New request",
        "progress_report.activities[0].spend.minor_units": "Spend on A1",
        "progress_report.activities[0].spend": "Spend on A1",
    }
    error = UiError(
        "Some values need fixing.",
        {
            "progress_report.support_requests[1].description": "is required",
            "progress_report.activities[0].spend.minor_units": "must not be negative",
            "progress_report.activities[0].spend.currency_code": "must be EUR",
        },
    )
    assert renamed(error, labels).field_violations == {
        "New request": "is required",
        "Spend on A1": "must not be negative",
        "Spend on A1, currency code": "must be EUR",
    }
