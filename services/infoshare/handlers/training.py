"""Training use cases: a user attests the data-protection training they completed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from services.common.resource_names import new_id
from services.common.uow import UnitOfWork
from services.infoshare.crypto.keyring import Keyring
from services.infoshare.domain.chain import Decision
from services.infoshare.domain.training import TrainingAttestation, check_attestation
from services.infoshare.handlers.trail import chain_entry
from services.infoshare.orm.chain_rows import append
from services.infoshare.orm.training_rows import insert_attestation


@dataclass(frozen=True)
class AttestTraining:
    course: str
    completed_on: date


def user_resource(sub: str) -> str:
    """The audit chain's resource name for a user."""
    return f"users/{sub}"


async def attest_training(
    uow: UnitOfWork, keyring: Keyring, cmd: AttestTraining
) -> TrainingAttestation:
    """Record that the caller completed a data-protection course on cmd.completed_on."""
    async with uow:
        actor, now = uow.actor, uow.clock.now()
        check_attestation(cmd.course, cmd.completed_on, now.date())
        attestation = TrainingAttestation(
            id=new_id(),
            user_sub=actor.sub,
            username=actor.username,
            organisation_id=actor.org_id,
            course=cmd.course.strip(),
            completed_on=cmd.completed_on,
            recorded_at=now,
        )
        await insert_attestation(uow.session, attestation)
        entry = chain_entry(
            actor,
            now,
            action="training.attest",
            resource=user_resource(actor.sub),
            decision=Decision.RECORDED,
            reason=f"completed on {cmd.completed_on.isoformat()}",
        )
        await append(uow.session, keyring, [entry])
        await uow.commit()
    return attestation
