"""Information-sharing agreements: parties, purposes, flows per direction, validity and review,
and whether sharing may happen under one on a given day."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from services.infoshare.domain.categories import DataCategory


class PartyRole(StrEnum):
    PROVIDER = "provider"
    RECIPIENT = "recipient"
    PROVIDER_AND_RECIPIENT = "provider_and_recipient"

    @property
    def provides(self) -> bool:
        return self is not PartyRole.RECIPIENT

    @property
    def receives(self) -> bool:
        return self is not PartyRole.PROVIDER


class AgreementState(StrEnum):
    PROPOSED = "proposed"
    ACTIVE = "active"
    SUSPENDED = "suspended"
    TERMINATED = "terminated"


class SharingStatus(StrEnum):
    OPEN = "open"
    AWAITING_SIGNATURES = "awaiting_signatures"
    NOT_YET_VALID = "not_yet_valid"
    EXPIRED = "expired"
    REVIEW_LAPSED = "review_lapsed"
    SUSPENDED = "suspended"
    TERMINATED = "terminated"


@dataclass(frozen=True)
class Party:
    organisation_id: str
    role: PartyRole
    signed_by: str = ""
    signed_at: datetime | None = None


@dataclass(frozen=True)
class DataFlow:
    provider_id: str
    recipient_id: str
    categories: frozenset[DataCategory]


@dataclass(frozen=True)
class AgreementTerms:
    title: str
    parties: tuple[Party, ...]
    purposes: tuple[str, ...]
    flows: tuple[DataFlow, ...]
    valid_from: date
    valid_until: date
    review_interval_months: int = 12

    def party(self, organisation_id: str) -> Party | None:
        return next((p for p in self.parties if p.organisation_id == organisation_id), None)

    def flow(self, provider_id: str, recipient_id: str) -> DataFlow | None:
        return next(
            (
                f
                for f in self.flows
                if f.provider_id == provider_id and f.recipient_id == recipient_id
            ),
            None,
        )


@dataclass(frozen=True)
class AgreementInForce:
    """The version of an agreement that governs sharing now (or its first, unsigned version)."""

    agreement_id: str
    version: int
    state: AgreementState
    review_date: date | None
    terms: AgreementTerms

    def sharing_status(self, today: date) -> SharingStatus:
        """Whether sharing may happen under this agreement today, and if not why."""
        if self.state is AgreementState.TERMINATED:
            return SharingStatus.TERMINATED
        if self.state is AgreementState.PROPOSED:
            return SharingStatus.AWAITING_SIGNATURES
        if self.state is AgreementState.SUSPENDED:
            return SharingStatus.SUSPENDED
        if today < self.terms.valid_from:
            return SharingStatus.NOT_YET_VALID
        if today > self.terms.valid_until:
            return SharingStatus.EXPIRED
        if self.review_date is not None and today > self.review_date:
            return SharingStatus.REVIEW_LAPSED
        return SharingStatus.OPEN
