"""The requests of the workload, each carrying a value unique to it (a name, title or reference)
so its effect can be found and counted afterwards. Shapes follow the demo data: the city and
telecom fund a call, the demo CSO applies, Riverton plans against the national strategy, Social
Services refers a person to the police under the demo agreement."""

from __future__ import annotations

from nlc.grants.v1 import applications_pb2 as apps
from nlc.grants.v1 import calls_pb2 as calls
from nlc.infoshare.v1 import infoshare_pb2
from nlc.registry.v1 import organisations_pb2
from nlc.reporting.v1 import plans_pb2
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


def call(title: str) -> calls.CreateCallRequest:
    """A pooled call, open from an hour ago for a week."""
    return calls.CreateCallRequest(call=grant_requests.call(title))


def application(call_name: str, title: str) -> apps.CreateApplicationRequest:
    """A complete application, its match commitment referenced by the end of its title."""
    draft = grant_requests.application(call_name, title, title[-32:])
    return apps.CreateApplicationRequest(application=draft)


def action_plan(title: str) -> plans_pb2.CreateActionPlanRequest:
    """The city hall's plan against the national strategy: one activity, one indicator."""
    return plans_pb2.CreateActionPlanRequest(action_plan=city_hall_plan(title))


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
