"""Agreement use cases: propose, amend, sign, review, suspend, terminate, each done by a party's
data-protection officer and recorded in the audit chain; and announcing reviews falling due."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import and_, or_, select, update

from services.common.clock import today
from services.common.errors import PermissionDenied
from services.common.resource_names import new_id
from services.common.text import check_reason
from services.common.uow import UnitOfWork
from services.common.versioned import check_etag
from services.infoshare.convert import agreement_version_name
from services.infoshare.convert.agreements import agreement_changed, agreement_name
from services.infoshare.crypto.keyring import Keyring
from services.infoshare.domain import agreement_workflow as workflow
from services.infoshare.domain.agreement_rules import check_terms
from services.infoshare.domain.agreement_workflow import Agreement, AgreementVersion, Step
from services.infoshare.domain.agreements import AgreementState, AgreementTerms
from services.infoshare.domain.chain import ChainEntry, Decision
from services.infoshare.handlers.trail import chain_entry
from services.infoshare.orm import agreement_rows as rows
from services.infoshare.orm.chain_rows import append
from services.infoshare.orm.purpose_rows import load_purposes
from services.infoshare.orm.tables import agreement_versions, agreements
from services.infoshare.queries import agreements as queries
from services.infoshare.queries.agreements import AgreementView

SUBJECT = "nlc.infoshare.agreement"
REVIEW_NOTICE_DAYS = 30


@dataclass(frozen=True)
class ProposeAgreement:
    terms: AgreementTerms
    agreement_id: str | None = None  # a fixed id (demo data); a new one when None


@dataclass(frozen=True)
class AmendAgreement:
    agreement_id: str
    terms: AgreementTerms
    etag: str


@dataclass(frozen=True)
class SignAgreement:
    agreement_id: str
    version: int


@dataclass(frozen=True)
class ReviewAgreement:
    agreement_id: str
    next_review_date: date | None = None
    notes: str = ""


@dataclass(frozen=True)
class SuspendAgreement:
    agreement_id: str
    reason: str


@dataclass(frozen=True)
class TerminateAgreement:
    agreement_id: str
    reason: str


def _require_party(uow: UnitOfWork, terms: AgreementTerms, doing: str) -> None:
    """PermissionDenied unless the actor's organisation is a party to terms."""
    org = uow.actor.org_id
    if org is None or terms.party(org) is None:
        raise PermissionDenied(
            f"only a data-protection officer of a party {doing}; your organisation is not one"
        )


async def _check_terms(uow: UnitOfWork, terms: AgreementTerms) -> None:
    known = await load_purposes(uow.session, terms.purposes)
    check_terms(terms, known, today(uow.clock))


async def _load(uow: UnitOfWork, agreement_id: str, etag: str = "") -> Agreement:
    """The agreement if the actor may see it (NotFound otherwise), at the caller's etag."""
    row = await queries.visible_agreement(uow.session, uow.actor, agreement_id)
    agreement = rows.agreement_from_row(row)
    check_etag(etag, agreement.row_version, "the agreement")
    return agreement


async def _version(uow: UnitOfWork, agreement_id: str, number: int) -> AgreementVersion:
    found = await rows.load_version(uow.session, agreement_id, number)
    assert found is not None, f"agreement {agreement_id} has no version {number}"
    return found


def _entry(
    uow: UnitOfWork, action: str, agreement_id: str, version: int, reason: str = ""
) -> ChainEntry:
    return chain_entry(
        uow.actor,
        uow.clock.now(),
        action=action,
        resource=agreement_name(agreement_id),
        decision=Decision.RECORDED,
        agreement_version=agreement_version_name(agreement_id, version),
        reason=reason,
    )


