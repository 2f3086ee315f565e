"""A real grpc.aio server built by build_server: tokens, policies, error mapping, health, logs."""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import AsyncIterator
from dataclasses import dataclass

import grpc
import pytest
from grpc_health.v1 import health_pb2, health_pb2_grpc
from grpc_reflection.v1alpha import reflection_pb2, reflection_pb2_grpc

from services.common.auth import Role, TokenVerifier, current_principal
from services.common.errors import (
    Conflict,
    FailedPrecondition,
    InvalidArgument,
    NotFound,
    Violation,
    invalid,
)
from services.common.grpc_server import (
    ANY_AUTHENTICATED,
    HealthServicer,
    build_server,
    set_serving,
    start_server,
    stop_server,
)
from services.common.logging import JsonFormatter
from services.common.rich_status import violations_of
from tests.support.rsa_issuer import RsaIssuer, new_key, running_issuer

SERVICE = "test.v1.Echo"
POLICIES = {
    f"/{SERVICE}/Echo": frozenset({Role.CITY_OFFICER, Role.NATIONAL_ADMIN}),
    f"/{SERVICE}/Fail": ANY_AUTHENTICATED,
    f"/{SERVICE}/Count": ANY_AUTHENTICATED,
    f"/{SERVICE}/Sync": ANY_AUTHENTICATED,
}
FAILURES: dict[bytes, Exception] = {
    b"invalid": InvalidArgument(
        "invalid request",
        [Violation("name", "must not be empty"), Violation("budget.amount", "must be positive")],
    ),
    b"one-field": invalid("code", "already used format"),
    b"precondition": FailedPrecondition(
        "grant is closed", [Violation("grant.state", "must be OPEN")]
    ),
    b"not-found": NotFound("no such organisation"),
    b"conflict": Conflict("stale etag"),
    b"crash": RuntimeError("connection to postgres://admin:secret@db failed"),
}


def identity(data: bytes) -> bytes:
    return data


async def echo(request: bytes, context: grpc.aio.ServicerContext) -> bytes:
    caller = current_principal()
    return f"{caller.username}@{caller.org_id}:".encode() + request


async def fail(request: bytes, context: grpc.aio.ServicerContext) -> bytes:
    raise FAILURES[request]


async def count(request: bytes, context: grpc.aio.ServicerContext) -> AsyncIterator[bytes]:
    for i in range(int(request)):
        await asyncio.sleep(0)
        yield f"{current_principal().sub}#{i}".encode()


def sync_whoami(request: bytes, context: grpc.aio.ServicerContext) -> bytes:
    return current_principal().sub.encode()


def register(server: grpc.aio.Server) -> None:
    unary = {
        name: grpc.unary_unary_rpc_method_handler(
            behaviour, request_deserializer=identity, response_serializer=identity
        )
        for name, behaviour in [
            ("Echo", echo),
            ("Fail", fail),
            ("Unlisted", echo),
            ("Sync", sync_whoami),
        ]
    }
    stream = grpc.unary_stream_rpc_method_handler(
        count, request_deserializer=identity, response_serializer=identity
    )
    server.add_generic_rpc_handlers(
        [grpc.method_handlers_generic_handler(SERVICE, {**unary, "Count": stream})]
    )


@dataclass
class Running:
    issuer: RsaIssuer
    channel: grpc.aio.Channel
    server: grpc.aio.Server
    health: HealthServicer

    def call(self, method: str) -> grpc.aio.UnaryUnaryMultiCallable:
        return self.channel.unary_unary(f"/{SERVICE}/{method}")

    def auth(self, **claims: object) -> tuple[tuple[str, str], ...]:
        return (("authorization", f"Bearer {self.issuer.mint(**claims)}"),)


@pytest.fixture
async def running() -> AsyncIterator[Running]:
    async with running_issuer() as issuer:
        server, health = build_server(
            verifier=TokenVerifier(issuer.issuer),
            policies=POLICIES,
            register=register,
            service_names=[SERVICE],
        )
        port = await start_server(server, "127.0.0.1", 0)
        await set_serving(health, [SERVICE])
        async with grpc.aio.insecure_channel(f"127.0.0.1:{port}") as channel:
            yield Running(issuer, channel, server, health)
        await stop_server(server, health, grace_s=0)


