"""Reading the audit chain: its records newest first, and whether every link still holds."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from services.common.paging import Page, decode_token, encode_token, page_size
from services.infoshare.crypto.keyring import Keyring
from services.infoshare.domain.chain import ChainVerdict, StoredLink
from services.infoshare.orm.chain_rows import stored_link, verify_chain
from services.infoshare.orm.tables import audit_chain


async def list_audit_records(
    session: AsyncSession, *, resource: str | None, requested_size: int = 0, token: str = ""
) -> Page[StoredLink]:
    """Records newest first, optionally about one resource. The token holds the sequence to
    continue below, so records appended while paging never shift or repeat a page."""
    fingerprint: dict[str, object] = {"resource": resource or ""}
    size = page_size(requested_size)
    below = decode_token(token, fingerprint)
    query = select(audit_chain).order_by(audit_chain.c.sequence.desc()).limit(size + 1)
    if resource:
        query = query.where(audit_chain.c.resource == resource)
    if below:
        query = query.where(audit_chain.c.sequence < below)
    links = [stored_link(row) for row in await session.execute(query)]
    items = links[:size]
    more = len(links) > size
    return Page(items, encode_token(items[-1].sequence, fingerprint) if more else "")


async def verify_audit_chain(session: AsyncSession, keyring: Keyring) -> ChainVerdict:
    """Whether the chain is intact, or the first entry whose link no longer holds."""
    return await verify_chain(session, keyring)
