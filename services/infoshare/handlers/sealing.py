"""Share content at rest: JSON sealed with AES-GCM under the share's data key, the key wrapped by
the key-encryption key; deleting the wrapped key leaves nothing readable."""

from __future__ import annotations

import json
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from services.common.errors import FailedPrecondition
from services.infoshare.crypto.envelope import new_data_key, seal, unseal
from services.infoshare.crypto.keyring import Keyring
from services.infoshare.domain.shares import ShareContent
from services.infoshare.orm import share_rows as rows

SHREDDED = "the share's content was erased"
OTHER_KEK = (
    "this share was sealed under another key-encryption key than the one this service runs "
    "with; it can be read only once the service is started with that key (NLC_INFOSHARE_KEK)"
)


def _aad(share_id: str, content_version: int) -> bytes:
    return f"{share_id}\x00{content_version}".encode()


def _plaintext(content: ShareContent) -> bytes:
    record = {
        "subject_reference": content.subject_reference,
        "fields": content.fields,
        "consent_reference": content.consent_reference,
    }
    return json.dumps(record, sort_keys=True, ensure_ascii=False).encode()


async def seal_first(
    session: AsyncSession, keyring: Keyring, share_id: str, content: ShareContent, at: datetime
) -> None:
    """Store content as version 1 under a new data key, and the wrapped key."""
    dek = new_data_key()
    await rows.insert_key(session, share_id, keyring.kek_id, keyring.wrap(dek))
    sealed = seal(dek, _plaintext(content), _aad(share_id, 1))
    await rows.insert_content(session, share_id, 1, sealed, at)


async def _data_key(session: AsyncSession, keyring: Keyring, share_id: str) -> bytes:
    """The share's data key; FailedPrecondition once shredded or when another KEK wrapped it."""
    stored = await rows.load_key(session, share_id)
    if stored is None:
        raise FailedPrecondition(SHREDDED)
    kek_id, wrapped = stored
    if kek_id != keyring.kek_id:
        raise FailedPrecondition(OTHER_KEK)
    return keyring.unwrap(wrapped)


async def seal_version(
    session: AsyncSession,
    keyring: Keyring,
    share_id: str,
    content_version: int,
    content: ShareContent,
    at: datetime,
) -> None:
    """Store content as content_version under the share's existing data key."""
    dek = await _data_key(session, keyring, share_id)
    sealed = seal(dek, _plaintext(content), _aad(share_id, content_version))
    await rows.insert_content(session, share_id, content_version, sealed, at)


async def unseal_version(
    session: AsyncSession, keyring: Keyring, share_id: str, content_version: int
) -> ShareContent:
    """The content of one version; FailedPrecondition once shredded."""
    dek = await _data_key(session, keyring, share_id)
    sealed = await rows.load_content(session, share_id, content_version)
    if sealed is None:
        raise FailedPrecondition(SHREDDED)
    record = json.loads(unseal(dek, *sealed, _aad(share_id, content_version)))
    return ShareContent(
        record["subject_reference"], dict(record["fields"]), record.get("consent_reference", "")
    )