async def failure(call: object) -> grpc.aio.AioRpcError:
    with pytest.raises(grpc.aio.AioRpcError) as failed:
        await call  # type: ignore[misc]
    return failed.value


async def test_the_servicer_sees_the_verified_caller(running: Running) -> None:
    reply = await running.call("Echo")(b"hello", metadata=running.auth())

    assert reply == b"alice@org-1:hello"


async def test_a_streaming_servicer_sees_the_caller_on_every_message(running: Running) -> None:
    stream = running.channel.unary_stream(f"/{SERVICE}/Count")

    replies = [r async for r in stream(b"3", metadata=running.auth(sub="u-7"))]

    assert replies == [b"u-7#0", b"u-7#1", b"u-7#2"]


async def test_a_plain_function_servicer_sees_the_caller_too(running: Running) -> None:
    reply = await running.call("Sync")(b"", metadata=running.auth(sub="u-5"))

    assert reply == b"u-5"


async def test_no_token_is_unauthenticated(running: Running) -> None:
    error = await failure(running.call("Echo")(b"x"))

    assert error.code() == grpc.StatusCode.UNAUTHENTICATED
    assert error.details() == "missing bearer token"


@pytest.mark.parametrize(
    "authorization", ["Bearer not-a-token", "Basic YWxpY2U6cHc=", "Bearer", "bearer  "]
)
async def test_a_bad_authorization_header_is_unauthenticated(
    running: Running, authorization: str
) -> None:
    call = running.call("Echo")(b"x", metadata=(("authorization", authorization),))

    assert (await failure(call)).code() == grpc.StatusCode.UNAUTHENTICATED


async def test_a_token_from_another_key_is_unauthenticated(running: Running) -> None:
    token = running.issuer.mint(key=new_key())
    call = running.call("Echo")(b"x", metadata=(("authorization", f"Bearer {token}"),))

    error = await failure(call)

    assert error.code() == grpc.StatusCode.UNAUTHENTICATED
    assert error.details() == "bad signature"


async def test_an_expired_token_is_unauthenticated(running: Running) -> None:
    error = await failure(running.call("Echo")(b"x", metadata=running.auth(exp=1)))

    assert (error.code(), error.details()) == (grpc.StatusCode.UNAUTHENTICATED, "token expired")


async def test_a_role_outside_the_policy_is_permission_denied(running: Running) -> None:
    metadata = running.auth(realm_access={"roles": ["funder"]})

    error = await failure(running.call("Echo")(b"x", metadata=metadata))

    assert error.code() == grpc.StatusCode.PERMISSION_DENIED


async def test_any_authenticated_lets_a_caller_without_roles_in(running: Running) -> None:
    stream = running.channel.unary_stream(f"/{SERVICE}/Count")

    replies = [r async for r in stream(b"1", metadata=running.auth(realm_access=None))]

    assert replies == [b"user-1#0"]


async def test_a_method_missing_from_the_policy_table_is_refused(running: Running) -> None:
    metadata = running.auth(realm_access={"roles": [r.value for r in Role]})

    error = await failure(running.call("Unlisted")(b"x", metadata=metadata))

    assert error.code() == grpc.StatusCode.PERMISSION_DENIED


async def test_an_unknown_method_is_unimplemented(running: Running) -> None:
    error = await failure(running.call("Nope")(b"x", metadata=running.auth()))

    assert error.code() == grpc.StatusCode.UNIMPLEMENTED


async def test_invalid_argument_carries_field_violations(running: Running) -> None:
    error = await failure(running.call("Fail")(b"invalid", metadata=running.auth()))

    assert error.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert error.details() == "invalid request"
    assert violations_of(error) == [
        ("name", "must not be empty"),
        ("budget.amount", "must be positive"),
    ]


