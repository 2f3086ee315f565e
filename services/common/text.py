"""Checks on free text every service applies before storing it."""

from __future__ import annotations

import unicodedata

_LINE_BREAKS = frozenset("\n\r\t")


def has_control_characters(text: str, *, multiline: bool = False) -> bool:
    """True when text holds control characters (NUL, escapes...); multiline allows \\n \\r \\t."""
    return any(
        unicodedata.category(c) == "Cc" and not (multiline and c in _LINE_BREAKS) for c in text
    )


def text_problem(text: str, limit: int) -> str | None:
    """Why text is not acceptable free text (too long, or control characters), or None."""
    if len(text) > limit:
        return f"must be at most {limit} characters"
    if has_control_characters(text, multiline=True):
        return "must not contain control characters"
    return None
