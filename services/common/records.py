"""Frozen dataclass value objects to and from the plain values of a JSON column."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import fields, is_dataclass
from enum import Enum
from typing import Any, TypeVar

T = TypeVar("T")


def to_record(value: Any) -> Any:
    """value as JSON: dataclasses as dicts of their fields, enums as values, tuples as lists."""
    if is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_record(getattr(value, f.name)) for f in fields(value)}
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, list | tuple):
        return [to_record(v) for v in value]
    return value


def from_record(kind: Callable[..., T], data: dict[str, Any], **convert: Callable[[Any], Any]) -> T:
    """kind built from a JSON dict, passing the fields named in convert through their converter."""
    return kind(**{k: convert[k](v) if k in convert else v for k, v in data.items()})


def from_records(
    kind: Callable[..., T], data: list[dict[str, Any]], **convert: Callable[[Any], Any]
) -> tuple[T, ...]:
    """A tuple of kind built from a JSON list of dicts (see from_record)."""
    return tuple(from_record(kind, d, **convert) for d in data)


def from_row(kind: Callable[..., T], row: Any, **overrides: Any) -> T:
    """A dataclass kind whose fields are read from row's same-named columns, or from overrides."""
    names = [f.name for f in fields(kind)]  # type: ignore[arg-type]
    return kind(**{n: overrides[n] if n in overrides else getattr(row, n) for n in names})
