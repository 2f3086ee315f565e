"""A share as the broker keeps it: metadata and one delivery per recipient, never content."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from services.infoshare.domain.policy import DenialReason, Outcome, RecipientDecision


class ShareState(StrEnum):
    ACTIVE = "active"
    REVOKED = "revoked"
    # Content crypto-shredded; the record of the share remains.
    ERASED = "erased"


@dataclass(frozen=True)
class Delivery:
    """What one recipient was given (or refused), under which agreement version."""

    recipient_id: str
    outcome: Outcome
    denial_reason: DenialReason | None
    explanation: str
    allowed_fields: tuple[str, ...]
    dropped_fields: tuple[str, ...]
    agreement_id: str | None
    agreement_version: int | None
    pseudonym: str
    acknowledged_version: int = 0
    acknowledged_at: datetime | None = None
    acknowledged_by: str = ""

    @property
    def receives(self) -> bool:
        return self.outcome is not Outcome.DENIED

    @classmethod
    def of(cls, decision: RecipientDecision, pseudonym: str) -> Delivery:
        """The delivery recording decision, with the subject's pseudonym ("" when denied)."""
        return cls(
            recipient_id=decision.recipient_id,
            outcome=decision.outcome,
            denial_reason=decision.denial_reason,
            explanation=decision.explanation,
            allowed_fields=decision.allowed_fields,
            dropped_fields=decision.dropped_fields,
            agreement_id=decision.agreement_id,
            agreement_version=decision.version,
            pseudonym=pseudonym,
        )


@dataclass(frozen=True)
class Share:
    id: str
    sender_org_id: str
    sender_sub: str
    purpose_code: str
    record_type: str
    state: ShareState
    content_version: int
    subject_index: str
    sent_at: datetime
    expires_at: datetime
    state_reason: str
    updated_at: datetime
    deliveries: tuple[Delivery, ...] = ()

    def delivery(self, organisation_id: str | None) -> Delivery | None:
        """The delivery to organisation_id, or None."""
        return next((d for d in self.deliveries if d.recipient_id == organisation_id), None)

    def received_by(self, organisation_id: str | None) -> Delivery | None:
        """The delivery to organisation_id if it received anything, else None."""
        found = self.delivery(organisation_id)
        return found if found is not None and found.receives else None

    @property
    def receiving(self) -> tuple[Delivery, ...]:
        return tuple(d for d in self.deliveries if d.receives)


@dataclass(frozen=True)
class ShareContent:
    """What is sealed for a share: the sender's subject reference, the fields sent and where
    the subject's consent is recorded ("" when none was relied on)."""

    subject_reference: str
    fields: dict[str, str]
    consent_reference: str = ""

    def only(self, names: tuple[str, ...]) -> dict[str, str]:
        """The fields among names (those present)."""
        return {n: self.fields[n] for n in names if n in self.fields}
