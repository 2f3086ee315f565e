"""The requests of the workload, each carrying a value unique to it (a name, title or reference)
so its effect can be found and counted afterwards. Shapes follow the demo data: the city and
telecom fund a call, the demo CSO applies, Riverton plans against the national strategy, Social
Services refers a person to the police under the demo agreement."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from google.protobuf.field_mask_pb2 import FieldMask

from nlc.grants.v1 import applications_pb2 as apps
from nlc.grants.v1 import awards_pb2
from nlc.grants.v1 import calls_pb2 as calls
from nlc.infoshare.v1 import infoshare_pb2
from nlc.registry.v1 import organisations_pb2
from nlc.reporting.v1 import plans_pb2, reports_pb2
from services.common.demo_ids import POLICE
from tests.support import grant_requests
from tests.support.plan_requests import city_hall_plan

SHARE_PURPOSE = "purposes/safeguarding-referral"


def organisation(display_name: str) -> organisations_pb2.CreateOrganisationRequest:
    """A new civil-society organisation (pending verification)."""
    return organisations_pb2.CreateOrganisationRequest(
        organisation=organisations_pb2.Organisation(
            display_name=display_name, kind=organisations_pb2.ORGANISATION_KIND_CSO
        )
    )


def call(title: str, **terms: Any) -> calls.CreateCallRequest:
    """A pooled call, open from an hour ago for a week unless terms say otherwise."""
    return calls.CreateCallRequest(call=grant_requests.call(title, **terms))


def application(call_name: str, title: str) -> apps.CreateApplicationRequest:
    """A complete application, its match commitment referenced by the end of its title."""
    draft = grant_requests.application(call_name, title, title[-32:])
    return apps.CreateApplicationRequest(application=draft)


def award_item(application: str) -> awards_pb2.AwardItem:
    """The call's minimum award (EUR 5,000) to application, split pro rata to the pledges."""
    return awards_pb2.AwardItem(application=application, amount=grant_requests.eur(500_000))


def action_plan(title: str) -> plans_pb2.CreateActionPlanRequest:
    """The city hall's plan against the national strategy: one activity, one indicator."""
    return plans_pb2.CreateActionPlanRequest(action_plan=city_hall_plan(title))


def reported_plan(title: str) -> plans_pb2.CreateActionPlanRequest:
    """The city hall's plan, reaching back to the start of the year before last: its first
    reporting cycle has locked, whatever the series."""
    plan = city_hall_plan(title)
    start = datetime.now(UTC).date().replace(month=1, day=1)
    start = start.replace(year=start.year - 2).isoformat()
    plan.period.start_date = plan.activities[0].start_date = start
    return plans_pb2.CreateActionPlanRequest(action_plan=plan)


def report_content(report: str) -> reports_pb2.UpdateProgressReportRequest:
    """What makes a report on the city hall's plan complete: the activity's status, why the
    indicator has no value, and the narrative."""
    content = reports_pb2.ProgressReport(
        name=report,
        activities=[
            reports_pb2.ActivityProgress(
                activity_code="A1", status=reports_pb2.ACTIVITY_STATUS_ON_TRACK
            )
        ],
        indicators=[
            reports_pb2.IndicatorActual(
                indicator_code="I1", gap_explanation="Mentoring records are counted yearly."
            )
        ],
        narrative=reports_pb2.Narrative(
            achievements="Mentors were matched with young people.",
            challenges="Volunteers were hard to find.",
        ),
    )
    paths = ["activities", "indicators", "narrative"]
    return reports_pb2.UpdateProgressReportRequest(
        progress_report=content, update_mask=FieldMask(paths=paths)
    )


def share(subject_reference: str) -> infoshare_pb2.SendShareRequest:
    """A referral to the police; what the agreement does not allow is dropped."""
    return infoshare_pb2.SendShareRequest(
        purpose=SHARE_PURPOSE,
        record_type="recordTypes/referral-case",
        recipients=[f"organisations/{POLICE}"],
        subject_reference=subject_reference,
        fields={
            "subject_name": "Resilience Test Person",
            "date_of_birth": "2008-11-02",
            "referral_reason": "Shares violent extremist videos with classmates.",
            "observed_facts": "Two teachers saw the videos; the school logged both.",
            "risk_assessment": "Moderate; responds well to his coach.",
        },
    )