async def _record(
    uow: UnitOfWork, keyring: Keyring, step: Step, entries: list[ChainEntry]
) -> AgreementView:
    """Save the step (agreement row first, so concurrent writers conflict on it), append its
    chain entries last, and return the agreement as it now is."""
    session, stamp = uow.session, uow.stamp()
    await rows.save_agreement(session, step.agreement, stamp)
    for version in step.changed:
        await rows.save_version(session, step.agreement.id, version)
    if step.created is not None:
        await rows.insert_version(session, step.agreement.id, step.created)
    view = await queries.agreement_view(session, step.agreement.id, today(uow.clock))
    await append(session, keyring, entries)
    return view


async def propose_agreement(
    uow: UnitOfWork, keyring: Keyring, cmd: ProposeAgreement
) -> AgreementView:
    """Version 1 of a new agreement, waiting for every party's DPO to sign."""
    async with uow:
        _require_party(uow, cmd.terms, "proposes an agreement")
        await _check_terms(uow, cmd.terms)
        agreement_id = cmd.agreement_id or new_id()
        agreement, first = workflow.propose(agreement_id, cmd.terms, uow.actor.sub, uow.clock.now())
        session = uow.session
        await rows.insert_agreement(session, agreement, uow.stamp())
        await rows.insert_version(session, agreement_id, first)
        view = await queries.agreement_view(session, agreement_id, today(uow.clock))
        await append(session, keyring, [_entry(uow, "agreement.propose", agreement_id, 1)])
        await uow.commit()
    return view


async def amend_agreement(uow: UnitOfWork, keyring: Keyring, cmd: AmendAgreement) -> AgreementView:
    """Propose new terms as the next version; the version in force stays until all sign it."""
    async with uow:
        agreement = await _load(uow, cmd.agreement_id, cmd.etag)
        governing = await _version(uow, agreement.id, agreement.governing_version)
        _require_party(uow, governing.terms, "amends the agreement")
        _require_party(uow, cmd.terms, "of the amended terms amends them")
        await _check_terms(uow, cmd.terms)
        latest = await _version(uow, agreement.id, agreement.latest_version)
        step = workflow.amend(agreement, latest, cmd.terms, uow.actor.sub, uow.clock.now())
        number = step.agreement.latest_version
        entry = _entry(uow, "agreement.amend", agreement.id, number)
        view = await _record(uow, keyring, step, [entry])
        await uow.commit()
    return view


async def sign_agreement(uow: UnitOfWork, keyring: Keyring, cmd: SignAgreement) -> AgreementView:
    """The caller's organisation signs the latest version; the last signature brings it into
    force (nlc.infoshare.agreement.activated, unless the agreement stays suspended)."""
    async with uow:
        agreement = await _load(uow, cmd.agreement_id)
        latest = await _version(uow, agreement.id, agreement.latest_version)
        _require_party(uow, latest.terms, "signs this version")
        in_force = None
        if agreement.version_in_force:
            in_force = await _version(uow, agreement.id, agreement.version_in_force)
        step = workflow.sign(
            agreement,
            latest,
            in_force,
            organisation_id=uow.actor.org_id or "",
            version=cmd.version,
            by=uow.actor.sub,
            at=uow.clock.now(),
        )
        entries = [_entry(uow, "agreement.sign", agreement.id, latest.number)]
        if step.activated is not None:
            entries.append(_entry(uow, "agreement.activate", agreement.id, latest.number))
        if step.activated is not None and step.agreement.state is AgreementState.ACTIVE:
            event = agreement_changed(step.agreement, step.activated.terms, "signed by every party")
            uow.emit(f"{SUBJECT}.activated", event)
        view = await _record(uow, keyring, step, entries)
        await uow.commit()
    return view


