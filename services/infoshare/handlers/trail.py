"""Audit chain entries for what a caller did, built the same way by every handler."""

from __future__ import annotations

from datetime import datetime

from services.common.auth import Principal
from services.infoshare.domain.chain import ChainEntry, Decision


def chain_entry(
    actor: Principal,
    at: datetime,
    *,
    action: str,
    resource: str,
    decision: Decision,
    purpose: str = "",
    agreement_version: str = "",
    reason: str = "",
) -> ChainEntry:
    """The entry recording that actor's action on resource was decided so, at at."""
    return ChainEntry(
        occurred_at=at,
        actor_sub=actor.sub,
        actor_username=actor.username,
        actor_org_id=actor.org_id or "",
        token_id=actor.token_id,
        action=action,
        resource=resource,
        decision=decision,
        purpose=purpose,
        agreement_version=agreement_version,
        reason=reason,
    )
