"""DomainError ↔ gRPC status with google.rpc error details (server side and client side)."""

from __future__ import annotations

import grpc
from google.rpc import error_details_pb2, status_pb2
from grpc_status import rpc_status

from services.common.errors import (
    AlreadyExists,
    Conflict,
    DomainError,
    FailedPrecondition,
    InvalidArgument,
    NotFound,
    PermissionDenied,
    Unauthenticated,
)

STATUS_CODES: dict[type[DomainError], grpc.StatusCode] = {
    InvalidArgument: grpc.StatusCode.INVALID_ARGUMENT,
    FailedPrecondition: grpc.StatusCode.FAILED_PRECONDITION,
    NotFound: grpc.StatusCode.NOT_FOUND,
    AlreadyExists: grpc.StatusCode.ALREADY_EXISTS,
    Conflict: grpc.StatusCode.ABORTED,
    PermissionDenied: grpc.StatusCode.PERMISSION_DENIED,
    Unauthenticated: grpc.StatusCode.UNAUTHENTICATED,
}

PRECONDITION_TYPE = "STATE"
DETAILS_KEY = "grpc-status-details-bin"
# Status message and details travel in trailers, which clients cap at 8 KiB by default.
MAX_MESSAGE_CHARS = 400
MAX_TEXT_CHARS = 120
MAX_DETAIL_VIOLATIONS = 10


def _clip(text: str, limit: int = MAX_TEXT_CHARS) -> str:
    """Text cut to limit characters, so an echoed oversized value cannot overflow the trailers."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _clipped_violations(error: DomainError) -> list[tuple[str, str]]:
    """Each violation clipped; past the cap, one last entry says how many more there were."""
    shown = [(_clip(v.field), _clip(v.description)) for v in error.violations]
    if len(shown) <= MAX_DETAIL_VIOLATIONS:
        return shown
    hidden = len(shown) - (MAX_DETAIL_VIOLATIONS - 1)
    return [*shown[: MAX_DETAIL_VIOLATIONS - 1], ("", f"and {hidden} more problems")]


def status_code_of(error: DomainError) -> grpc.StatusCode:
    """The code of the nearest mapped class; a bare DomainError is FAILED_PRECONDITION."""
    for kind in type(error).__mro__:
        if kind in STATUS_CODES:
            return STATUS_CODES[kind]
    return grpc.StatusCode.FAILED_PRECONDITION


def to_grpc_status(error: DomainError) -> grpc.Status:
    """A grpc.Status for error, with BadRequest or PreconditionFailure details."""
    code = status_code_of(error)
    status = status_pb2.Status(code=code.value[0], message=_clip(error.message, MAX_MESSAGE_CHARS))
    violations = _clipped_violations(error)
    if violations and code is grpc.StatusCode.INVALID_ARGUMENT:
        status.details.add().Pack(
            error_details_pb2.BadRequest(
                field_violations=[
                    error_details_pb2.BadRequest.FieldViolation(field=f, description=d)
                    for f, d in violations
                ]
            )
        )
    elif violations:
        status.details.add().Pack(
            error_details_pb2.PreconditionFailure(
                violations=[
                    error_details_pb2.PreconditionFailure.Violation(
                        type=PRECONDITION_TYPE, subject=f, description=d
                    )
                    for f, d in violations
                ]
            )
        )
    return rpc_status.to_status(status)


def violations_of(rpc_error: grpc.aio.AioRpcError | grpc.RpcError) -> list[tuple[str, str]]:
    """(field or subject, description) pairs carried by a failed call's google.rpc details."""
    status = _rich_status(rpc_error)
    if status is None:
        return []
    found: list[tuple[str, str]] = []
    for detail in status.details:
        bad_request = error_details_pb2.BadRequest()
        precondition = error_details_pb2.PreconditionFailure()
        if detail.Unpack(bad_request):
            found += [(v.field, v.description) for v in bad_request.field_violations]
        elif detail.Unpack(precondition):
            found += [(v.subject, v.description) for v in precondition.violations]
    return found


def _rich_status(rpc_error: grpc.RpcError) -> status_pb2.Status | None:
    trailing = getattr(rpc_error, "trailing_metadata", None)
    metadata = trailing() if callable(trailing) else None
    for key, value in metadata or ():
        if key == DETAILS_KEY and isinstance(value, bytes):
            return status_pb2.Status.FromString(value)
    return None
