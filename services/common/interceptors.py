"""Server interceptors: one log line per RPC, token and role checks, domain errors to statuses."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import AsyncIterator, Callable, Mapping, Sequence
from contextlib import asynccontextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any, Final, NoReturn

import grpc

from services.common.auth import Principal, TokenVerifier, bind_principal
from services.common.errors import DomainError, Unauthenticated
from services.common.rich_status import to_grpc_status
from services.common.rpc_wrap import WrappingInterceptor

log = logging.getLogger("nlc.rpc")

OPEN_PREFIXES: Final = (
    "/grpc.health.v1.Health/",
    "/grpc.reflection.v1alpha.ServerReflection/",
    "/grpc.reflection.v1.ServerReflection/",
)
_SERVER_FAULTS = frozenset({grpc.StatusCode.INTERNAL, grpc.StatusCode.UNKNOWN})


class AnyAuthenticated:
    """Policy marker: any caller with a valid token may call the method."""

    def __repr__(self) -> str:
        return "ANY_AUTHENTICATED"


ANY_AUTHENTICATED: Final = AnyAuthenticated()
Policy = frozenset[str] | AnyAuthenticated
Policies = Mapping[str, Policy]
# Told of every finished call: method, final status code, duration in seconds.
RpcObserver = Callable[[str, grpc.StatusCode, float], None]


def is_open(method: str) -> bool:
    """Health and reflection need no token."""
    return method.startswith(OPEN_PREFIXES)


@dataclass
class _CallLog:
    """What the logging interceptor learns about a call from the inner interceptors."""

    caller: str | None = None


_call_log: ContextVar[_CallLog | None] = ContextVar("nlc_call_log", default=None)


class LoggingInterceptor(WrappingInterceptor):
    """Writes one line per RPC: method, final status code, duration_ms and caller sub; and tells
    observer (e.g. the service's metrics) of the method, code and duration."""

    def __init__(self, observer: RpcObserver | None = None) -> None:
        self._observer = observer

    @asynccontextmanager
    async def around(
        self, details: grpc.HandlerCallDetails, context: grpc.aio.ServicerContext
    ) -> AsyncIterator[None]:
        record = _CallLog()
        token = _call_log.set(record)
        started = time.perf_counter()
        code = grpc.StatusCode.OK
        try:
            yield
            code = _as_code(context.code()) or grpc.StatusCode.OK
        except BaseException as exc:
            code = _failure_code(exc, context)
            raise
        finally:
            _call_log.reset(token)
            duration_s = time.perf_counter() - started
            if self._observer is not None:
                self._observer(details.method, code, duration_s)
            fields = {
                "method": details.method,
                "code": code.name,
                "duration_ms": round(duration_s * 1000, 3),
                "caller": record.caller,
            }
            level = logging.ERROR if code in _SERVER_FAULTS else logging.INFO
            log.log(level, "rpc", extra=fields)


class AuthInterceptor(WrappingInterceptor):
    """Verifies the bearer token, applies the method's policy and binds the principal."""

    def __init__(self, verifier: TokenVerifier, policies: Policies) -> None:
        self._verifier = verifier
        self._policies = dict(policies)

    def applies_to(self, method: str) -> bool:
        return not is_open(method)

    @asynccontextmanager
    async def around(
        self, details: grpc.HandlerCallDetails, context: grpc.aio.ServicerContext
    ) -> AsyncIterator[None]:
        principal = await self._authorize(details, context)
        record = _call_log.get()
        if record is not None:
            record.caller = principal.sub
        with bind_principal(principal):
            yield

    async def _authorize(
        self, details: grpc.HandlerCallDetails, context: grpc.aio.ServicerContext
    ) -> Principal:
        token = bearer_token(details.invocation_metadata or ())
        if token is None:
            await _abort(context, grpc.StatusCode.UNAUTHENTICATED, "missing bearer token")
        try:
            principal = await self._verifier.verify(token)
        except Unauthenticated as exc:
            await _abort(context, grpc.StatusCode.UNAUTHENTICATED, exc.message)
        except Exception:
            log.exception("token verification failed", extra={"method": details.method})
            await _abort(context, grpc.StatusCode.UNAUTHENTICATED, "invalid token")
        policy = self._policies.get(details.method)
        if policy is None:
            log.warning("method has no policy", extra={"method": details.method})
            await _abort(context, grpc.StatusCode.PERMISSION_DENIED, "method not allowed")
        if not isinstance(policy, AnyAuthenticated) and not principal.has_any(*policy):
            await _abort(context, grpc.StatusCode.PERMISSION_DENIED, "role not allowed")
        return principal


class ErrorInterceptor(WrappingInterceptor):
    """DomainError → its status with rich details; anything else → INTERNAL, logged."""

    @asynccontextmanager
    async def around(
        self, details: grpc.HandlerCallDetails, context: grpc.aio.ServicerContext
    ) -> AsyncIterator[None]:
        try:
            yield
        except grpc.aio.AbortError:
            raise
        except DomainError as exc:
            status = to_grpc_status(exc)
            await context.abort(status.code, status.details, status.trailing_metadata)
        except Exception:
            log.exception("unhandled error", extra={"method": details.method})
            await context.abort(grpc.StatusCode.INTERNAL, "internal error")


def bearer_token(metadata: Sequence[Any]) -> str | None:
    """The token of the single `authorization: Bearer <token>` header, if there is one."""
    values = [value for key, value in metadata if key == "authorization"]
    if len(values) != 1 or not isinstance(values[0], str):
        return None
    scheme, _, token = values[0].strip().partition(" ")
    token = token.strip()
    return token if scheme.lower() == "bearer" and token else None


async def _abort(context: grpc.aio.ServicerContext, code: grpc.StatusCode, why: str) -> NoReturn:
    await context.abort(code, why)
    raise AssertionError("context.abort returned")


def _as_code(code: object) -> grpc.StatusCode | None:
    if isinstance(code, grpc.StatusCode):
        return code
    if isinstance(code, int):
        return next((c for c in grpc.StatusCode if c.value[0] == code), grpc.StatusCode.UNKNOWN)
    return None


def _failure_code(exc: BaseException, context: grpc.aio.ServicerContext) -> grpc.StatusCode:
    if isinstance(exc, grpc.aio.AbortError):
        return _as_code(context.code()) or grpc.StatusCode.UNKNOWN
    if isinstance(exc, asyncio.CancelledError | GeneratorExit):
        return grpc.StatusCode.CANCELLED
    return grpc.StatusCode.UNKNOWN
