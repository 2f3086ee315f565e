"""The life of an agreement: proposed → active once every party's data-protection officer has
signed; reviewed periodically; suspended (a review lifts it) or terminated for good. Amending
proposes version n+1 while version n stays in force until every party of n+1 has signed it."""

from __future__ import annotations

import calendar
from dataclasses import dataclass, replace
from datetime import date, datetime
from enum import StrEnum

from services.common.errors import FailedPrecondition, invalid
from services.common.text import check_reason
from services.infoshare.domain.agreements import (
    AgreementInForce,
    AgreementState,
    AgreementTerms,
)


class VersionStatus(StrEnum):
    PROPOSED = "proposed"
    IN_FORCE = "in_force"
    SUPERSEDED = "superseded"


@dataclass(frozen=True)
class AgreementVersion:
    """One version's terms (its parties carry their signatures) and where it stands."""

    number: int
    terms: AgreementTerms
    status: VersionStatus
    created_at: datetime
    created_by: str
    activated_at: datetime | None = None

    def unsigned(self) -> list[str]:
        """Organisations of the parties that have not signed this version yet."""
        return [p.organisation_id for p in self.terms.parties if not p.signed_by]


@dataclass(frozen=True)
class Agreement:
    """An agreement's state; `row_version` is the stored row's version (the etag)."""

    id: str
    state: AgreementState
    version_in_force: int
    latest_version: int
    review_date: date | None
    last_reviewed_by: str = ""
    last_reviewed_at: datetime | None = None
    state_reason: str = ""
    review_due_announced_for: date | None = None
    row_version: int = 0

    @property
    def governing_version(self) -> int:
        """The version whose terms govern sharing: in force, else the newest proposal."""
        return self.version_in_force or self.latest_version

    def in_force(self, terms: AgreementTerms) -> AgreementInForce:
        """The governing version's view for sharing decisions (terms of that version)."""
        return AgreementInForce(
            self.id, self.governing_version, self.state, self.review_date, terms
        )


@dataclass(frozen=True)
class Step:
    """The outcome of a workflow step: the agreement, versions changed or created, and the
    version that came into force by it (if one did)."""

    agreement: Agreement
    changed: tuple[AgreementVersion, ...] = ()
    created: AgreementVersion | None = None
    activated: AgreementVersion | None = None


