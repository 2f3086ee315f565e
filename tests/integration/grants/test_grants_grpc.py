"""The real registry and grants services on one nats-server: registry verification reaches grants.

A national admin registers and verifies a CSO in the registry; seconds later a member of that CSO
can submit an application to an open grants call. Once the registry suspends the CSO, grants
refuses the next submission with a precondition naming the suspension.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import grpc
import pytest
from sqlalchemy.engine import make_url

from nlc.grants.v1 import applications_pb2, calls_pb2, grants_pb2_grpc
from nlc.registry.v1 import mandates_pb2, organisations_pb2, registry_pb2_grpc
from services.common.app import start_service
from services.common.config import load_settings
from services.grants.service import SPEC as GRANTS_SPEC
from services.registry.service import SPEC as REGISTRY_SPEC
from tests.support import grant_requests
from tests.support.databases import drop_schema
from tests.support.grant_requests import TELECOM_FOUNDATION, eur

DEADLINE_S = 20.0


def _call() -> calls_pb2.Call:
    """The telecom foundation's own call, open to any CSO, without match or M&E rules."""
    return grant_requests.call(
        "Shared Endeavour Fund",
        funders=[calls_pb2.CallFunder(organisation=TELECOM_FOUNDATION, pledge=eur(100_000_000))],
        min_award=eur(100_000),
        eligibility=None,
        match_rule=None,
        min_monitoring_evaluation_bps=None,
        closes_in=timedelta(days=30),
        periodicity=mandates_pb2.REPORTING_PERIODICITY_SEMIANNUAL,
        tranche_plan=[
            calls_pb2.PlannedTranche(
                code="all", share_bps=10_000, trigger=calls_pb2.TRANCHE_TRIGGER_ON_SIGNING
            )
        ],
    )


def _application(call: str) -> applications_pb2.Application:
    return applications_pb2.Application(
        call=call,
        title="Youth mentors",
        budget_lines=[
            applications_pb2.BudgetLine(
                category=applications_pb2.BUDGET_CATEGORY_STAFF, amount=eur(1_000_000)
            )
        ],
        requested_amount=eur(1_000_000),
    )


@pytest.fixture
async def stubs(
    tmp_path: Path, nats_server: str, idp: Any, database_url: str, db_schema: str
) -> AsyncIterator[tuple[Any, Any]]:
    """Registry and grants stubs, each service on its own database (file or schema)."""
    postgres = make_url(database_url).get_backend_name() == "postgresql"
    settings = load_settings(
        home=tmp_path / "home",
        nats_url=nats_server,
        oidc_issuer=idp.issuer,
        database_url=database_url if postgres else "",
    )
    grants_schema = f"{db_schema}_grants"
    registry = await start_service(REGISTRY_SPEC, settings, port=0, db_schema=db_schema)
    grants = await start_service(GRANTS_SPEC, settings, port=0, db_schema=grants_schema)
    channels = [grpc.aio.insecure_channel(f"127.0.0.1:{s.port}") for s in (registry, grants)]
    try:
        yield (
            registry_pb2_grpc.RegistryServiceStub(channels[0]),
            grants_pb2_grpc.GrantsServiceStub(channels[1]),
        )
    finally:
        for channel in channels:
            await channel.close()
        await grants.stop()
        await registry.stop()
        if postgres:
            await drop_schema(database_url, grants_schema)


async def _submit_eventually(grants: Any, name: str, auth: Any) -> Any:
    deadline = time.monotonic() + DEADLINE_S
    request = applications_pb2.SubmitApplicationRequest(name=name)
    while True:
        try:
            return await grants.SubmitApplication(request, metadata=auth, timeout=10)
        except grpc.aio.AioRpcError as exc:
            if exc.code() != grpc.StatusCode.FAILED_PRECONDITION:
                raise
            if time.monotonic() > deadline:
                raise AssertionError(f"never became submittable: {exc.details()}") from exc
        await asyncio.sleep(0.05)


async def _refused_eventually(grants: Any, call: str, auth: Any, words: str) -> str:
    deadline = time.monotonic() + DEADLINE_S
    while True:
        draft = await grants.CreateApplication(
            applications_pb2.CreateApplicationRequest(application=_application(call)),
            metadata=auth,
            timeout=10,
        )
        request = applications_pb2.SubmitApplicationRequest(name=draft.name)
        try:
            await grants.SubmitApplication(request, metadata=auth, timeout=10)
        except grpc.aio.AioRpcError as exc:
            assert exc.code() == grpc.StatusCode.FAILED_PRECONDITION
            if words in (exc.details() or ""):
                return exc.details() or ""
        if time.monotonic() > deadline:
            raise AssertionError(f"grants never refused with {words!r}")
        await asyncio.sleep(0.05)


async def test_a_cso_verified_in_the_registry_can_apply_and_a_suspended_one_cannot(
    stubs: tuple[Any, Any], idp: Any
) -> None:
    registry, grants = stubs
    admin = [("authorization", f"Bearer {await idp.token_for('admin')}")]
    manager = [("authorization", f"Bearer {await idp.token_for('manager')}")]
    call = await grants.CreateCall(calls_pb2.CreateCallRequest(call=_call()), metadata=manager)
    call = await grants.OpenCall(calls_pb2.OpenCallRequest(name=call.name), metadata=manager)
    assert call.state == calls_pb2.CALL_STATE_OPEN

    org = await registry.CreateOrganisation(
        organisations_pb2.CreateOrganisationRequest(
            organisation=organisations_pb2.Organisation(
                display_name=f"New Horizons {uuid.uuid4().hex[:6]}",
                kind=organisations_pb2.ORGANISATION_KIND_CSO,
            )
        ),
        metadata=admin,
    )
    await registry.VerifyOrganisation(
        organisations_pb2.ChangeVerificationRequest(name=org.name), metadata=admin
    )
    token = idp.minter.access_token(
        sub=str(uuid.uuid4()), username="newcso", roles=["cso-member"], org_id=org.id
    )
    cso = [("authorization", f"Bearer {token}")]
    draft = await grants.CreateApplication(
        applications_pb2.CreateApplicationRequest(application=_application(call.name)),
        metadata=cso,
    )
    submitted = await _submit_eventually(grants, draft.name, cso)
    assert submitted.state == applications_pb2.APPLICATION_STATE_SUBMITTED

    await registry.SuspendOrganisation(
        organisations_pb2.ChangeVerificationRequest(name=org.name, reason="audit findings"),
        metadata=admin,
    )
    details = await _refused_eventually(grants, call.name, cso, "suspended")
    assert "verification is suspended" in details
