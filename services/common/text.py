"""Checks on free text every service applies before storing it."""

from __future__ import annotations

import unicodedata

from services.common.errors import invalid

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


MAX_REASON = 2_000


def check_reason(reason: str, field: str = "reason", *, required: bool = True) -> str:
    """A free-text reason or note, stripped; InvalidArgument naming field when it is required and
    empty, too long or not plain text."""
    text = reason.strip()
    if required and not text:
        raise invalid(field, "is required: say why")
    problem = text_problem(text, MAX_REASON)
    if problem:
        raise invalid(field, problem)
    return text
