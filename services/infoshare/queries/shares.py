"""Share reads for an organisation: one share, its inbox and sent mailboxes, and the shares about
a subject. The sender sees every delivery; a recipient sees only its own (without the fields it
was not allowed), and only if it received anything; anyone else gets NotFound."""

from __future__ import annotations

from dataclasses import dataclass, replace
from enum import StrEnum
from typing import Any

from sqlalchemy import Select, and_, exists, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.common.errors import NotFound
from services.common.paging import Page, decode_token, next_token, page_size
from services.infoshare.domain.policy import Outcome
from services.infoshare.domain.shares import Delivery, Share
from services.infoshare.orm.share_rows import load_share, load_shares
from services.infoshare.orm.tables import deliveries, shares


class Mailbox(StrEnum):
    INBOX = "inbox"
    SENT = "sent"


@dataclass(frozen=True)
class ShareView:
    """A share as one organisation may see it."""

    share: Share
    deliveries: tuple[Delivery, ...]
    # The subject's pseudonym under the agreement delivering to the viewer ("" for the sender).
    pseudonym: str


def view_for(share: Share, organisation_id: str | None) -> ShareView | None:
    """share as organisation_id sees it, or None when it may not see it."""
    if organisation_id is not None and share.sender_org_id == organisation_id:
        return ShareView(share, share.deliveries, "")
    received = share.received_by(organisation_id)
    if received is None:
        return None
    return ShareView(share, (_as_received(received),), received.pseudonym)


def _as_received(delivery: Delivery) -> Delivery:
    """A recipient's own delivery without what was kept from it: not even the names of the
    fields it was not allowed, nor why."""
    return replace(delivery, dropped_fields=(), explanation="", denial_reason=None)


def visible(share: Share | None, organisation_id: str | None, share_id: str) -> ShareView:
    """The view of share for organisation_id; NotFound when missing or not visible to it."""
    view = view_for(share, organisation_id) if share is not None else None
    if view is None:
        raise NotFound(f"share {share_id} not found")
    return view


async def get_visible_share(
    session: AsyncSession, share_id: str, organisation_id: str | None
) -> ShareView:
    """The share if organisation_id sent or received it; NotFound otherwise."""
    return visible(await load_share(session, share_id), organisation_id, share_id)


def _received_by(organisation_id: str) -> Any:
    d = deliveries.c
    return exists().where(
        d.share_id == shares.c.id,
        d.recipient_org_id == organisation_id,
        d.outcome != Outcome.DENIED.value,
    )


def _mailbox_clause(organisation_id: str, mailbox: Mailbox | None) -> Any:
    sent = shares.c.sender_org_id == organisation_id
    if mailbox is Mailbox.SENT:
        return sent
    if mailbox is Mailbox.INBOX:
        return _received_by(organisation_id)
    return or_(sent, _received_by(organisation_id))


async def _views(
    session: AsyncSession, query: Select[Any], organisation_id: str
) -> list[ShareView]:
    ids = list(await session.scalars(query))
    found = await load_shares(session, ids)
    return [v for s in found if (v := view_for(s, organisation_id)) is not None]


async def list_shares(
    session: AsyncSession,
    organisation_id: str | None,
    mailbox: Mailbox | None,
    *,
    requested_size: int = 0,
    token: str = "",
) -> Page[ShareView]:
    """Shares organisation_id received (inbox), sent, or both, newest first."""
    if organisation_id is None:
        return Page([], "")
    fingerprint = {"org": organisation_id, "mailbox": mailbox.value if mailbox else ""}
    size = page_size(requested_size)
    offset = decode_token(token, fingerprint)
    query = (
        select(shares.c.id)
        .where(_mailbox_clause(organisation_id, mailbox))
        .order_by(shares.c.sent_at.desc(), shares.c.id)
        .offset(offset)
        .limit(size + 1)
    )
    views = await _views(session, query, organisation_id)
    return Page(views[:size], next_token(offset, size, len(views), fingerprint))


async def subject_shares(
    session: AsyncSession, organisation_id: str, subject_index: str
) -> list[ShareView]:
    """Shares about the subject that organisation_id sent or received, oldest first."""
    query = (
        select(shares.c.id)
        .where(
            and_(
                shares.c.subject_index == subject_index,
                _mailbox_clause(organisation_id, None),
            )
        )
        .order_by(shares.c.sent_at, shares.c.id)
    )
    return await _views(session, query, organisation_id)
