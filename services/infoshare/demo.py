"""Seeding the infoshare demo through the real handlers, once: only while no purpose exists.

Each step runs as the demo user who would take it, with the clock set to when it happened, so
the audit chain tells the story in order: purposes, the national agency's agreement (its review
since lapsed), training, the safeguarding table's agreement, then the shares.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta

from sqlalchemy import select

from services.common.auth import Principal
from services.common.clock import FixedClock
from services.common.errors import AlreadyExists, Conflict
from services.common.uow import UnitOfWork
from services.infoshare.demo_data import (
    BRIDGES_DPO,
    CENTRE_DPO,
    LAPSED_SIGNED_DAYS_AGO,
    POLICE_DPO,
    PURPOSES,
    SHARES,
    SOCIAL_DPO,
    TABLE_SIGNED_DAYS_AGO,
    TRAINED,
    TRAINED_DAYS_AGO,
    TRAINING_COURSE,
    DemoShare,
    lapsed_terms,
    table_terms,
)
from services.infoshare.deps import InfoshareDeps
from services.infoshare.domain.agreements import AgreementTerms
from services.infoshare.domain.share_rules import Consent
from services.infoshare.handlers.agreements import (
    ProposeAgreement,
    SignAgreement,
    propose_agreement,
    sign_agreement,
)
from services.infoshare.handlers.purposes import create_purpose
from services.infoshare.handlers.shares import SendShare, send_share
from services.infoshare.handlers.training import AttestTraining, attest_training
from services.infoshare.orm.tables import purposes

TABLE_AGREEMENT = "0b1c7a52-0030-4000-8000-000000000001"
LAPSED_AGREEMENT = "0b1c7a52-0030-4000-8000-000000000002"
PURPOSES_DAYS_AGO = LAPSED_SIGNED_DAYS_AGO + 10


def _at(deps: InfoshareDeps, moment: datetime, actor: Principal) -> UnitOfWork:
    """A unit of work for actor whose clock reads moment."""
    return replace(deps.uow, clock=FixedClock(moment))(actor)  # type: ignore[type-var]


async def _agree(
    deps: InfoshareDeps,
    agreement_id: str,
    terms: AgreementTerms,
    signers: tuple[Principal, ...],
    at: datetime,
) -> None:
    """The first signer proposes the terms, then every signer signs version 1."""
    propose = ProposeAgreement(terms, agreement_id=agreement_id)
    await propose_agreement(_at(deps, at, signers[0]), deps.keyring, propose)
    for n, dpo in enumerate(signers, start=1):
        sign = SignAgreement(agreement_id, version=1)
        await sign_agreement(_at(deps, at + timedelta(hours=n), dpo), deps.keyring, sign)


async def _send(deps: InfoshareDeps, share: DemoShare, now: datetime) -> None:
    consent = Consent(bool(share.consent_reference), share.consent_reference)
    cmd = SendShare(
        purpose_code=share.purpose,
        record_type=share.record_type,
        recipients=share.recipients,
        subject_reference=share.subject_reference,
        fields=share.fields,
        all_or_nothing=share.all_or_nothing,
        consent=consent,
    )
    sent_at = now - timedelta(days=share.days_ago)
    await send_share(_at(deps, sent_at, share.sender), deps.keyring, cmd)


async def _seed(deps: InfoshareDeps, now: datetime) -> None:
    def ago(days: int) -> datetime:
        return now - timedelta(days=days)

    for draft in PURPOSES:
        await create_purpose(_at(deps, ago(PURPOSES_DAYS_AGO), SOCIAL_DPO), deps.keyring, draft)
    lapsed = lapsed_terms(now.date())
    await _agree(
        deps, LAPSED_AGREEMENT, lapsed, (CENTRE_DPO, SOCIAL_DPO), ago(LAPSED_SIGNED_DAYS_AGO)
    )
    trained_on = ago(TRAINED_DAYS_AGO)
    for user in TRAINED:
        attest = AttestTraining(TRAINING_COURSE, trained_on.date())
        await attest_training(_at(deps, trained_on, user), deps.keyring, attest)
    table = table_terms(now.date())
    signers = (SOCIAL_DPO, POLICE_DPO, BRIDGES_DPO)
    await _agree(deps, TABLE_AGREEMENT, table, signers, ago(TABLE_SIGNED_DAYS_AGO))
    for share in SHARES:
        await _send(deps, share, now)


async def seed_demo(deps: InfoshareDeps) -> bool:
    """Seed the infoshare demo when no purpose exists yet; True when it did."""
    async with deps.sessions() as session:
        if await session.scalar(select(purposes.c.code).limit(1)) is not None:
            return False
    try:
        await _seed(deps, deps.clock.now())
    except (AlreadyExists, Conflict):
        return False  # another replica is seeding at the same time; it finishes the job
    return True
