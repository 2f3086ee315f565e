"""Agreement reads: one agreement or a page of them, showing the governing version's terms, and
their versions; officers and DPOs see only agreements their organisation is party to."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import and_, exists, false, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.common.auth import Principal
from services.common.errors import NotFound
from services.common.paging import Page, fetch_page
from services.common.versioned import Versioned, versioned_fields
from services.infoshare.domain.access import AUDITORS
from services.infoshare.domain.agreement_workflow import Agreement, AgreementVersion
from services.infoshare.domain.agreements import SharingStatus
from services.infoshare.orm.agreement_rows import (
    GOVERNING,
    agreement_from_row,
    load_versions,
    version_from_row,
)
from services.infoshare.orm.tables import agreement_parties, agreement_versions, agreements


@dataclass(frozen=True)
class AgreementView:
    """An agreement with its governing version (signatures included), stamps and whether
    sharing may happen under it today."""

    agreement: Agreement
    shown: AgreementVersion
    stamps: Versioned
    sharing: SharingStatus


def sees_all(actor: Principal) -> bool:
    """Auditors see every agreement."""
    return actor.has_any(*AUDITORS)


def _party_of(organisation_id: str) -> Any:
    """Agreements organisation_id is party to, in any version."""
    return exists().where(
        agreement_parties.c.agreement_id == agreements.c.id,
        agreement_parties.c.organisation_id == organisation_id,
    )


def _visible_to(actor: Principal) -> Any:
    if sees_all(actor):
        return None
    return _party_of(actor.org_id) if actor.org_id else false()


async def visible_agreement(session: AsyncSession, actor: Principal, agreement_id: str) -> Any:
    """The agreement's row if actor may see it; NotFound otherwise."""
    query = select(agreements).where(agreements.c.id == agreement_id)
    visible = _visible_to(actor)
    if visible is not None:
        query = query.where(visible)
    row = (await session.execute(query)).first()
    if row is None:
        raise NotFound(f"agreement {agreement_id} not found")
    return row


async def _views(session: AsyncSession, rows: Sequence[Any], today: date) -> list[AgreementView]:
    """Views of agreement rows, their governing versions loaded in two queries."""
    ids = [r.id for r in rows]
    if not ids:
        return []
    governing = and_(
        agreement_versions.c.agreement_id == agreements.c.id,
        agreement_versions.c.version == GOVERNING,
    )
    versions = (
        select(agreement_versions).join(agreements, governing).where(agreements.c.id.in_(ids))
    )
    parties = (
        select(agreement_parties)
        .join(
            agreements,
            and_(
                agreement_parties.c.agreement_id == agreements.c.id,
                agreement_parties.c.version == GOVERNING,
            ),
        )
        .where(agreements.c.id.in_(ids))
    )
    signed: dict[str, list[Any]] = {}
    for p in await session.execute(parties):
        signed.setdefault(p.agreement_id, []).append(p)
    shown = {
        v.agreement_id: version_from_row(v, signed.get(v.agreement_id, ()))
        for v in await session.execute(versions)
    }
    views = []
    for row in rows:
        agreement, version = agreement_from_row(row), shown[row.id]
        sharing = agreement.in_force(version.terms).sharing_status(today)
        views.append(AgreementView(agreement, version, Versioned(**versioned_fields(row)), sharing))
    return views


async def agreement_view(session: AsyncSession, agreement_id: str, today: date) -> AgreementView:
    """The view of an agreement known to exist (after a write)."""
    row = (await session.execute(select(agreements).where(agreements.c.id == agreement_id))).one()
    return (await _views(session, [row], today))[0]


async def get_agreement(
    session: AsyncSession, actor: Principal, agreement_id: str, today: date
) -> AgreementView:
    """The agreement if actor may see it; NotFound otherwise."""
    row = await visible_agreement(session, actor, agreement_id)
    return (await _views(session, [row], today))[0]


async def list_agreements(
    session: AsyncSession,
    actor: Principal,
    *,
    organisation_id: str | None,
    today: date,
    requested_size: int = 0,
    token: str = "",
) -> Page[AgreementView]:
    """Agreements actor may see (optionally only those organisation_id is party to), newest
    first."""
    query = select(agreements).order_by(agreements.c.created_at.desc(), agreements.c.id)
    visible = _visible_to(actor)
    if visible is not None:
        query = query.where(visible)
    if organisation_id is not None:
        query = query.where(_party_of(organisation_id))
    fingerprint = {"list": "agreements", "organisation": organisation_id or ""}
    page = await fetch_page(
        session, query, lambda row: row, fingerprint, requested_size=requested_size, token=token
    )
    return Page(await _views(session, page.items, today), page.next_page_token)


async def list_versions(
    session: AsyncSession, actor: Principal, agreement_id: str
) -> list[AgreementVersion]:
    """Every version of the agreement, oldest first, if actor may see it."""
    await visible_agreement(session, actor, agreement_id)
    return await load_versions(session, agreement_id)
