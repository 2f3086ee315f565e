"""Checks that refuse on the record: a refusal is appended to the audit chain and committed
before the caller hears of it. Call them before any state change of the unit of work."""

from __future__ import annotations

from collections.abc import Callable
from typing import NoReturn, TypeVar

from services.common.clock import today
from services.common.errors import (
    DomainError,
    FailedPrecondition,
    PermissionDenied,
    Violation,
)
from services.common.uow import UnitOfWork
from services.infoshare.crypto.keyring import Keyring
from services.infoshare.domain.chain import Decision
from services.infoshare.domain.training import NO_TRAINING
from services.infoshare.handlers.trail import actor_org, chain_entry
from services.infoshare.orm.chain_rows import append
from services.infoshare.orm.training_rows import has_current_training

T = TypeVar("T")


def own_org(uow: UnitOfWork) -> str:
    """The caller's organisation; PermissionDenied for a caller who belongs to none, or to one
    whose id is not well formed."""
    org_id = actor_org(uow.actor)
    if not org_id:
        raise PermissionDenied("your account belongs to no organisation")
    return org_id


async def refuse(
    uow: UnitOfWork,
    keyring: Keyring,
    error: DomainError,
    *,
    action: str,
    resource: str,
    reason: str,
    purpose: str = "",
    agreement_version: str = "",
) -> NoReturn:
    """Record a denied action in the chain, commit, then raise error."""
    entry = chain_entry(
        uow.actor,
        uow.clock.now(),
        action=action,
        resource=resource,
        decision=Decision.DENIED,
        purpose=purpose,
        agreement_version=agreement_version,
        reason=reason,
    )
    await append(uow.session, keyring, [entry])
    await uow.commit()
    raise error


async def checked(
    uow: UnitOfWork,
    keyring: Keyring,
    check: Callable[[], T],
    *,
    action: str,
    resource: str,
    reason: str,
    purpose: str = "",
) -> T:
    """check()'s result; a FailedPrecondition it raises is refused on the record."""
    try:
        return check()
    except FailedPrecondition as error:
        await refuse(
            uow, keyring, error, action=action, resource=resource, reason=reason, purpose=purpose
        )


async def require_training(
    uow: UnitOfWork, keyring: Keyring, *, action: str, resource: str, purpose: str = ""
) -> None:
    """Refuse (on the record) a caller without a training attestation of the last 12 months."""
    if await has_current_training(uow.session, uow.actor.sub, today(uow.clock)):
        return
    error = FailedPrecondition(
        NO_TRAINING,
        [Violation("training", "attest a data-protection training completed in the last year")],
    )
    await refuse(
        uow, keyring, error, action=action, resource=resource, purpose=purpose, reason="no_training"
    )
