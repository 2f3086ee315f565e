"""Audit chain entries for what a caller did, built the same way by every handler."""

from __future__ import annotations

import uuid
from datetime import datetime

from services.common.auth import Principal
from services.common.errors import PermissionDenied
from services.infoshare.domain.chain import ChainEntry, Decision

UNKNOWN_ORG = "your token's organisation is not recognised"


def actor_org(actor: Principal) -> str:
    """The actor's organisation id as the token gives it ("" for none); PermissionDenied when
    it is not a canonical UUID (nothing is cut or rewritten to fit a column)."""
    org_id = actor.org_id or ""
    if not org_id:
        return ""
    try:
        canonical = str(uuid.UUID(org_id))
    except ValueError:
        raise PermissionDenied(UNKNOWN_ORG) from None
    if canonical != org_id:
        raise PermissionDenied(UNKNOWN_ORG)
    return org_id


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
        actor_org_id=actor_org(actor),
        token_id=actor.token_id,
        action=action,
        resource=resource,
        decision=decision,
        purpose=purpose,
        agreement_version=agreement_version,
        reason=reason,
    )
