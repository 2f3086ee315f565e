"""Purpose use cases: a data-protection officer creates a purpose information may be shared for."""

from __future__ import annotations

from services.common.uow import UnitOfWork
from services.infoshare.convert.purposes import purpose_name
from services.infoshare.crypto.keyring import Keyring
from services.infoshare.domain.chain import Decision
from services.infoshare.domain.purpose_rules import PurposeDraft, checked_purpose
from services.infoshare.domain.purposes import Purpose
from services.infoshare.handlers.trail import chain_entry
from services.infoshare.orm.chain_rows import append
from services.infoshare.orm.purpose_rows import insert_purpose


async def create_purpose(uow: UnitOfWork, keyring: Keyring, draft: PurposeDraft) -> Purpose:
    """A new purpose; AlreadyExists when its code is taken."""
    async with uow:
        now = uow.clock.now()
        purpose = checked_purpose(draft, at=now, by=uow.actor.sub)
        await insert_purpose(uow.session, purpose)
        entry = chain_entry(
            uow.actor,
            now,
            action="purpose.create",
            resource=purpose_name(purpose.code),
            decision=Decision.RECORDED,
            purpose=purpose.code,
        )
        await append(uow.session, keyring, [entry])
        await uow.commit()
    return purpose
