"""The broker's decision for one recipient of a share: which agreement covers it, which fields
may go, and if nothing may go, the most specific reason why."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from services.infoshare.domain.agreements import AgreementInForce, SharingStatus
from services.infoshare.domain.categories import DataCategory
from services.infoshare.domain.purposes import Purpose
from services.infoshare.domain.record_types import RecordType


class Outcome(StrEnum):
    DELIVERED = "delivered"
    MINIMISED = "minimised"
    DENIED = "denied"


class DenialReason(StrEnum):
    NOT_A_PARTY = "not_a_party"
    PURPOSE_NOT_COVERED = "purpose_not_covered"
    DIRECTION_NOT_COVERED = "direction_not_covered"
    AWAITING_SIGNATURES = "awaiting_signatures"
    NOT_YET_VALID = "not_yet_valid"
    EXPIRED = "expired"
    REVIEW_LAPSED = "review_lapsed"
    SUSPENDED = "suspended"
    TERMINATED = "terminated"
    NO_ALLOWED_FIELDS = "no_allowed_fields"
    ALL_OR_NOTHING = "all_or_nothing"


EXPLANATIONS = {
    DenialReason.NOT_A_PARTY: "no agreement names both the sender and this recipient",
    DenialReason.PURPOSE_NOT_COVERED: "no agreement between the two covers this purpose",
    DenialReason.DIRECTION_NOT_COVERED: (
        "the agreement has no flow of information from the sender to this recipient"
    ),
    DenialReason.AWAITING_SIGNATURES: "the agreement is still waiting for signatures",
    DenialReason.NOT_YET_VALID: "the agreement is not valid yet",
    DenialReason.EXPIRED: "the agreement has expired",
    DenialReason.REVIEW_LAPSED: "the agreement's periodic review is overdue",
    DenialReason.SUSPENDED: "the agreement is suspended",
    DenialReason.TERMINATED: "the agreement is terminated",
    DenialReason.NO_ALLOWED_FIELDS: "the agreement allows none of the fields sent",
    DenialReason.ALL_OR_NOTHING: (
        "all or nothing was asked and the agreement does not allow every field"
    ),
}


@dataclass(frozen=True)
class RecipientDecision:
    """What one recipient gets, and under which agreement version (None when none applies)."""

    recipient_id: str
    outcome: Outcome
    allowed_fields: tuple[str, ...] = ()
    dropped_fields: tuple[str, ...] = ()
    denial_reason: DenialReason | None = None
    explanation: str = ""
    agreement_id: str | None = None
    version: int | None = None

    @property
    def receives(self) -> bool:
        return self.outcome is not Outcome.DENIED


@dataclass(frozen=True)
class ShareIntent:
    """What the sender asks for, as far as the decision is concerned."""

    sender_id: str
    purpose: Purpose
    record_type: RecordType
    field_names: Sequence[str]
    all_or_nothing: bool = False


def allowed_categories(
    agreement: AgreementInForce, intent: ShareIntent, recipient_id: str
) -> frozenset[DataCategory] | None:
    """Categories flowing sender → recipient under agreement for the purpose; None when the
    agreement has no such direction."""
    terms = agreement.terms
    sender, recipient = terms.party(intent.sender_id), terms.party(recipient_id)
    flow = terms.flow(intent.sender_id, recipient_id)
    if sender is None or recipient is None or flow is None:
        return None
    if not (sender.role.provides and recipient.role.receives):
        return None
    return frozenset(flow.categories) & intent.purpose.categories


# How close an agreement comes to covering a share; COVERS is the only level that can deliver.
NO_PARTY, PARTIES, PURPOSE, DIRECTION, COVERS = range(5)


def _rank(
    agreement: AgreementInForce, intent: ShareIntent, recipient_id: str, today: date
) -> tuple[int, DenialReason | None]:
    """The level agreement reaches for this share and, below COVERS, the reason it stops."""
    terms = agreement.terms
    if terms.party(intent.sender_id) is None or terms.party(recipient_id) is None:
        return NO_PARTY, DenialReason.NOT_A_PARTY
    if intent.purpose.code not in terms.purposes:
        return PARTIES, DenialReason.PURPOSE_NOT_COVERED
    if allowed_categories(agreement, intent, recipient_id) is None:
        return PURPOSE, DenialReason.DIRECTION_NOT_COVERED
    status = agreement.sharing_status(today)
    if status is not SharingStatus.OPEN:
        return DIRECTION, DenialReason(status.value)
    return COVERS, None


def _recency(agreement: AgreementInForce) -> tuple[date, int, str]:
    return agreement.terms.valid_from, agreement.version, agreement.agreement_id


def split_fields(
    record_type: RecordType, field_names: Iterable[str], categories: frozenset[DataCategory]
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The field names whose category is allowed, and the others, in the record type's order."""
    order = {f.name: i for i, f in enumerate(record_type.fields)}
    names = sorted(set(field_names), key=lambda n: (order.get(n, len(order)), n))
    allowed: list[str] = []
    dropped: list[str] = []
    for name in names:
        field = record_type.field(name)
        (allowed if field is not None and field.category in categories else dropped).append(name)
    return tuple(allowed), tuple(dropped)


