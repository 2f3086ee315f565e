"""AIP-158 pagination: page sizes and opaque page tokens bound to the query that issued them."""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from sqlalchemy import Select
from sqlalchemy.engine import Row
from sqlalchemy.ext.asyncio import AsyncSession

from services.common.errors import invalid

T = TypeVar("T")
R = TypeVar("R")

DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 500


def page_size(requested: int, *, field: str = "page_size") -> int:
    """The page size to use: the default for 0, capped at the maximum; negative is invalid."""
    if requested < 0:
        raise invalid(field, "must not be negative")
    return min(requested or DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE)


def _fingerprint(query: dict[str, object]) -> str:
    raw = json.dumps(query, sort_keys=True, default=str).encode()
    return hashlib.sha256(raw).hexdigest()[:16]


def encode_token(offset: int, query: dict[str, object]) -> str:
    """An opaque token for the next page of `query`, starting at `offset`."""
    body = json.dumps({"o": offset, "q": _fingerprint(query)}).encode()
    return base64.urlsafe_b64encode(body).decode().rstrip("=")


# No list is paged this deep; a larger offset is a forged token.
MAX_OFFSET = 10**9


def decode_token(token: str, query: dict[str, object], *, field: str = "page_token") -> int:
    """The offset a token stands for; INVALID_ARGUMENT if it is malformed or from another query."""
    if not token:
        return 0
    try:
        padded = token + "=" * (-len(token) % 4)
        body = json.loads(base64.urlsafe_b64decode(padded.encode()))
        offset = body["o"]
        fingerprint = str(body["q"])
    except (ValueError, KeyError, TypeError, AttributeError):
        raise invalid(field, "is not a token this service issued") from None
    if type(offset) is not int or not 0 <= offset <= MAX_OFFSET:
        raise invalid(field, "is not a token this service issued")
    if fingerprint != _fingerprint(query):
        raise invalid(field, "belongs to a different query; start again without a page token")
    return offset


def next_token(offset: int, size: int, fetched: int, query: dict[str, object]) -> str:
    """The next page's token when this page came back full (fetched = size + 1 probe row)."""
    return encode_token(offset + size, query) if fetched > size else ""


@dataclass(frozen=True)
class Page(Generic[T]):
    """One page of a list and the token of the next one ("" on the last page)."""

    items: list[T]
    next_page_token: str


async def fetch_page(
    session: AsyncSession,
    query: Select[Any],
    to_item: Callable[[Row[Any]], T],
    fingerprint: dict[str, object],
    *,
    requested_size: int = 0,
    token: str = "",
) -> Page[T]:
    """The page of an ordered query that token points at, each row made an item by to_item."""
    size = page_size(requested_size)
    offset = decode_token(token, fingerprint)
    rows = await session.execute(query.offset(offset).limit(size + 1))
    items = [to_item(row) for row in rows]
    return Page(items[:size], next_token(offset, size, len(items), fingerprint))


def paging(request: Any) -> dict[str, Any]:
    """The page size and token of a List request, as query keyword arguments."""
    return {"requested_size": request.page_size, "token": request.page_token}


def page_reply(reply: Callable[..., R], field: str, page: Page[Any], to_proto: Callable) -> R:
    """A List reply holding page's items (as field), converted by to_proto, and the next page
    token."""
    items = [to_proto(item) for item in page.items]
    return reply(**{field: items}, next_page_token=page.next_page_token)
