"""Pure registry rules: entities, value objects and state machines (no I/O)."""

from __future__ import annotations

import unicodedata

_LINE_BREAKS = frozenset("\n\r\t")


def has_control_characters(text: str, *, multiline: bool = False) -> bool:
    """True when text holds control characters (NUL, escapes...); multiline allows \\n \\r \\t."""
    return any(
        unicodedata.category(c) == "Cc" and not (multiline and c in _LINE_BREAKS) for c in text
    )
