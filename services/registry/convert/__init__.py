"""Views to protobuf resources and event messages, and enum mapping between the two sides."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from enum import StrEnum
from typing import Any, TypeVar

from google.protobuf.internal.enum_type_wrapper import EnumTypeWrapper

from nlc.common.v1 import common_pb2
from services.common.errors import InvalidArgument, ViolationCollector, invalid
from services.common.resource_names import to_timestamp

E = TypeVar("E", bound=StrEnum)
T = TypeVar("T")


def enum_to_proto(value: StrEnum | None, pb_enum: EnumTypeWrapper, prefix: str) -> int:
    """The proto number of a domain enum member (`cso` -> `<prefix>CSO`); 0 for None."""
    return 0 if value is None else pb_enum.Value(prefix + value.value.upper())


def enum_from_proto(
    number: int, pb_enum: EnumTypeWrapper, prefix: str, domain: type[E], *, field: str
) -> E | None:
    """The domain member of a proto number; None for UNSPECIFIED, InvalidArgument if unknown."""
    if number == 0:
        return None
    try:
        return domain(pb_enum.Name(number).removeprefix(prefix).lower())
    except ValueError:
        raise invalid(field, f"{number} is not a known value") from None


def audit_info(view: Any) -> common_pb2.AuditInfo:
    """AuditInfo from a view's created/updated stamps."""
    return common_pb2.AuditInfo(
        create_time=to_timestamp(view.created_at),
        update_time=to_timestamp(view.updated_at),
        created_by=view.created_by,
        updated_by=view.updated_by,
    )


def timestamp_or_none(value: datetime | None) -> Any:
    """A Timestamp for value, None to leave the field unset."""
    return to_timestamp(value) if value is not None else None


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
