"""Table cells as people type them, read back as values: blank, text, dates and lists."""

from __future__ import annotations

import math
from datetime import date, datetime
from typing import Any

import pandas as pd

LIST_SEPARATOR = ";"


def blank(value: Any) -> bool:
    """Whether a table cell holds nothing (None, NaN, NaT or empty text)."""
    if value is None or value is pd.NaT:
        return True
    if isinstance(value, float):
        return math.isnan(value)
    return isinstance(value, str) and not value.strip()


def iso(value: Any) -> str:
    """A date cell as ISO text; empty when blank."""
    if blank(value):
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    return value.isoformat() if isinstance(value, date) else str(value).strip()


def day(text: str) -> date | None:
    """ISO text as a date for a date widget; None when empty."""
    return date.fromisoformat(text) if text else None


def text(value: Any) -> str:
    return "" if blank(value) else str(value).strip()


def split(value: Any) -> list[str]:
    """'a; b;' -> ['a', 'b']."""
    return [part.strip() for part in text(value).split(LIST_SEPARATOR) if part.strip()]


def filled(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """The table's rows that hold anything."""
    rows = frame.to_dict("records")
    return [row for row in rows if not all(blank(v) for v in row.values())]


def lines(value: str) -> list[str]:
    """One entry per non-empty line."""
    return [line.strip() for line in value.splitlines() if line.strip()]
