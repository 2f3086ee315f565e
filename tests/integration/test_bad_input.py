"""Hypothesis-made requests to every write RPC: a caller error code, and nothing stored."""

from __future__ import annotations

import grpc
from google.protobuf import message_factory
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from nlc.grants.v1 import grants_pb2
from nlc.infoshare.v1 import infoshare_pb2
from nlc.registry.v1 import registry_pb2
from nlc.reporting.v1 import reporting_pb2
from services.common.clock import today
from services.common.kit_tables import KIT_METADATA
from services.common.rich_status import violations_of
from services.infoshare.orm import tables as infoshare_tables
from tests.support.proto_strategies import message_strategy
from tests.support.services import ServiceUnderTest

SERVICES = [
    registry_pb2.DESCRIPTOR.services_by_name["RegistryService"],
    grants_pb2.DESCRIPTOR.services_by_name["GrantsService"],
    reporting_pb2.DESCRIPTOR.services_by_name["ReportingService"],
    infoshare_pb2.DESCRIPTOR.services_by_name["InfoshareService"],
]
WRITE_METHODS = [
    m for s in SERVICES for m in s.methods if not m.name.startswith(("Get", "List", "Export"))
]
# Callers whose roles reach the write RPCs of each service.
CALLERS = {
    "nlc.registry.v1.RegistryService": ["admin", "city"],
    "nlc.grants.v1.GrantsService": ["manager", "cso", "panel"],
    "nlc.reporting.v1.ReportingService": ["city", "reviewer", "cso", "manager"],
    "nlc.infoshare.v1.InfoshareService": ["sharer", "dpo", "auditor"],
}
CALLER_ERRORS = {
    grpc.StatusCode.INVALID_ARGUMENT,
    grpc.StatusCode.FAILED_PRECONDITION,
    grpc.StatusCode.NOT_FOUND,
    grpc.StatusCode.ALREADY_EXISTS,
    grpc.StatusCode.ABORTED,
    grpc.StatusCode.PERMISSION_DENIED,
}
REQUESTS = {
    m.full_name: message_strategy(m.input_type, message_factory.GetMessageClass(m.input_type))
    for m in WRITE_METHODS
}


def _calls(service_name: str) -> st.SearchStrategy:
    methods = [m for m in WRITE_METHODS if m.containing_service.full_name == service_name]
    return st.sampled_from(methods).flatmap(
        lambda m: st.tuples(
            st.just(m), REQUESTS[m.full_name], st.sampled_from(CALLERS[service_name])
        )
    )


# Rows of each service's own tables that a refused request must not add (besides the kit's).
STORED = {
    "nlc.infoshare.v1.InfoshareService": [
        infoshare_tables.shares,
        infoshare_tables.deliveries,
        infoshare_tables.agreements,
        infoshare_tables.purposes,
    ],
}
# Infoshare's callers who need a training attestation before their input is even looked at.
TRAINED_CALLERS = {"nlc.infoshare.v1.InfoshareService": ["sharer", "dpo"]}
_trained: list[ServiceUnderTest] = []


async def _stored_changes(svc: ServiceUnderTest) -> tuple[int, ...]:
    tables = [KIT_METADATA.tables["outbox"], KIT_METADATA.tables["audit_log"]]
    tables += STORED.get(svc.descriptor.full_name, [])
    async with svc.running.deps.sessions() as session:
        counts = [await session.scalar(select(func.count()).select_from(t)) for t in tables]
    return tuple(int(c or 0) for c in counts)


async def _attest_training(svc: ServiceUnderTest) -> None:
    """Attest training (completed on the service clock's today) for the callers that need it,
    once per service, so their requests reach input validation."""
    users = TRAINED_CALLERS.get(svc.descriptor.full_name, [])
    if not users or any(s is svc for s in _trained):
        return
    request = infoshare_pb2.AttestTrainingRequest(
        course="Data protection essentials", completed_on=today(svc.clock).isoformat()
    )
    for user in users:
        await svc.stub.AttestTraining(request, metadata=await svc.metadata(user), timeout=15)
    _trained.append(svc)


@settings(
    max_examples=250,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
async def test_write_rpcs_answer_bad_input_with_a_caller_error_and_store_nothing(
    any_service: ServiceUnderTest, data: st.DataObject
) -> None:
    service_name = any_service.descriptor.full_name
    method, request, user = data.draw(_calls(service_name))
    full_name = f"/{service_name}/{method.name}"
    await _attest_training(any_service)
    rpc = any_service.channel.unary_unary(
        full_name,
        request_serializer=lambda m: m.SerializeToString(),
        response_deserializer=lambda b: b,
    )
    before = await _stored_changes(any_service)
    try:
        await rpc(request, metadata=await any_service.metadata(user), timeout=15)
    except grpc.aio.AioRpcError as error:
        assert error.code() in CALLER_ERRORS, (
            f"{method.name}: {error.code().name} {error.details()}"
        )
        if error.code() == grpc.StatusCode.INVALID_ARGUMENT:
            assert violations_of(error), f"{method.name}: no field violations: {error.details()}"
        assert await _stored_changes(any_service) == before, f"{method.name} stored a change"
