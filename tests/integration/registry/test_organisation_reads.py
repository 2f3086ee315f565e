"""GetOrganisation answers from a cache: a change shows at once where it was made, on another
replica as soon as its event arrives, and the cache never shows anyone what they may not see.

The services run on a clock that stands still, so cached entries never expire here: only the
events can make a change show.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import grpc
import pytest
from google.protobuf.field_mask_pb2 import FieldMask

from nlc.registry.v1 import organisations_pb2 as pb
from nlc.registry.v1 import registry_pb2_grpc
from services.cli.readiness import wait_until
from services.common.app import start_service
from services.common.config import load_settings
from services.common.demo_ids import BRIDGES, HARBOUR
from services.registry.service import SPEC
from tests.support.services import ServiceUnderTest

EVENT_DEADLINE_S = 10.0


@pytest.fixture
async def second_replica(
    registry_service: ServiceUnderTest,
    tmp_path: Path,
    nats_server: str,
    database_url: str,
    db_schema: str,
) -> AsyncIterator[Any]:
    """Another registry on the same database and NATS, as a second replica would run."""
    settings = load_settings(
        home=tmp_path / "second",
        nats_url=nats_server,
        oidc_issuer=registry_service.idp.issuer,
        database_url=database_url,
    )
    running = await start_service(
        SPEC, settings, port=0, clock=registry_service.clock, db_schema=db_schema
    )
    channel = grpc.aio.insecure_channel(f"127.0.0.1:{running.port}")
    try:
        yield registry_pb2_grpc.RegistryServiceStub(channel)
    finally:
        await channel.close()
        await running.stop()


async def _get(stub: Any, org_id: str, metadata: Any) -> pb.Organisation:
    request = pb.GetOrganisationRequest(name=f"organisations/{org_id}")
    return await stub.GetOrganisation(request, metadata=metadata, timeout=15)


async def _rename(svc: ServiceUnderTest, org_id: str, display_name: str) -> pb.Organisation:
    change = pb.Organisation(name=f"organisations/{org_id}", display_name=display_name)
    request = pb.UpdateOrganisationRequest(
        organisation=change, update_mask=FieldMask(paths=["display_name"])
    )
    return await svc.call("UpdateOrganisation", request, as_user="admin")


async def test_a_rename_shows_at_once_on_the_replica_that_made_it(
    registry_service: ServiceUnderTest,
):
    admin = await registry_service.metadata("admin")
    before = await _get(registry_service.stub, BRIDGES, admin)

    renamed = await _rename(registry_service, BRIDGES, "Bridges Youth Network Ardenia")
    after = await _get(registry_service.stub, BRIDGES, admin)

    assert before.display_name == "Bridges Youth Network"
    assert after.display_name == "Bridges Youth Network Ardenia"
    assert after.etag == renamed.etag != before.etag


async def test_a_rename_on_one_replica_shows_on_another_once_its_event_arrives(
    registry_service: ServiceUnderTest, second_replica: Any
):
    admin = await registry_service.metadata("admin")
    cached = await _get(second_replica, BRIDGES, admin)

    await _rename(registry_service, BRIDGES, "Bridges Network")

    async def second_sees_rename() -> bool:
        return (await _get(second_replica, BRIDGES, admin)).display_name == "Bridges Network"

    what = "the rename on the second replica"
    await wait_until(None, second_sees_rename, what=what, deadline_s=EVENT_DEADLINE_S)
    assert cached.display_name == "Bridges Youth Network"


async def test_an_organisation_cached_for_an_admin_stays_hidden_from_an_outsider(
    registry_service: ServiceUnderTest,
):
    request = pb.GetOrganisationRequest(name=f"organisations/{HARBOUR}")
    seen_by_admin = await registry_service.call("GetOrganisation", request, as_user="admin")

    with pytest.raises(grpc.aio.AioRpcError) as denied:
        await registry_service.call("GetOrganisation", request, as_user="cso")

    assert seen_by_admin.verification_state == pb.VERIFICATION_STATE_PENDING
    assert denied.value.code() == grpc.StatusCode.NOT_FOUND
    assert HARBOUR in denied.value.details()