async def test_a_single_field_error_carries_its_violation(running: Running) -> None:
    error = await failure(running.call("Fail")(b"one-field", metadata=running.auth()))

    assert violations_of(error) == [("code", "already used format")]


async def test_failed_precondition_carries_precondition_violations(running: Running) -> None:
    error = await failure(running.call("Fail")(b"precondition", metadata=running.auth()))

    assert error.code() == grpc.StatusCode.FAILED_PRECONDITION
    assert error.details() == "grant is closed"
    assert violations_of(error) == [("grant.state", "must be OPEN")]


@pytest.mark.parametrize(
    ("request_", "code"),
    [(b"not-found", grpc.StatusCode.NOT_FOUND), (b"conflict", grpc.StatusCode.ABORTED)],
)
async def test_other_domain_errors_map_to_their_codes(
    running: Running, request_: bytes, code: grpc.StatusCode
) -> None:
    error = await failure(running.call("Fail")(request_, metadata=running.auth()))

    assert error.code() == code
    assert violations_of(error) == []


async def test_an_unexpected_exception_is_internal_without_details(
    running: Running, caplog: pytest.LogCaptureFixture
) -> None:
    error = await failure(running.call("Fail")(b"crash", metadata=running.auth()))

    assert (error.code(), error.details()) == (grpc.StatusCode.INTERNAL, "internal error")
    assert "secret" not in str(error.debug_error_string())
    logged = [r for r in caplog.records if r.exc_info and r.getMessage() == "unhandled error"]
    assert [type(r.exc_info[1]) for r in logged] == [RuntimeError]  # type: ignore[index]


async def test_health_answers_without_a_token(running: Running) -> None:
    health = health_pb2_grpc.HealthStub(running.channel)

    overall = await health.Check(health_pb2.HealthCheckRequest())
    service = await health.Check(health_pb2.HealthCheckRequest(service=SERVICE))

    assert overall.status == service.status == health_pb2.HealthCheckResponse.SERVING


async def test_reflection_lists_services_without_a_token(running: Running) -> None:
    stub = reflection_pb2_grpc.ServerReflectionStub(running.channel)
    requests = [reflection_pb2.ServerReflectionRequest(list_services="")]

    replies = [r async for r in stub.ServerReflectionInfo(iter(requests))]

    names = {s.name for s in replies[0].list_services_response.service}
    assert names == {SERVICE, "grpc.health.v1.Health", "grpc.reflection.v1alpha.ServerReflection"}


async def test_stopping_reports_not_serving_to_watchers(running: Running) -> None:
    health = health_pb2_grpc.HealthStub(running.channel)
    watch = health.Watch(health_pb2.HealthCheckRequest(service=SERVICE))
    first = await watch.read()

    stopping = asyncio.create_task(stop_server(running.server, running.health, grace_s=5))
    second = await watch.read()
    watch.cancel()
    await stopping

    assert first.status == health_pb2.HealthCheckResponse.SERVING
    assert second.status == health_pb2.HealthCheckResponse.NOT_SERVING


async def test_one_json_log_line_per_rpc_with_method_code_duration_and_caller(
    running: Running, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="nlc.rpc")
    await running.call("Echo")(b"x", metadata=running.auth(sub="u-42"))
    await failure(running.call("Echo")(b"x"))
    await failure(running.call("Fail")(b"invalid", metadata=running.auth(sub="u-43")))

    lines = [json.loads(JsonFormatter().format(r)) for r in caplog.records if r.name == "nlc.rpc"]
    lines = [line for line in lines if line["message"] == "rpc"]

    assert [(x["method"], x["code"], x["caller"]) for x in lines] == [
        (f"/{SERVICE}/Echo", "OK", "u-42"),
        (f"/{SERVICE}/Echo", "UNAUTHENTICATED", None),
        (f"/{SERVICE}/Fail", "INVALID_ARGUMENT", "u-43"),
    ]
    assert all(isinstance(x["duration_ms"], float) and x["duration_ms"] >= 0 for x in lines)
