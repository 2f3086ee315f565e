"""Training attestation reads: a DPO sees their organisation's, an officer their own."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from services.common.auth import Principal
from services.infoshare.domain.access import DPOS
from services.infoshare.domain.training import TrainingAttestation
from services.infoshare.orm.tables import training_attestations as t
from services.infoshare.orm.training_rows import attestation_from_row

MAX_LISTED = 1_000


async def list_attestations(session: AsyncSession, actor: Principal) -> list[TrainingAttestation]:
    """Attestations actor may see, newest completion first: a DPO's organisation's (their own
    when they have none), anyone else's own."""
    query = select(t).order_by(t.c.completed_on.desc(), t.c.recorded_at.desc(), t.c.id)
    if actor.has_any(*DPOS) and actor.org_id:
        query = query.where(t.c.organisation_id == actor.org_id)
    else:
        query = query.where(t.c.user_sub == actor.sub)
    rows = await session.execute(query.limit(MAX_LISTED))
    return [attestation_from_row(row) for row in rows]
