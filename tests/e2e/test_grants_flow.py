"""Through `nlc up`: the city opens a pooled call; a CSO known from registry events applies."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

import grpc
from google.protobuf.field_mask_pb2 import FieldMask
from google.protobuf.timestamp_pb2 import Timestamp

from nlc.common.v1.common_pb2 import Money
from nlc.grants.v1 import applications_pb2 as apps
from nlc.grants.v1 import calls_pb2 as calls
from nlc.grants.v1 import grants_pb2_grpc
from nlc.registry.v1 import mandates_pb2
from services.common.rich_status import violations_of
from tests.e2e.platform import Platform, access_token, bearer

CITY_HALL = "organisations/0b1c7a52-0000-4000-8000-000000000002"
TELECOM = "organisations/0b1c7a52-0000-4000-8000-000000000004"
READ_MODEL_DEADLINE_S = 30


def _eur(units: int) -> Money:
    return Money(currency_code="EUR", minor_units=units)


def _at(moment: datetime) -> Timestamp:
    stamp = Timestamp()
    stamp.FromDatetime(moment)
    return stamp


def _pooled_call() -> calls.Call:
    now = datetime.now(UTC)
    return calls.Call(
        title="Shared Endeavour Fund (end-to-end)",
        description="Grassroots prevention projects, half city money, half private match.",
        currency_code="EUR",
        funders=[
            calls.CallFunder(organisation=CITY_HALL, pledge=_eur(40_000_000)),
            calls.CallFunder(organisation=TELECOM, pledge=_eur(40_000_000)),
        ],
        min_award=_eur(500_000),
        max_award=_eur(5_000_000),
        eligibility=calls.Eligibility(must_be_verified=True),
        match_rule=calls.MatchRule(min_match_bps=2_500, in_kind_cap_bps=5_000),
        min_monitoring_evaluation_bps=500,
        criteria=[calls.Criterion(code="impact", title="Impact", weight=1, max_score=5)],
        reviews_per_application=1,
        opens_at=_at(now - timedelta(hours=1)),
        closes_at=_at(now + timedelta(days=30)),
        decision_date=(now + timedelta(days=60)).date().isoformat(),
        reporting_duty=calls.ReportingDuty(
            periodicity=mandates_pb2.REPORTING_PERIODICITY_SEMIANNUAL
        ),
        tranche_plan=[
            calls.PlannedTranche(
                code="signing", share_bps=10_000, trigger=calls.TRANCHE_TRIGGER_ON_SIGNING
            )
        ],
    )


def _application(call_name: str) -> apps.Application:
    return apps.Application(
        call=call_name,
        title="Youth mentors in Riverton North",
        summary="Peer mentoring for young people at risk.",
        prevention_levels=[mandates_pb2.PREVENTION_LEVEL_PRIMARY],
        budget_lines=[
            apps.BudgetLine(category=apps.BUDGET_CATEGORY_STAFF, amount=_eur(3_000_000)),
            apps.BudgetLine(category=apps.BUDGET_CATEGORY_ACTIVITIES, amount=_eur(760_000)),
            apps.BudgetLine(
                category=apps.BUDGET_CATEGORY_MONITORING_EVALUATION, amount=_eur(240_000)
            ),
        ],
        requested_amount=_eur(3_000_000),
        match_commitments=[
            apps.MatchCommitment(
                source_name="Riverton Community Trust",
                kind=calls.MATCH_KIND_CASH,
                amount=_eur(1_000_000),
                commitment_reference=f"RCT-E2E-{int(time.time())}",
            )
        ],
    )


def test_city_opens_a_pooled_call_and_a_verified_cso_applies(platform: Platform) -> None:
    manager = bearer(access_token(platform, "manager"))
    cso = bearer(access_token(platform, "cso"))
    with grpc.insecure_channel(platform.grants_target) as channel:
        grants = grants_pb2_grpc.GrantsServiceStub(channel)
        draft = grants.CreateCall(
            calls.CreateCallRequest(call=_pooled_call()), metadata=manager, timeout=10
        )
        opened = grants.OpenCall(
            calls.OpenCallRequest(name=draft.name), metadata=manager, timeout=10
        )
        assert opened.state == calls.CALL_STATE_OPEN
        assert opened.pool.minor_units == 80_000_000

        application = grants.CreateApplication(
            apps.CreateApplicationRequest(application=_application(opened.name)),
            metadata=cso,
            timeout=10,
        )
        retitled = grants.UpdateApplication(
            apps.UpdateApplicationRequest(
                application=apps.Application(name=application.name, title="Mentors for Riverton"),
                update_mask=FieldMask(paths=["title"]),
            ),
            metadata=cso,
            timeout=10,
        )
        assert retitled.title == "Mentors for Riverton"
        assert retitled.budget_summary.match_bps == 2_500
        assert retitled.budget_summary.monitoring_evaluation_bps == 600

        submitted = _submit_when_known(grants, application.name, cso)
    assert submitted.state == apps.APPLICATION_STATE_SUBMITTED


def _submit_when_known(grants, name: str, metadata) -> apps.Application:
    """Submit, retrying while the grants read model has not yet heard of the CSO."""
    give_up = time.monotonic() + READ_MODEL_DEADLINE_S
    while True:
        try:
            return grants.SubmitApplication(
                apps.SubmitApplicationRequest(name=name), metadata=metadata, timeout=10
            )
        except grpc.RpcError as error:
            if time.monotonic() > give_up or error.code() != grpc.StatusCode.FAILED_PRECONDITION:
                raise AssertionError(f"{error.code()}: {violations_of(error)}") from error
        time.sleep(0.2)
