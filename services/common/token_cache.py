"""A bounded LRU of already-verified access tokens, so repeat calls skip the RSA check."""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable
from typing import Generic, TypeVar

from services.common.errors import Unauthenticated

T = TypeVar("T")


class VerifiedTokens(Generic[T]):
    """Maps an exact token string to its verified result until exp + leeway or max_age_s."""

    def __init__(
        self,
        *,
        max_size: int = 1024,
        max_age_s: float = 60.0,
        leeway_s: float = 0.0,
        clock: Callable[[], float] = time.time,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.max_size = max_size
        self.max_age_s = max_age_s
        self.leeway_s = leeway_s
        self._clock = clock
        self._monotonic = monotonic
        self._entries: OrderedDict[str, tuple[T, float, float]] = OrderedDict()

    def __len__(self) -> int:
        return len(self._entries)

    def get(self, token: str) -> T | None:
        """The cached result, None if unknown or stale; Unauthenticated once it has expired."""
        entry = self._entries.get(token)
        if entry is None:
            return None
        value, exp, stored_at = entry
        if self._clock() > exp + self.leeway_s:
            del self._entries[token]
            raise Unauthenticated("token expired")
        if self._monotonic() - stored_at > self.max_age_s:
            del self._entries[token]
            return None
        self._entries.move_to_end(token)
        return value

    def put(self, token: str, value: T, exp: float) -> None:
        """Remember value for token (expiring at exp), evicting the least recently used."""
        self._entries[token] = (value, exp, self._monotonic())
        self._entries.move_to_end(token)
        while len(self._entries) > self.max_size:
            self._entries.popitem(last=False)
