"""Through `nlc up`: the city opens a pooled call; a CSO known from registry events applies."""

from __future__ import annotations

import time
from datetime import timedelta

import grpc
from google.protobuf.field_mask_pb2 import FieldMask

from nlc.grants.v1 import applications_pb2 as apps
from nlc.grants.v1 import calls_pb2 as calls
from nlc.grants.v1 import grants_pb2_grpc
from nlc.registry.v1 import mandates_pb2
from services.common.rich_status import violations_of
from tests.e2e.platform import Platform, access_token, bearer
from tests.support import grant_requests

READ_MODEL_DEADLINE_S = 30


def _pooled_call() -> calls.Call:
    return grant_requests.call(
        "Shared Endeavour Fund (end-to-end)",
        description="Grassroots prevention projects, half city money, half private match.",
        closes_in=timedelta(days=30),
        decision_in=timedelta(days=60),
        periodicity=mandates_pb2.REPORTING_PERIODICITY_SEMIANNUAL,
    )


def _application(call_name: str) -> apps.Application:
    return grant_requests.application(
        call_name,
        "Youth mentors in Riverton North",
        f"RCT-E2E-{int(time.time())}",
        summary="Peer mentoring for young people at risk.",
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
