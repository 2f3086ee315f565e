"""Stubs of the four services, called with the user's access token; failures in plain words."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import grpc
import streamlit as st

from nlc.grants.v1.grants_pb2_grpc import GrantsServiceStub
from nlc.infoshare.v1.infoshare_pb2_grpc import InfoshareServiceStub
from nlc.registry.v1.registry_pb2_grpc import RegistryServiceStub
from nlc.reporting.v1.reporting_pb2_grpc import ReportingServiceStub
from services.common.config import load_settings
from services.common.rich_status import violations_of
from services.common.tls import channel_credentials, sync_channel
from ui.session import EXPIRED, current_user, end_session

TIMEOUT_S = 15.0
# The most one List call asks for.
PAGE_SIZE = 500
PLAIN_WORDS = {
    grpc.StatusCode.UNAUTHENTICATED: EXPIRED,
    grpc.StatusCode.PERMISSION_DENIED: "You may not do this.",
    grpc.StatusCode.NOT_FOUND: "That could not be found; it may have been removed.",
    grpc.StatusCode.INVALID_ARGUMENT: "Some values need fixing.",
    grpc.StatusCode.ALREADY_EXISTS: "That already exists.",
    grpc.StatusCode.ABORTED: "Someone changed this meanwhile; reload and try again.",
    grpc.StatusCode.UNAVAILABLE: "The service is not reachable right now; try again shortly.",
    grpc.StatusCode.DEADLINE_EXCEEDED: "The service took too long to answer; try again.",
}


@dataclass(frozen=True)
class Services:
    """One stub per service, sharing this process's channels."""

    registry: RegistryServiceStub
    grants: GrantsServiceStub
    reporting: ReportingServiceStub
    infoshare: InfoshareServiceStub


@dataclass(eq=False)
class UiError(Exception):
    """A failed call in plain words, with the fields it concerns (field path -> problem)."""

    message: str
    field_violations: dict[str, str] = field(default_factory=dict)
    code: str = "UNKNOWN"

    def __str__(self) -> str:
        return self.message


@st.cache_resource
def services() -> Services:
    """Stubs on channels opened once per process, at the ports NLC_* settings name."""
    settings = load_settings()
    credentials = channel_credentials(settings)

    def channel(service: str) -> grpc.Channel:
        return sync_channel(settings.service_address(service), credentials)

    return Services(
        registry=RegistryServiceStub(channel("registry")),
        grants=GrantsServiceStub(channel("grants")),
        reporting=ReportingServiceStub(channel("reporting")),
        infoshare=InfoshareServiceStub(channel("infoshare")),
    )


def call(stub_method: Callable[..., Any], request: Any) -> Any:
    """stub_method(request) as the logged-in user; UiError when the service refuses or fails."""
    user = current_user()
    metadata = (("authorization", f"Bearer {user.access_token}"),) if user else ()
    try:
        return stub_method(request, metadata=metadata, timeout=TIMEOUT_S)
    except grpc.RpcError as error:
        failure = ui_error(error)
    if failure.code == grpc.StatusCode.UNAUTHENTICATED.name:
        end_session(failure.message)
    raise failure


def ui_error(error: grpc.RpcError) -> UiError:
    """The UiError for a failed call: its code in plain words plus the details the service sent."""
    code = error.code() if callable(getattr(error, "code", None)) else grpc.StatusCode.UNKNOWN
    violations = violations_of(error)
    details = error.details() if callable(getattr(error, "details", None)) else ""
    message = PLAIN_WORDS.get(code, "Something went wrong; try again.")
    if code is grpc.StatusCode.FAILED_PRECONDITION:
        message = details or "This cannot be done in the current state."
    elif code in (grpc.StatusCode.PERMISSION_DENIED, grpc.StatusCode.NOT_FOUND) and details:
        message = f"{message} ({details})"
    return UiError(message=message, field_violations=dict(violations), code=code.name)


def show_error(error: UiError, at_fields: Iterable[str] = ()) -> None:
    """Show error with the fields it concerns, but those under at_fields (shown at the fields)."""
    prefixes = tuple(at_fields)
    problems = [(n, t) for n, t in error.field_violations.items() if not under(n, prefixes)]
    lines = [error.message, *(f"- **{name or 'request'}**: {text}" for name, text in problems)]
    st.error("\n".join(lines), icon=":material/error:")


def under(field_path: str, prefixes: Iterable[str]) -> bool:
    """Whether field_path is one of prefixes or inside one: 'a.b[2].c' is under 'a.b'."""
    return any(field_path == p or field_path.startswith((f"{p}.", f"{p}[")) for p in prefixes)
