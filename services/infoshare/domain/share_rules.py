"""Rules of a share: what a send or a correction must hold, consent, and the share's life
(active → revoked → erased). Messages name fields, never the values sent."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from services.common.errors import FailedPrecondition, Violation, ViolationCollector, quoted
from services.common.text import MAX_REASON, has_control_characters, text_problem
from services.infoshare.domain.purposes import Purpose
from services.infoshare.domain.record_types import RecordType
from services.infoshare.domain.shares import ShareState

MAX_SUBJECT_REFERENCE = 200
MAX_VALUE = 10_000
MAX_CONSENT_REFERENCE = 200
MAX_RECIPIENTS = 50


@dataclass(frozen=True)
class Consent:
    obtained: bool = False
    reference: str = ""


def _check_values(
    errors: ViolationCollector, record_type: RecordType, fields: Mapping[str, str]
) -> bool:
    """Violations for names the record type lacks and for bad values of the others (naming
    the field, never quoting the value); True when every name is known."""
    known = True
    for name, value in sorted(fields.items()):
        if record_type.field(name) is None:
            errors.add("fields", f"{quoted(name)} is not a field of {record_type.code}")
            known = False
        elif problem := text_problem(value, MAX_VALUE):
            errors.add(f"fields.{name}", problem)
    return known


def _check_required(
    errors: ViolationCollector, record_type: RecordType, fields: Mapping[str, str]
) -> None:
    for f in record_type.fields:
        if f.required and not fields.get(f.name, "").strip():
            errors.add(f"fields.{f.name}", "is required and must not be empty")


def _check_subject(errors: ViolationCollector, subject_reference: str) -> None:
    if not subject_reference.strip():
        errors.add("subject_reference", "is required")
    elif len(subject_reference) > MAX_SUBJECT_REFERENCE:
        errors.add("subject_reference", f"must be at most {MAX_SUBJECT_REFERENCE} characters")
    elif has_control_characters(subject_reference):
        errors.add("subject_reference", "must not contain control characters")


def subject_violations(subject_reference: str) -> list[Violation]:
    """Shape of a subject reference (never quoting it)."""
    errors = ViolationCollector()
    _check_subject(errors, subject_reference)
    return errors.violations


def _check_recipients(
    errors: ViolationCollector, sender_id: str, recipients: Sequence[str | None]
) -> None:
    if not recipients:
        errors.add("recipients", "name at least one organisation to share with")
    if len(recipients) > MAX_RECIPIENTS:
        errors.add("recipients", f"must name at most {MAX_RECIPIENTS} organisations")
    seen: set[str] = set()
    for i, recipient in enumerate(recipients):
        if recipient is None:
            continue
        if recipient == sender_id:
            errors.add(f"recipients[{i}]", "is the sending organisation itself")
        elif recipient in seen:
            errors.add(f"recipients[{i}]", "names an organisation already listed")
        seen.add(recipient)


def send_violations(
    *,
    sender_id: str,
    purpose: Purpose | None,
    record_type: RecordType | None,
    recipients: Sequence[str | None],
    subject_reference: str,
    fields: Mapping[str, str],
    consent: Consent,
) -> list[Violation]:
    """Everything wrong with a send request (purpose and record type None when unknown)."""
    errors = ViolationCollector()
    if purpose is None:
        errors.add("purpose", "is not a known purpose")
    if record_type is None:
        errors.add("record_type", "is not a known record type")
    _check_recipients(errors, sender_id, recipients)
    _check_subject(errors, subject_reference)
    if not fields:
        errors.add("fields", "give at least one field")
    if record_type is not None and _check_values(errors, record_type, fields):
        _check_required(errors, record_type, fields)
    problem = text_problem(consent.reference, MAX_CONSENT_REFERENCE)
    if problem:
        errors.add("consent.reference", problem)
    return errors.violations


def consent_problem(purpose: Purpose, consent: Consent) -> str | None:
    """Why the purpose's consent condition is not met, or None."""
    if not purpose.consent_required:
        return None
    if not consent.obtained or not consent.reference.strip():
        return "consent required: the purpose needs the subject's consent and where it is recorded"
    return None


def reason_violations(reason: str, field: str = "reason") -> list[Violation]:
    """A required free-text reason: present, short, no control characters."""
    if not reason.strip():
        return [Violation(field, "is required")]
    problem = text_problem(reason, MAX_REASON)
    return [Violation(field, problem)] if problem else []


def corrected_fields(
    record_type: RecordType, current: Mapping[str, str], changes: Mapping[str, str]
) -> tuple[dict[str, str], list[Violation]]:
    """The content after a correction (fields not named keep their value) and its violations:
    a correction changes values, never the set of fields."""
    errors = ViolationCollector()
    if not changes:
        errors.add("fields", "name at least one field to correct")
    added = sorted(name for name in changes if name not in current)
    for name in added:
        errors.add(f"fields[{name}]", "was not in the share; send a new share to add a field")
    kept = {name: value for name, value in changes.items() if name in current}
    merged = {**current, **kept}
    if _check_values(errors, record_type, kept):
        _check_required(errors, record_type, merged)
    return merged, errors.violations


def check_active(state: ShareState, doing: str) -> None:
    """FailedPrecondition unless the share is active."""
    if state is ShareState.REVOKED:
        raise FailedPrecondition(f"the share was revoked; it cannot be {doing}")
    if state is ShareState.ERASED:
        raise FailedPrecondition(f"the share's content was erased; it cannot be {doing}")


def unreadable_reason(state: ShareState, expires_at: datetime, now: datetime) -> str | None:
    """Why a share's content can no longer be read ("revoked", "erased", "retention_expired")."""
    if state is ShareState.REVOKED:
        return "revoked"
    if state is ShareState.ERASED:
        return "erased"
    if expires_at <= now:
        return "retention_expired"
    return None


UNREADABLE = {
    "revoked": "the share was revoked by its sender",
    "erased": "the share's content was erased",
    "retention_expired": "the share is past its retention period",
}


def revoked(state: ShareState) -> ShareState:
    """Active → revoked."""
    check_active(state, "revoked")
    return ShareState.REVOKED


def erased(state: ShareState) -> ShareState:
    """Active or revoked → erased."""
    if state is ShareState.ERASED:
        raise FailedPrecondition("the share's content was already erased")
    return ShareState.ERASED


def acknowledge_violations(requested: int) -> list[Violation]:
    """Shape of an acknowledged content version: versions count from 1."""
    return [] if requested >= 1 else [Violation("content_version", "must be at least 1")]


def acknowledged(content_version: int, already: int, requested: int) -> int:
    """The acknowledged content version after acknowledging requested (a valid version)."""
    if requested > content_version:
        raise FailedPrecondition(
            f"content_version must be at most the share's current {content_version}",
            [Violation("content_version", f"must be between 1 and {content_version}")],
        )
    if requested < already:
        raise FailedPrecondition(
            f"content version {already} was already acknowledged",
            [Violation("content_version", f"must not be below {already}")],
        )
    return requested
