"""The tamper-evident audit chain: each entry's hash is an HMAC over its content and the hash
before it, so altering, inserting or removing a row breaks every link after it; the head naming
the last entry is sealed by an HMAC too, so it cannot be wound back over removed entries."""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Iterable
from dataclasses import dataclass
from dataclasses import fields as dataclass_fields
from datetime import UTC, datetime
from enum import StrEnum


class Decision(StrEnum):
    ALLOWED = "allowed"
    MINIMISED = "minimised"
    DENIED = "denied"
    # Not an access decision: an agreement step, an erasure, a training attestation.
    RECORDED = "recorded"


@dataclass(frozen=True)
class ChainEntry:
    """One decision or read, before it is linked into the chain. Never holds share content."""

    occurred_at: datetime
    actor_sub: str
    actor_username: str
    actor_org_id: str
    token_id: str
    action: str
    resource: str
    decision: Decision
    purpose: str = ""
    agreement_version: str = ""
    reason: str = ""


GENESIS_HASH = "0" * 64
HEAD_ALTERED = "the chain head was altered"


def head_seal(key: bytes, sequence: int, head_hash: str) -> str:
    """HMAC-SHA256 (hex) of the head's sequence and hash."""
    message = f"nlc-infoshare chain head\x00{sequence}\x00{head_hash}".encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class ChainHead:
    """The last entry's sequence and hash, and their seal. The migration writes the genesis
    head unsealed (it has no key); the first append seals it."""

    sequence: int
    hash: str
    seal: str = ""

    @classmethod
    def sealed(cls, key: bytes, sequence: int, head_hash: str) -> ChainHead:
        """The head naming sequence and head_hash, sealed under key."""
        return cls(sequence, head_hash, head_seal(key, sequence, head_hash))

    def is_genuine(self, key: bytes) -> bool:
        """Whether the seal vouches for sequence and hash (the unsealed genesis head does)."""
        if (self.sequence, self.hash, self.seal) == (0, GENESIS_HASH, ""):
            return True
        return hmac.compare_digest(self.seal, head_seal(key, self.sequence, self.hash))


GENESIS_HEAD = ChainHead(0, GENESIS_HASH)


@dataclass(frozen=True)
class StoredLink:
    """An entry as stored: its place in the chain and the hashes linking it."""

    sequence: int
    entry: ChainEntry
    previous_hash: str
    hash: str


@dataclass(frozen=True)
class ChainVerdict:
    """What a verification found: intact, or the first entry that no longer links."""

    intact: bool
    records_checked: int
    first_broken_sequence: int = 0
    problem: str = ""


def _iso_utc(at: datetime) -> str:
    aware = at if at.tzinfo else at.replace(tzinfo=UTC)
    return aware.astimezone(UTC).isoformat(timespec="microseconds")


def link_hash(key: bytes, previous_hash: str, sequence: int, entry: ChainEntry) -> str:
    """HMAC-SHA256 (hex) over the entry's canonical JSON, its sequence and the previous hash."""
    fields = {f.name: getattr(entry, f.name) for f in dataclass_fields(entry)}
    fields["occurred_at"] = _iso_utc(entry.occurred_at)
    fields["decision"] = str(entry.decision)
    fields["sequence"] = sequence
    fields["previous_hash"] = previous_hash
    canonical = json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hmac.new(key, canonical.encode(), hashlib.sha256).hexdigest()


class ChainWalk:
    """Checks stored links one at a time from the genesis, so a long chain need not fit in
    memory: `step` each row in sequence order, then `finish` with the head."""

    def __init__(self, key: bytes) -> None:
        self.key = key
        self.checked = 0
        self.last_sequence = 0
        self.last_hash = GENESIS_HASH

    def step(self, row: StoredLink) -> ChainVerdict | None:
        """None while the chain holds; the verdict at the first row that breaks it."""
        self.checked += 1
        expected = self.last_sequence + 1
        if row.sequence != expected:
            return self._broken(expected, "entry {n} is missing")
        if row.previous_hash != self.last_hash:
            return self._broken(row.sequence, "entry {n} does not link to the entry before it")
        recomputed = link_hash(self.key, self.last_hash, row.sequence, row.entry)
        if not hmac.compare_digest(row.hash, recomputed):
            return self._broken(
                row.sequence, "entry {n} was altered: its content no longer matches its hash"
            )
        self.last_sequence, self.last_hash = row.sequence, row.hash
        return None

    def finish(self, head: ChainHead) -> ChainVerdict:
        """The verdict once every row was stepped: the head, genuinely sealed, must name the
        last one. A head rewritten without the key breaks the chain after the last entry."""
        if not head.is_genuine(self.key):
            return self._broken(self.last_sequence + 1, HEAD_ALTERED)
        head_sequence, head_hash = head.sequence, head.hash
        if head_sequence > self.last_sequence:
            return self._broken(
                self.last_sequence + 1, "entries from {n} on are missing from the end of the chain"
            )
        if head_sequence < self.last_sequence:
            return self._broken(
                head_sequence + 1, "entries from {n} on were added past the chain's head"
            )
        if head_hash != self.last_hash:
            return self._broken(head_sequence, "the chain's head does not match entry {n}")
        return ChainVerdict(intact=True, records_checked=self.checked)

    def _broken(self, sequence: int, problem: str) -> ChainVerdict:
        """The verdict that the chain breaks at sequence; problem names it as {n}."""
        return ChainVerdict(
            intact=False,
            records_checked=self.checked,
            first_broken_sequence=sequence,
            problem=problem.format(n=sequence),
        )


def verify(key: bytes, rows: Iterable[StoredLink], head: ChainHead) -> ChainVerdict:
    """Walk rows in sequence order from the genesis; the first altered, missing or out-of-place
    entry breaks the chain, and so does a head that is not sealed or does not name the last row."""
    walk = ChainWalk(key)
    for row in rows:
        broken = walk.step(row)
        if broken is not None:
            return broken
    return walk.finish(head)