def _explain(reason: DenialReason, agreement: AgreementInForce | None) -> str:
    text = EXPLANATIONS[reason]
    return f"{text} ('{agreement.terms.title}')" if agreement is not None else text


def _denied(
    recipient_id: str,
    reason: DenialReason,
    agreement: AgreementInForce | None,
    dropped: tuple[str, ...] = (),
) -> RecipientDecision:
    return RecipientDecision(
        recipient_id,
        Outcome.DENIED,
        dropped_fields=dropped,
        denial_reason=reason,
        explanation=_explain(reason, agreement),
        agreement_id=agreement.agreement_id if agreement else None,
        version=agreement.version if agreement else None,
    )


def _under(
    intent: ShareIntent, recipient_id: str, agreement: AgreementInForce
) -> RecipientDecision:
    """The decision under a covering agreement."""
    categories = allowed_categories(agreement, intent, recipient_id) or frozenset()
    allowed, dropped = split_fields(intent.record_type, intent.field_names, categories)
    if not allowed:
        return _denied(recipient_id, DenialReason.NO_ALLOWED_FIELDS, agreement, dropped)
    if dropped and intent.all_or_nothing:
        return _denied(recipient_id, DenialReason.ALL_OR_NOTHING, agreement, dropped)
    title = agreement.terms.title
    if dropped:
        why = f"delivered under '{title}' without fields it does not allow: {', '.join(dropped)}"
    else:
        why = f"delivered under '{title}'"
    return RecipientDecision(
        recipient_id,
        Outcome.MINIMISED if dropped else Outcome.DELIVERED,
        allowed_fields=allowed,
        dropped_fields=dropped,
        explanation=why,
        agreement_id=agreement.agreement_id,
        version=agreement.version,
    )


def decide(
    intent: ShareIntent,
    recipient_id: str,
    agreements: Iterable[AgreementInForce],
    today: date,
) -> RecipientDecision:
    """The decision for recipient_id: under the covering agreement allowing most fields (tie:
    the latest), else a denial with the reason of the agreement that came closest."""
    ranked = [(_rank(a, intent, recipient_id, today), a) for a in agreements]
    covering = [a for (level, _), a in ranked if level == COVERS]
    if covering:

        def allowed_count(a: AgreementInForce) -> int:
            categories = allowed_categories(a, intent, recipient_id) or frozenset()
            return len(split_fields(intent.record_type, intent.field_names, categories)[0])

        best = max(covering, key=lambda a: (allowed_count(a), _recency(a)))
        return _under(intent, recipient_id, best)
    if not ranked:
        return _denied(recipient_id, DenialReason.NOT_A_PARTY, None)
    (level, reason), closest = max(ranked, key=lambda r: (r[0][0], _recency(r[1])))
    assert reason is not None
    return _denied(recipient_id, reason, closest if level >= PURPOSE else None)
