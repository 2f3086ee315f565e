"""Organisation rules: details, registration numbers, verification workflow and visibility."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from urllib.parse import urlsplit

from services.common.auth import Principal, Role
from services.common.errors import FailedPrecondition, ViolationCollector
from services.common.text import has_control_characters
from services.common.vocabulary import OrganisationKind, VerificationState

MAX_DISPLAY_NAME = 200
MAX_REASON = 2000
MAX_EMAIL = 254
MAX_URL = 2048
MAX_SCHEME = 64
MAX_NUMBER = 128
MAX_REGISTRATION_NUMBERS = 20
EMAIL_PATTERN = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s.]+$")
PRIVILEGED_READERS = (Role.NATIONAL_ADMIN, Role.PLATFORM_ADMIN, Role.AUDITOR)


class Sector(StrEnum):
    LOCAL_GOVERNMENT = "local_government"
    NATIONAL_GOVERNMENT = "national_government"
    POLICE = "police"
    EDUCATION = "education"
    HEALTH = "health"
    SOCIAL_SERVICES = "social_services"
    YOUTH = "youth"
    CIVIL_SOCIETY = "civil_society"
    FAITH_COMMUNITY = "faith_community"
    PRIVATE_SECTOR = "private_sector"
    RESEARCH = "research"
    MEDIA = "media"


HIDDEN_STATES = frozenset({VerificationState.PENDING, VerificationState.REJECTED})


@dataclass(frozen=True)
class RegistrationNumber:
    """A number in a public register, e.g. scheme "charity-commission"."""

    scheme: str
    value: str


@dataclass(frozen=True)
class Details:
    """The fields of an organisation that its members and admins may edit."""

    display_name: str
    kind: OrganisationKind | None
    sector: Sector | None
    jurisdiction_id: str | None
    registration_numbers: tuple[RegistrationNumber, ...] = ()
    website: str = ""
    contact_email: str = ""


@dataclass
class Organisation:
    """An organisation and where it stands in the verification workflow."""

    id: str
    details: Details
    verification_state: VerificationState = VerificationState.PENDING
    verification_reason: str = ""
    verification_time: datetime | None = None
    version: int = 0


@dataclass(frozen=True)
class Transition:
    """A verification decision: where it starts from, where it leads, whether it needs a reason."""

    action: str
    event: str
    sources: frozenset[VerificationState]
    target: VerificationState
    reason_required: bool = False


VERIFY = Transition(
    "verify",
    "verified",
    frozenset({VerificationState.PENDING, VerificationState.REJECTED}),
    VerificationState.VERIFIED,
)
REJECT = Transition(
    "reject",
    "rejected",
    frozenset({VerificationState.PENDING}),
    VerificationState.REJECTED,
    reason_required=True,
)
SUSPEND = Transition(
    "suspend",
    "suspended",
    frozenset({VerificationState.VERIFIED}),
    VerificationState.SUSPENDED,
    reason_required=True,
)
REINSTATE = Transition(
    "reinstate",
    "reinstated",
    frozenset({VerificationState.SUSPENDED}),
    VerificationState.VERIFIED,
)


def check_details(
    details: Details, prefix: str = "organisation", kind_required: bool = True
) -> None:
    """Raise InvalidArgument with one violation per problem in details."""
    errors = ViolationCollector()
    if not details.display_name.strip():
        errors.add(f"{prefix}.display_name", "is required")
    elif len(details.display_name) > MAX_DISPLAY_NAME:
        errors.add(f"{prefix}.display_name", f"must be at most {MAX_DISPLAY_NAME} characters")
    elif has_control_characters(details.display_name):
        errors.add(f"{prefix}.display_name", "must not contain control characters")
    if kind_required and details.kind is None:
        errors.add(f"{prefix}.kind", "is required")
    if details.kind is OrganisationKind.LOCAL_GOVERNMENT and not details.jurisdiction_id:
        errors.add(f"{prefix}.jurisdiction", "is required for a local government")
    _check_numbers(errors, details.registration_numbers, f"{prefix}.registration_numbers")
    if details.website and not is_web_url(details.website):
        errors.add(f"{prefix}.website", "must be an http(s) URL such as https://example.org")
    if details.contact_email and not is_email(details.contact_email):
        errors.add(f"{prefix}.contact_email", "must be an email address such as info@example.org")
    errors.raise_invalid("invalid organisation")


def _check_numbers(
    errors: ViolationCollector, numbers: tuple[RegistrationNumber, ...], path: str
) -> None:
    if len(numbers) > MAX_REGISTRATION_NUMBERS:
        errors.add(path, f"at most {MAX_REGISTRATION_NUMBERS} registration numbers")
    seen: set[tuple[str, str]] = set()
    for i, number in enumerate(numbers):
        if not number.scheme.strip():
            errors.add(f"{path}[{i}].scheme", "is required")
        elif len(number.scheme) > MAX_SCHEME:
            errors.add(f"{path}[{i}].scheme", f"must be at most {MAX_SCHEME} characters")
        elif has_control_characters(number.scheme):
            errors.add(f"{path}[{i}].scheme", "must not contain control characters")
        if not number.value.strip():
            errors.add(f"{path}[{i}].value", "is required")
        elif len(number.value) > MAX_NUMBER:
            errors.add(f"{path}[{i}].value", f"must be at most {MAX_NUMBER} characters")
        elif has_control_characters(number.value):
            errors.add(f"{path}[{i}].value", "must not contain control characters")
        key = (number.scheme.strip().lower(), number.value.strip())
        if key in seen:
            errors.add(f"{path}[{i}]", f"{number.scheme} {number.value} is listed twice")
        seen.add(key)


def is_email(value: str) -> bool:
    return (
        len(value) <= MAX_EMAIL
        and EMAIL_PATTERN.match(value) is not None
        and not has_control_characters(value)
    )


def is_web_url(value: str) -> bool:
    if len(value) > MAX_URL or any(c.isspace() for c in value) or has_control_characters(value):
        return False
    try:
        parts = urlsplit(value)
        host = parts.hostname
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and bool(host)


def change_verification(
    org: Organisation, transition: Transition, reason: str, now: datetime
) -> VerificationState:
    """Apply a verification decision; returns the state before it."""
    errors = ViolationCollector()
    if transition.reason_required and not reason.strip():
        errors.add("reason", f"is required to {transition.action} an organisation")
    if len(reason) > MAX_REASON:
        errors.add("reason", f"must be at most {MAX_REASON} characters")
    elif has_control_characters(reason, multiline=True):
        errors.add("reason", "must not contain control characters")
    errors.raise_invalid(f"cannot {transition.action} organisation")
    previous = org.verification_state
    if previous not in transition.sources:
        allowed = " or ".join(sorted(s.value for s in transition.sources))
        raise FailedPrecondition(
            f"organisation is {previous.value}; only a {allowed} organisation "
            f"can be {transition.event}"
        )
    org.verification_state = transition.target
    org.verification_reason = reason.strip()
    org.verification_time = now
    return previous


def can_see(actor: Principal, org_id: str, state: VerificationState) -> bool:
    """Unverified organisations are visible only to admins, auditors and their own members."""
    if state not in HIDDEN_STATES:
        return True
    return actor.has_any(*PRIVILEGED_READERS) or actor.org_id == org_id


def can_edit(actor: Principal, org_id: str) -> bool:
    """National and platform admins edit any organisation; members edit their own."""
    return actor.has_any(Role.NATIONAL_ADMIN, Role.PLATFORM_ADMIN) or actor.org_id == org_id