def add_months(day: date, months: int) -> date:
    """day moved by months calendar months (the 31st becomes the month's last day)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def default_review_date(terms: AgreementTerms, today: date) -> date:
    """today + the review interval, but no later than the last day of validity."""
    return min(add_months(today, terms.review_interval_months), terms.valid_until)


def _state_name(state: AgreementState) -> str:
    return str(state).replace("_", " ")


def _require(agreement: Agreement, allowed: tuple[AgreementState, ...], doing: str) -> None:
    if agreement.state not in allowed:
        names = " or ".join(_state_name(s) for s in allowed)
        now = _state_name(agreement.state)
        raise FailedPrecondition(f"only a {names} agreement can be {doing}; this one is {now}")


def propose(
    agreement_id: str, terms: AgreementTerms, by: str, at: datetime
) -> tuple[Agreement, AgreementVersion]:
    """A proposed agreement and its first version, nobody having signed yet."""
    agreement = Agreement(agreement_id, AgreementState.PROPOSED, 0, 1, None)
    return agreement, AgreementVersion(1, _unsigned(terms), VersionStatus.PROPOSED, at, by)


def _unsigned(terms: AgreementTerms) -> AgreementTerms:
    parties = tuple(replace(p, signed_by="", signed_at=None) for p in terms.parties)
    return replace(terms, parties=parties)


def sign(
    agreement: Agreement,
    latest: AgreementVersion,
    in_force: AgreementVersion | None,
    *,
    organisation_id: str,
    version: int,
    by: str,
    at: datetime,
) -> Step:
    """organisation_id's signature on the latest version; once every party has signed, that
    version comes into force (the one before it is superseded) and the agreement is active."""
    _require(
        agreement,
        (AgreementState.PROPOSED, AgreementState.ACTIVE, AgreementState.SUSPENDED),
        "signed",
    )
    if latest.status is not VersionStatus.PROPOSED:
        raise FailedPrecondition("no version of this agreement is waiting for signatures")
    if version != latest.number:
        raise FailedPrecondition(
            f"version {version} is not the latest version ({latest.number}); read it and sign that"
        )
    party = latest.terms.party(organisation_id)
    if party is None:
        raise FailedPrecondition("your organisation is not a party to the version being signed")
    if party.signed_by:
        raise FailedPrecondition("your organisation has already signed this version")
    parties = tuple(
        replace(p, signed_by=by, signed_at=at) if p.organisation_id == organisation_id else p
        for p in latest.terms.parties
    )
    signed = replace(latest, terms=replace(latest.terms, parties=parties))
    if signed.unsigned():
        return Step(agreement, (signed,))
    return _activate(agreement, signed, in_force, at)


def _activate(
    agreement: Agreement, signed: AgreementVersion, in_force: AgreementVersion | None, at: datetime
) -> Step:
    """signed comes into force and the version before it is superseded. Only the first version
    in force sets the review date; an amendment keeps it (a lapsed review stays lapsed), since
    only a review moves it."""
    active = replace(signed, status=VersionStatus.IN_FORCE, activated_at=at)
    changed = [active]
    review_date = agreement.review_date
    if in_force is None:
        review_date = default_review_date(active.terms, at.date())
    else:
        changed.append(replace(in_force, status=VersionStatus.SUPERSEDED))
    state = AgreementState.ACTIVE if agreement.state is AgreementState.PROPOSED else None
    moved = replace(
        agreement,
        state=state or agreement.state,
        version_in_force=active.number,
        review_date=review_date,
    )
    return Step(moved, tuple(changed), activated=active)


def amend(
    agreement: Agreement, latest: AgreementVersion, terms: AgreementTerms, by: str, at: datetime
) -> Step:
    """Propose terms as version n+1; the version in force stays until all parties sign it, and
    an earlier proposal nobody finished signing is superseded."""
    _require(
        agreement,
        (AgreementState.PROPOSED, AgreementState.ACTIVE, AgreementState.SUSPENDED),
        "amended",
    )
    changed = ()
    if latest.status is VersionStatus.PROPOSED:
        changed = (replace(latest, status=VersionStatus.SUPERSEDED),)
    number = agreement.latest_version + 1
    created = AgreementVersion(number, _unsigned(terms), VersionStatus.PROPOSED, at, by)
    return Step(replace(agreement, latest_version=number), changed, created)


def review(
    agreement: Agreement,
    terms: AgreementTerms,
    *,
    next_review_date: date | None,
    by: str,
    at: datetime,
) -> Step:
    """Record a periodic review of the version in force and set the next review date (default:
    today + the review interval). Reviewing a suspended agreement lifts the suspension."""
    _require(agreement, (AgreementState.ACTIVE, AgreementState.SUSPENDED), "reviewed")
    today = at.date()
    if terms.valid_until <= today:
        raise FailedPrecondition(
            f"the agreement is valid only until {terms.valid_until.isoformat()}: "
            "amend its validity instead of reviewing it"
        )
    chosen = next_review_date or default_review_date(terms, today)
    if chosen <= today:
        raise invalid("next_review_date", "must be after today")
    if chosen > terms.valid_until:
        limit = terms.valid_until.isoformat()
        raise invalid("next_review_date", f"must not be after the last day of validity ({limit})")
    moved = replace(
        agreement,
        state=AgreementState.ACTIVE,
        review_date=chosen,
        last_reviewed_by=by,
        last_reviewed_at=at,
        state_reason="",
    )
    return Step(moved)


def suspend(agreement: Agreement, reason: str) -> Step:
    """Stop sharing under an active agreement until it is reviewed."""
    text = check_reason(reason)
    _require(agreement, (AgreementState.ACTIVE,), "suspended")
    return Step(replace(agreement, state=AgreementState.SUSPENDED, state_reason=text))


def terminate(agreement: Agreement, reason: str) -> Step:
    """End the agreement for good: nothing is shared under it again, nothing more is signed."""
    text = check_reason(reason)
    _require(
        agreement,
        (AgreementState.PROPOSED, AgreementState.ACTIVE, AgreementState.SUSPENDED),
        "terminated",
    )
    return Step(replace(agreement, state=AgreementState.TERMINATED, state_reason=text))
