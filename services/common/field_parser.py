"""Parse a request's fields one by one, then report every bad field together."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from services.common.errors import InvalidArgument, ViolationCollector

T = TypeVar("T")


class FieldParser:
    """Runs request-field parsers, keeping the first violation of each field, then raises them."""

    def __init__(self) -> None:
        self._errors = ViolationCollector()

    def __call__(self, parse: Callable[..., T], *args: Any, **kwargs: Any) -> T | None:
        try:
            return parse(*args, **kwargs)
        except InvalidArgument as exc:
            seen = {v.field for v in self._errors.violations}
            self._errors.violations.extend(v for v in exc.violations if v.field not in seen)
            return None

    def add(self, field: str, description: str) -> None:
        self._errors.add(field, description)

    def check(self) -> None:
        """InvalidArgument naming every bad field seen so far."""
        self._errors.raise_invalid()
