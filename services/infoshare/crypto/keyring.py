"""The service's key-encryption key and the keys derived from it: wrapping data keys,
pseudonyms per agreement, the subject blind index and the audit chain's MAC key."""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.hashes import SHA256
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from services.common.config import Settings

KEK_BYTES = 32
NONCE_BYTES = 12
PSEUDONYM_INFO = b"nlc-infoshare pseudonym"
SUBJECT_INDEX_INFO = b"nlc-infoshare subject-index"
AUDIT_CHAIN_INFO = b"nlc-infoshare audit-chain"
WRAP_AAD = b"nlc-infoshare data-key"


def _derive(kek: bytes, info: bytes) -> bytes:
    return HKDF(algorithm=SHA256(), length=32, salt=None, info=info).derive(kek)


def _normalised(subject_reference: str) -> bytes:
    return subject_reference.strip().casefold().encode()


@dataclass(frozen=True)
class Keyring:
    """Keys held in memory for the life of the process; never logged or stored in the database."""

    kek: bytes = field(repr=False)
    kek_id: str = field(init=False)
    pseudonym_key: bytes = field(init=False, repr=False)
    subject_index_key: bytes = field(init=False, repr=False)
    chain_key: bytes = field(init=False, repr=False)

    def __post_init__(self) -> None:
        if len(self.kek) != KEK_BYTES:
            raise ValueError(f"the infoshare key-encryption key must be {KEK_BYTES} bytes")
        object.__setattr__(self, "kek_id", hashlib.sha256(self.kek).hexdigest()[:16])
        object.__setattr__(self, "pseudonym_key", _derive(self.kek, PSEUDONYM_INFO))
        object.__setattr__(self, "subject_index_key", _derive(self.kek, SUBJECT_INDEX_INFO))
        object.__setattr__(self, "chain_key", _derive(self.kek, AUDIT_CHAIN_INFO))

    def wrap(self, dek: bytes) -> bytes:
        """The data key sealed under the KEK: a 12-byte nonce then the AES-GCM ciphertext."""
        nonce = os.urandom(NONCE_BYTES)
        return nonce + AESGCM(self.kek).encrypt(nonce, dek, WRAP_AAD)

    def unwrap(self, wrapped: bytes) -> bytes:
        """The data key inside wrapped; cryptography's InvalidTag under another KEK."""
        return AESGCM(self.kek).decrypt(wrapped[:NONCE_BYTES], wrapped[NONCE_BYTES:], WRAP_AAD)

    def pseudonym(self, agreement_id: str, subject_reference: str) -> str:
        """The subject's pseudonym under one agreement: stable within it, unlinkable across."""
        message = agreement_id.encode() + b"\x00" + _normalised(subject_reference)
        return hmac.new(self.pseudonym_key, message, hashlib.sha256).hexdigest()

    def subject_index(self, subject_reference: str) -> str:
        """A keyed blind index of the subject reference, for subject access and erasure."""
        return hmac.new(
            self.subject_index_key, _normalised(subject_reference), hashlib.sha256
        ).hexdigest()


def decode_kek(encoded: str) -> bytes:
    """The 32-byte key in a base64 string; ValueError saying what is wrong otherwise."""
    try:
        kek = base64.b64decode(encoded.strip(), validate=True)
    except (binascii.Error, ValueError):
        raise ValueError("NLC_INFOSHARE_KEK is not valid base64") from None
    if len(kek) != KEK_BYTES:
        raise ValueError(f"NLC_INFOSHARE_KEK must be base64 of {KEK_BYTES} bytes, not {len(kek)}")
    return kek


def kek_path(settings: Settings) -> Path:
    return settings.home.resolve() / "keys" / "infoshare.kek"


def _generated_kek(path: Path) -> bytes:
    """The key stored at path, generated (readable by the owner only) when missing."""
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        draft = path.with_name(f"{path.name}.{secrets.token_hex(8)}")
        fd = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as out:
            out.write(base64.b64encode(secrets.token_bytes(KEK_BYTES)) + b"\n")
        try:
            # Atomic and never overwrites: a process starting beside this one keeps one key.
            os.link(draft, path)
        except FileExistsError:
            pass
        finally:
            draft.unlink()
    return decode_kek(path.read_text())


def load_keyring(settings: Settings) -> Keyring:
    """The configured KEK (NLC_INFOSHARE_KEK), else the one generated in the data folder."""
    configured = settings.infoshare_kek.get_secret_value()
    if configured:
        return Keyring(decode_kek(configured))
    return Keyring(_generated_kek(kek_path(settings)))
