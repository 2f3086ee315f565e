"""Envelope encryption, key wrapping, pseudonyms and loading the key-encryption key."""

from __future__ import annotations

import base64
import stat
from pathlib import Path

import pytest
from cryptography.exceptions import InvalidTag

from services.common.config import load_settings
from services.infoshare.crypto.envelope import new_data_key, seal, unseal
from services.infoshare.crypto.keyring import Keyring, load_keyring

KEK = bytes(range(32))
OTHER_KEK = bytes(range(1, 33))


def test_sealed_content_opens_only_with_its_key_and_aad() -> None:
    dek = new_data_key()
    nonce, ciphertext = seal(dek, b"Jane Doe, 12 Elm Street", b"share-1:1")

    assert len(dek) == 32 and len(nonce) == 12
    assert b"Jane" not in ciphertext
    assert unseal(dek, nonce, ciphertext, b"share-1:1") == b"Jane Doe, 12 Elm Street"
    with pytest.raises(InvalidTag):
        unseal(dek, nonce, ciphertext, b"share-1:2")
    with pytest.raises(InvalidTag):
        unseal(new_data_key(), nonce, ciphertext, b"share-1:1")


def test_the_same_content_seals_differently_each_time() -> None:
    dek = new_data_key()

    assert seal(dek, b"same", b"a") != seal(dek, b"same", b"a")
    assert new_data_key() != new_data_key()


def test_a_wrapped_data_key_unwraps_only_under_the_same_kek() -> None:
    dek = new_data_key()
    wrapped = Keyring(KEK).wrap(dek)

    assert dek not in wrapped
    assert Keyring(KEK).unwrap(wrapped) == dek
    with pytest.raises(InvalidTag):
        Keyring(OTHER_KEK).unwrap(wrapped)


def test_pseudonyms_are_stable_within_an_agreement_and_differ_across() -> None:
    keys = Keyring(KEK)
    first = keys.pseudonym("agreement-a", "CASE-123")

    assert first == keys.pseudonym("agreement-a", "  case-123 ")
    assert first != keys.pseudonym("agreement-b", "CASE-123")
    assert first != keys.pseudonym("agreement-a", "CASE-124")
    assert first != Keyring(OTHER_KEK).pseudonym("agreement-a", "CASE-123")
    assert len(first) == 64 and "case" not in first.lower()


def test_the_subject_index_matches_one_subject_and_is_not_a_pseudonym() -> None:
    keys = Keyring(KEK)

    assert keys.subject_index("CASE-123") == keys.subject_index("case-123 ")
    assert keys.subject_index("CASE-123") != keys.subject_index("CASE-124")
    assert keys.subject_index("CASE-123") not in {
        keys.pseudonym("", "CASE-123"),
        keys.pseudonym("agreement-a", "CASE-123"),
    }


def test_keys_derived_for_each_use_differ_and_are_not_shown() -> None:
    keys = Keyring(KEK)

    assert len({keys.kek, keys.chain_key, keys.pseudonym_key, keys.subject_index_key}) == 4
    assert len(keys.kek_id) == 16
    assert keys.kek_id != Keyring(OTHER_KEK).kek_id
    assert KEK.hex() not in repr(keys) and str(list(KEK)) not in repr(keys)


def test_a_configured_kek_is_used_and_never_shown(tmp_path: Path) -> None:
    encoded = base64.b64encode(KEK).decode()
    settings = load_settings(home=tmp_path, infoshare_kek=encoded)

    assert load_keyring(settings) == Keyring(KEK)
    assert not (tmp_path / "keys").exists()
    assert encoded not in repr(settings) and encoded not in str(settings)
    assert encoded not in settings.model_dump_json()


@pytest.mark.parametrize(
    "configured", ["not base64!", base64.b64encode(b"short").decode(), base64.b64encode(KEK * 2)]
)
def test_a_configured_kek_of_the_wrong_shape_is_refused_clearly(
    tmp_path: Path, configured: str | bytes
) -> None:
    text = configured.decode() if isinstance(configured, bytes) else configured
    settings = load_settings(home=tmp_path, infoshare_kek=text)

    with pytest.raises(ValueError, match="NLC_INFOSHARE_KEK"):
        load_keyring(settings)


def test_without_configuration_a_kek_is_generated_once_for_the_owner_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("NLC_INFOSHARE_KEK", raising=False)
    settings = load_settings(home=tmp_path)

    first = load_keyring(settings)
    again = load_keyring(settings)
    stored = tmp_path / "keys" / "infoshare.kek"

    assert first == again
    assert stat.S_IMODE(stored.stat().st_mode) == 0o600
    assert [p.name for p in stored.parent.iterdir()] == ["infoshare.kek"]
    assert first != load_keyring(load_settings(home=tmp_path / "elsewhere"))
