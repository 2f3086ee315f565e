"""Domain errors: raised by domain and handlers, turned into gRPC status codes at the edge."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypeVar

T = TypeVar("T")

MAX_QUOTED = 60


@dataclass(frozen=True)
class Violation:
    """One thing wrong with a request: the field (dotted path) or rule, and why, in plain words."""

    field: str
    description: str


class DomainError(Exception):
    """Base of every error a caller caused; never mapped to UNKNOWN or INTERNAL."""

    def __init__(self, message: str, violations: list[Violation] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.violations = list(violations or [])


class InvalidArgument(DomainError):
    """Bad input: INVALID_ARGUMENT with BadRequest field violations."""


class FailedPrecondition(DomainError):
    """The resource is in the wrong state for this request: FAILED_PRECONDITION."""


class NotFound(DomainError):
    """No such resource, or the caller may not know it exists: NOT_FOUND."""


class AlreadyExists(DomainError):
    """A unique code or id is taken: ALREADY_EXISTS."""


class Conflict(DomainError):
    """A lost optimistic-lock race (stale etag / version): ABORTED."""


class PermissionDenied(DomainError):
    """The caller's roles or organisation do not allow this: PERMISSION_DENIED."""


class Unauthenticated(DomainError):
    """No valid token: UNAUTHENTICATED."""


def quoted(value: object, limit: int = MAX_QUOTED) -> str:
    """A caller's value in single quotes for an error message, cut to limit characters."""
    text = str(value)
    return f"'{text}'" if len(text) <= limit else f"'{text[: limit - 1]}…'"


def found(item: T | None, what: str) -> T:
    """item, or NotFound "<what> not found" when it is None."""
    if item is None:
        raise NotFound(f"{what} not found")
    return item


def invalid(field: str, description: str) -> InvalidArgument:
    """Shorthand for a single-field INVALID_ARGUMENT."""
    return InvalidArgument(f"{field}: {description}", [Violation(field, description)])


class ViolationCollector:
    """Gathers every violation of a request, then raises them together."""

    def __init__(self) -> None:
        self.violations: list[Violation] = []

    def add(self, field: str, description: str) -> None:
        self.violations.append(Violation(field, description))

    def require(self, condition: bool, field: str, description: str) -> None:
        if not condition:
            self.add(field, description)

    def raise_invalid(self, message: str = "invalid request") -> None:
        invalid_if(self.violations, message)

    def raise_precondition(self, message: str = "request cannot be done now") -> None:
        if self.violations:
            raise FailedPrecondition(f"{message}: {_summary(self.violations)}", self.violations)


def _summary(violations: list[Violation]) -> str:
    return "; ".join(f"{v.field}: {v.description}" for v in violations)


def invalid_if(violations: list[Violation], message: str = "invalid request") -> None:
    """InvalidArgument listing violations, if there are any."""
    if violations:
        raise InvalidArgument(f"{message}: {_summary(violations)}", violations)
