"""Grant calls and applications as tests and benchmarks send them: the demo city hall and telecom
foundation fund a call, the demo CSO applies with a complete budget."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from google.protobuf.timestamp_pb2 import Timestamp

from nlc.common.v1.common_pb2 import Money
from nlc.grants.v1 import applications_pb2 as apps
from nlc.grants.v1 import calls_pb2 as calls
from nlc.registry.v1 import mandates_pb2
from services.common.demo_ids import RIVERTON, TELECOM

CITY_HALL = f"organisations/{RIVERTON}"
TELECOM_FOUNDATION = f"organisations/{TELECOM}"


def eur(minor_units: int) -> Money:
    return Money(currency_code="EUR", minor_units=minor_units)


def timestamp(moment: datetime) -> Timestamp:
    stamp = Timestamp()
    stamp.FromDatetime(moment)
    return stamp


def pooled_funders(pledge_minor_units: int) -> list[calls.CallFunder]:
    """The city hall and the telecom foundation, each pledging the same amount."""
    pledge = eur(pledge_minor_units)
    funders = (CITY_HALL, TELECOM_FOUNDATION)
    return [calls.CallFunder(organisation=o, pledge=pledge) for o in funders]


def call(
    title: str,
    *,
    closes_in: timedelta = timedelta(days=7),
    periodicity: int = mandates_pb2.REPORTING_PERIODICITY_ANNUAL,
    decision_in: timedelta | None = None,
    **fields: Any,
) -> calls.Call:
    """A call that opened an hour ago: by default pooled (EUR 400,000 from each of the two
    funders) for verified CSOs, 25% match, 5% M&E. Fields replace parts; None leaves one out."""
    now = datetime.now(UTC)
    signing = calls.PlannedTranche(
        code="signing", share_bps=10_000, trigger=calls.TRANCHE_TRIGGER_ON_SIGNING
    )
    values: dict[str, Any] = {
        "title": title,
        "currency_code": "EUR",
        "funders": pooled_funders(40_000_000),
        "min_award": eur(500_000),
        "max_award": eur(5_000_000),
        "eligibility": calls.Eligibility(must_be_verified=True),
        "match_rule": calls.MatchRule(min_match_bps=2_500, in_kind_cap_bps=5_000),
        "min_monitoring_evaluation_bps": 500,
        "criteria": [calls.Criterion(code="impact", title="Impact", weight=1, max_score=5)],
        "reviews_per_application": 1,
        "opens_at": timestamp(now - timedelta(hours=1)),
        "closes_at": timestamp(now + closes_in),
        "reporting_duty": calls.ReportingDuty(periodicity=periodicity),
        "tranche_plan": [signing],
    }
    if decision_in is not None:
        values["decision_date"] = (now + decision_in).date().isoformat()
    return calls.Call(**(values | fields))


def application(
    call_name: str, title: str, commitment_reference: str, **fields: Any
) -> apps.Application:
    """A complete application: EUR 40,000 budget, 25% cash match, 6% M&E; fields add to it."""
    line = apps.BudgetLine
    return apps.Application(
        call=call_name,
        title=title,
        prevention_levels=[mandates_pb2.PREVENTION_LEVEL_PRIMARY],
        budget_lines=[
            line(category=apps.BUDGET_CATEGORY_STAFF, amount=eur(3_000_000)),
            line(category=apps.BUDGET_CATEGORY_ACTIVITIES, amount=eur(760_000)),
            line(category=apps.BUDGET_CATEGORY_MONITORING_EVALUATION, amount=eur(240_000)),
        ],
        requested_amount=eur(3_000_000),
        match_commitments=[
            apps.MatchCommitment(
                source_name="Riverton Community Trust",
                kind=calls.MATCH_KIND_CASH,
                amount=eur(1_000_000),
                commitment_reference=commitment_reference,
            )
        ],
        **fields,
    )
