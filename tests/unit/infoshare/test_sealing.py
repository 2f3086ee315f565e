"""Sealed share content opens under the key-encryption key that sealed it; under another one the
caller is told so instead of the unwrap failing as an internal error."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, create_async_engine

from services.common.errors import FailedPrecondition
from services.infoshare.crypto.keyring import Keyring
from services.infoshare.domain.shares import ShareContent
from services.infoshare.handlers.sealing import OTHER_KEK, seal_first, unseal_version
from services.infoshare.orm.tables import share_contents, share_keys

AT = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
KEYRING = Keyring(bytes(range(32)))
CONTENT = ShareContent("CASE-123", {"summary": "seen at school"})


@pytest.fixture
async def session() -> AsyncIterator[AsyncSession]:
    engine = create_async_engine("sqlite+aiosqlite:///:memory:")
    async with engine.begin() as conn:
        for table in (share_keys, share_contents):
            await conn.run_sync(table.create)
    async with AsyncSession(engine) as session:
        yield session
    await engine.dispose()


async def test_content_opens_under_the_kek_that_sealed_it(session: AsyncSession) -> None:
    await seal_first(session, KEYRING, "share-1", CONTENT, AT)

    assert await unseal_version(session, KEYRING, "share-1", 1) == CONTENT


async def test_content_sealed_under_another_kek_is_refused_plainly(session: AsyncSession) -> None:
    await seal_first(session, KEYRING, "share-1", CONTENT, AT)
    other = Keyring(bytes(range(1, 33)))

    with pytest.raises(FailedPrecondition) as refused:
        await unseal_version(session, other, "share-1", 1)

    assert str(refused.value) == OTHER_KEK
    assert "CASE-123" not in str(refused.value)