async def review_agreement(
    uow: UnitOfWork, keyring: Keyring, cmd: ReviewAgreement
) -> AgreementView:
    """Record a periodic review and the next review date; a suspended agreement is resumed
    (nlc.infoshare.agreement.activated)."""
    async with uow:
        agreement = await _load(uow, cmd.agreement_id)
        governing = await _version(uow, agreement.id, agreement.governing_version)
        _require_party(uow, governing.terms, "reviews the agreement")
        notes = check_reason(cmd.notes, "notes", required=False)
        step = workflow.review(
            agreement,
            governing.terms,
            next_review_date=cmd.next_review_date,
            by=uow.actor.sub,
            at=uow.clock.now(),
        )
        if agreement.state is AgreementState.SUSPENDED:
            event = agreement_changed(step.agreement, governing.terms, "reviewed")
            uow.emit(f"{SUBJECT}.activated", event)
        entry = _entry(uow, "agreement.review", agreement.id, governing.number, notes)
        view = await _record(uow, keyring, step, [entry])
        await uow.commit()
    return view


async def _stop(
    uow: UnitOfWork, keyring: Keyring, agreement_id: str, reason: str, *, terminate: bool
) -> AgreementView:
    async with uow:
        agreement = await _load(uow, agreement_id)
        governing = await _version(uow, agreement.id, agreement.governing_version)
        doing = "terminates" if terminate else "suspends"
        _require_party(uow, governing.terms, f"{doing} the agreement")
        step = (workflow.terminate if terminate else workflow.suspend)(agreement, reason)
        text = step.agreement.state_reason
        event = "terminated" if terminate else "suspended"
        uow.emit(f"{SUBJECT}.{event}", agreement_changed(step.agreement, governing.terms, text))
        action = "agreement.terminate" if terminate else "agreement.suspend"
        entry = _entry(uow, action, agreement.id, governing.number, text)
        view = await _record(uow, keyring, step, [entry])
        await uow.commit()
    return view


async def suspend_agreement(
    uow: UnitOfWork, keyring: Keyring, cmd: SuspendAgreement
) -> AgreementView:
    """Stop sharing under the agreement until it is reviewed (nlc.infoshare.agreement.suspended)."""
    return await _stop(uow, keyring, cmd.agreement_id, cmd.reason, terminate=False)


async def terminate_agreement(
    uow: UnitOfWork, keyring: Keyring, cmd: TerminateAgreement
) -> AgreementView:
    """End the agreement for good (nlc.infoshare.agreement.terminated)."""
    return await _stop(uow, keyring, cmd.agreement_id, cmd.reason, terminate=True)


async def announce_reviews_due(uow: UnitOfWork, *, within_days: int = REVIEW_NOTICE_DAYS) -> int:
    """Emit nlc.infoshare.agreement.review_due once per review date for each active agreement
    whose review falls within within_days (or has passed); returns how many were announced.
    Safe beside other replicas: each announcement is claimed by a guarded row update."""
    async with uow:
        session = uow.session
        horizon = today(uow.clock) + timedelta(days=within_days)
        not_announced = or_(
            agreements.c.review_due_announced_for.is_(None),
            agreements.c.review_due_announced_for != agreements.c.review_date,
        )
        due = (
            select(agreements, agreement_versions.c.terms)
            .join(
                agreement_versions,
                and_(
                    agreement_versions.c.agreement_id == agreements.c.id,
                    agreement_versions.c.version == rows.GOVERNING,
                ),
            )
            .where(
                agreements.c.state == AgreementState.ACTIVE.value,
                agreements.c.review_date <= horizon,
                not_announced,
            )
        )
        announced = 0
        for row in (await session.execute(due)).all():
            claim = (
                update(agreements)
                .where(
                    agreements.c.id == row.id,
                    agreements.c.review_date == row.review_date,
                    not_announced,
                )
                .values(review_due_announced_for=row.review_date)
            )
            if (await session.execute(claim)).rowcount != 1:
                continue
            agreement = rows.agreement_from_row(row)
            terms = rows.terms_from_record(row.terms)
            uow.emit(f"{SUBJECT}.review_due", agreement_changed(agreement, terms, "review due"))
            announced += 1
        await uow.commit()
    return announced
