"""The audit chain's links: an intact chain verifies, and any alteration, removal or reordering
is found at the first entry it breaks."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone

from services.infoshare.domain.chain import (
    GENESIS_HASH,
    GENESIS_HEAD,
    HEAD_ALTERED,
    ChainEntry,
    ChainHead,
    Decision,
    StoredLink,
    link_hash,
    verify,
)

KEY = b"k" * 32
START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def _entry(n: int) -> ChainEntry:
    return ChainEntry(
        occurred_at=START + timedelta(minutes=n),
        actor_sub=f"user-{n}",
        actor_username="sharer",
        actor_org_id="org-1",
        token_id=f"jti-{n}",
        action="share.fetch",
        resource=f"shares/{n}",
        decision=Decision.ALLOWED if n % 2 else Decision.DENIED,
        purpose="safeguarding-referral",
        agreement_version="agreements/a/versions/1",
        reason="" if n % 2 else "purpose mismatch",
    )


def _chain(length: int, key: bytes = KEY) -> list[StoredLink]:
    links, previous = [], GENESIS_HASH
    for sequence in range(1, length + 1):
        entry = _entry(sequence)
        linked = link_hash(key, previous, sequence, entry)
        links.append(StoredLink(sequence, entry, previous, linked))
        previous = linked
    return links


def _head(links: list[StoredLink], key: bytes = KEY) -> ChainHead:
    return ChainHead.sealed(key, links[-1].sequence, links[-1].hash) if links else GENESIS_HEAD


def test_an_intact_chain_verifies_and_counts_its_entries() -> None:
    links = _chain(5)

    verdict = verify(KEY, links, _head(links))

    assert (verdict.intact, verdict.records_checked, verdict.first_broken_sequence) == (True, 5, 0)


def test_an_empty_chain_is_intact() -> None:
    assert verify(KEY, [], GENESIS_HEAD).intact
    assert verify(KEY, [], ChainHead.sealed(KEY, 0, GENESIS_HASH)).intact


def test_the_hash_covers_every_field_the_sequence_and_the_previous_hash() -> None:
    entry = _entry(1)
    base = link_hash(KEY, GENESIS_HASH, 1, entry)
    changed = {
        "occurred_at": START + timedelta(microseconds=1),
        "actor_sub": "x",
        "actor_username": "x",
        "actor_org_id": "x",
        "token_id": "x",
        "action": "share.send",
        "resource": "shares/x",
        "decision": Decision.MINIMISED,
        "purpose": "x",
        "agreement_version": "x",
        "reason": "x",
    }
    for field, value in changed.items():
        assert link_hash(KEY, GENESIS_HASH, 1, replace(entry, **{field: value})) != base, field
    assert link_hash(KEY, GENESIS_HASH, 2, entry) != base
    assert link_hash(KEY, "1" * 64, 1, entry) != base
    assert link_hash(b"j" * 32, GENESIS_HASH, 1, entry) != base


def test_the_same_instant_in_another_time_zone_links_the_same() -> None:
    entry = _entry(1)
    elsewhere = replace(
        entry, occurred_at=entry.occurred_at.astimezone(timezone(timedelta(hours=2)))
    )

    assert link_hash(KEY, GENESIS_HASH, 1, elsewhere) == link_hash(KEY, GENESIS_HASH, 1, entry)


def test_an_altered_entry_is_the_first_broken() -> None:
    links = _chain(6)
    denied = links[3].entry
    links[3] = replace(links[3], entry=replace(denied, decision=Decision.ALLOWED, reason=""))

    verdict = verify(KEY, links, _head(links))

    assert not verdict.intact
    assert verdict.first_broken_sequence == 4
    assert "hash" in verdict.problem


def test_an_entry_rehashed_without_the_key_still_breaks() -> None:
    links = _chain(4)
    forged = replace(links[1].entry, reason="nothing happened")
    links[1] = replace(
        links[1], entry=forged, hash=link_hash(b"guess" * 7, links[0].hash, 2, forged)
    )

    assert verify(KEY, links, _head(links)).first_broken_sequence == 2


def test_a_removed_middle_entry_is_reported_at_its_sequence() -> None:
    links = _chain(6)
    head = _head(links)
    del links[2]

    verdict = verify(KEY, links, head)

    assert not verdict.intact
    assert verdict.first_broken_sequence == 3
    assert "missing" in verdict.problem


def test_removed_entries_renumbered_to_close_the_gap_still_break() -> None:
    links = _chain(6)
    renumbered = links[:2] + [replace(link, sequence=link.sequence - 1) for link in links[3:]]

    verdict = verify(KEY, renumbered, ChainHead.sealed(KEY, 5, links[-1].hash))

    assert verdict.first_broken_sequence == 3


def test_a_removed_tail_is_found_through_the_head() -> None:
    links = _chain(6)
    head = _head(links)

    verdict = verify(KEY, links[:4], head)

    assert not verdict.intact
    assert verdict.first_broken_sequence == 5
    assert "end" in verdict.problem


def test_entries_appended_past_the_head_break() -> None:
    links = _chain(6)

    verdict = verify(KEY, links, _head(links[:4]))

    assert (verdict.intact, verdict.first_broken_sequence) == (False, 5)


def test_reordered_entries_break_at_the_first_moved() -> None:
    links = _chain(6)
    swapped = [
        replace(links[3], sequence=3),
        replace(links[2], sequence=4),
    ]
    reordered = links[:2] + swapped + links[4:]

    verdict = verify(KEY, reordered, _head(links))

    assert (verdict.intact, verdict.first_broken_sequence) == (False, 3)


def test_a_chain_checked_under_another_key_breaks_at_the_first_entry() -> None:
    links = _chain(3)

    assert verify(b"other" * 7, links, _head(links, b"other" * 7)).first_broken_sequence == 1


def test_a_head_wound_back_over_a_removed_tail_breaks_after_the_last_entry() -> None:
    links = _chain(6)
    sealed = _head(links)
    survivors = links[:5]
    rewound = ChainHead(5, links[4].hash, sealed.seal)

    for head in (rewound, ChainHead(5, links[4].hash), replace(rewound, seal="0" * 64)):
        verdict = verify(KEY, survivors, head)
        assert (verdict.intact, verdict.first_broken_sequence) == (False, 6)
        assert verdict.problem == HEAD_ALTERED


def test_a_head_sealed_under_another_key_or_an_unsealed_genesis_with_entries_breaks() -> None:
    links = _chain(3)

    assert verify(KEY, links, _head(links, b"j" * 32)).problem == HEAD_ALTERED
    assert verify(KEY, [], ChainHead(0, GENESIS_HASH, "f" * 64)).problem == HEAD_ALTERED
    assert verify(KEY, links, GENESIS_HEAD).first_broken_sequence == 1
