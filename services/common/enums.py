"""Domain string enums to and from stored strings and protobuf enum numbers."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import Generic, TypeVar

from google.protobuf.internal.enum_type_wrapper import EnumTypeWrapper

from services.common.errors import invalid

E = TypeVar("E", bound=StrEnum)


def enum_values(members: Iterable[StrEnum | None]) -> list[str]:
    """The stored strings of enum members."""
    return [str(m) for m in members]


def enum_tuple(kind: type[E]) -> Callable[[Iterable[str]], tuple[E, ...]]:
    """A converter of stored strings back to a tuple of kind's members."""
    return lambda values: tuple(kind(v) for v in values)


def optional_enum(kind: type[E], value: str | None) -> E | None:
    """kind's member for a stored string, None for NULL or empty."""
    return kind(value) if value else None


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


@dataclass(frozen=True)
class ProtoEnum(Generic[E]):
    """How a domain enum maps to a protobuf enum: member `cso` is number `<prefix>CSO`."""

    pb_enum: EnumTypeWrapper
    prefix: str
    domain: type[E]

    def to_proto(self, value: E | None) -> int:
        """The proto number of value; 0 (UNSPECIFIED) for None."""
        return enum_to_proto(value, self.pb_enum, self.prefix)

    def from_proto(self, number: int, *, field: str) -> E | None:
        """The member of number; None for UNSPECIFIED, InvalidArgument naming field if unknown."""
        return enum_from_proto(number, self.pb_enum, self.prefix, self.domain, field=field)
