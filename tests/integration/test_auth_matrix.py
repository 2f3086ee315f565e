"""Every RPC of every service, against no token, bad tokens and each role, gives the right code."""

from __future__ import annotations

import base64
import json
from datetime import timedelta
from typing import Any

import grpc
import pytest

from services.common.auth import Role
from services.common.grpc_server import ANY_AUTHENTICATED
from tests.support.services import ServiceUnderTest

ORG_ID = "0b1c7a52-0000-4000-8000-000000000003"
# An allowed role passes the interceptor; an empty request then meets the handler's own answer.
ALLOWED_CODES = {
    grpc.StatusCode.OK,
    grpc.StatusCode.INVALID_ARGUMENT,
    grpc.StatusCode.NOT_FOUND,
    grpc.StatusCode.FAILED_PRECONDITION,
}


def _methods(svc: ServiceUnderTest) -> dict[str, Any]:
    return {f"/{svc.descriptor.full_name}/{m.name}": m for m in svc.descriptor.methods}


async def test_every_rpc_has_a_declared_policy(any_service: ServiceUnderTest) -> None:
    assert set(any_service.policies) == set(_methods(any_service))


def _empty_request(method: Any) -> Any:
    from google.protobuf import message_factory

    return message_factory.GetMessageClass(method.input_type)()


async def _code(svc: ServiceUnderTest, full_name: str, token: str | None) -> grpc.StatusCode:
    method = _methods(svc)[full_name]
    call = svc.channel.unary_unary(
        full_name,
        request_serializer=lambda m: m.SerializeToString(),
        response_deserializer=lambda b: b,
    )
    metadata = [("authorization", f"Bearer {token}")] if token is not None else None
    try:
        await call(_empty_request(method), metadata=metadata, timeout=15)
    except grpc.aio.AioRpcError as error:
        return error.code()
    return grpc.StatusCode.OK


def _b64(data: dict[str, Any] | bytes) -> str:
    raw = data if isinstance(data, bytes) else json.dumps(data).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _bad_tokens(svc: ServiceUnderTest) -> dict[str, str | None]:
    minter = svc.idp.minter
    roles = [Role.NATIONAL_ADMIN, Role.PLATFORM_ADMIN]
    good = minter.access_token(roles=roles, org_id=ORG_ID)
    header, payload, signature = good.split(".")
    flipped = ("A" if signature[10] != "A" else "B").join([signature[:10], signature[11:]])
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    past = minter.clock.now() - timedelta(hours=2)
    return {
        "no token": None,
        "garbage": "not-a-jwt",
        "expired": minter.access_token(roles=roles, issued_at=past, lifetime_s=300),
        "wrong issuer": minter.access_token(roles=roles, issuer="http://evil.example/realms/nlc"),
        "wrong audience": minter.access_token(roles=roles, audience="account"),
        "tampered signature": f"{header}.{payload}.{flipped}",
        "tampered payload": f"{header}.{_b64({**claims, 'org_id': 'x'})}.{signature}",
        "alg none": f"{_b64({'alg': 'none', 'typ': 'JWT'})}.{payload}.",
        "HS256 with the public key": _hs256_with_public_key(svc, claims),
    }


def _hs256_with_public_key(svc: ServiceUnderTest, claims: dict[str, Any]) -> str:
    import hashlib
    import hmac

    from cryptography.hazmat.primitives import serialization

    public_pem = svc.idp.minter.key.public_key.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    header = _b64({"alg": "HS256", "typ": "JWT", "kid": svc.idp.minter.key.kid})
    body = _b64(claims)
    mac = hmac.new(public_pem, f"{header}.{body}".encode(), hashlib.sha256).digest()
    return f"{header}.{body}.{_b64(mac)}"


async def test_bad_tokens_are_unauthenticated_on_every_rpc(any_service: ServiceUnderTest):
    wrong = []
    for label, token in _bad_tokens(any_service).items():
        for full_name in _methods(any_service):
            code = await _code(any_service, full_name, token)
            if code != grpc.StatusCode.UNAUTHENTICATED:
                wrong.append(f"{label} → {full_name}: {code.name}")
    assert wrong == []


@pytest.mark.parametrize("role", list(Role))
async def test_each_role_reaches_exactly_the_rpcs_its_policy_allows(
    any_service: ServiceUnderTest, role: Role
) -> None:
    token = any_service.idp.minter.access_token(roles=[role], org_id=ORG_ID)
    wrong = []
    for full_name in _methods(any_service):
        policy = any_service.policies[full_name]
        allowed = policy is ANY_AUTHENTICATED or role in policy
        code = await _code(any_service, full_name, token)
        ok = code in ALLOWED_CODES if allowed else code == grpc.StatusCode.PERMISSION_DENIED
        if not ok:
            wrong.append(f"{full_name}: {code.name} (allowed={allowed})")
    assert wrong == []


async def test_health_and_reflection_need_no_token(any_service: ServiceUnderTest) -> None:
    from grpc_health.v1 import health_pb2, health_pb2_grpc
    from grpc_reflection.v1alpha import reflection_pb2, reflection_pb2_grpc

    health = health_pb2_grpc.HealthStub(any_service.channel)
    reply = await health.Check(
        health_pb2.HealthCheckRequest(service=any_service.descriptor.full_name), timeout=10
    )
    assert reply.status == health_pb2.HealthCheckResponse.SERVING

    reflection = reflection_pb2_grpc.ServerReflectionStub(any_service.channel)
    request = reflection_pb2.ServerReflectionRequest(list_services="")
    stream = reflection.ServerReflectionInfo(iter([request]), timeout=10)
    answers = [answer async for answer in stream]
    names = {s.name for s in answers[0].list_services_response.service}
    assert any_service.descriptor.full_name in names
