"""Jurisdiction tree rules: codes, levels, validity dates, splits and merges with lineage."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum

from services.common.errors import FailedPrecondition, ViolationCollector
from services.common.text import has_control_characters

CODE_PATTERN = re.compile(r"^[A-Z0-9-]{1,32}$")
MAX_DISPLAY_NAME = 200


class Level(StrEnum):
    """A unit's level in the tree; a lower rank is higher up."""

    COUNTRY = "country"
    REGION = "region"
    COUNTY = "county"
    CITY = "city"
    MUNICIPALITY = "municipality"
    DISTRICT = "district"

    @property
    def rank(self) -> int:
        return _RANKS[self]


_RANKS = {
    Level.COUNTRY: 0,
    Level.REGION: 1,
    Level.COUNTY: 2,
    Level.CITY: 3,
    Level.MUNICIPALITY: 3,
    Level.DISTRICT: 3,
}


@dataclass(frozen=True)
class NewPart:
    """Code and display name of a unit created by a split or a merge."""

    code: str
    display_name: str


@dataclass
class Jurisdiction:
    """A place valid from `valid_from` until `valid_to` (inclusive; None while it exists)."""

    id: str
    code: str
    display_name: str
    level: Level
    parent_id: str | None
    valid_from: date
    valid_to: date | None = None
    predecessors: list[str] = field(default_factory=list)
    successors: list[str] = field(default_factory=list)
    version: int = 0

    def is_valid_on(self, day: date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)

    @property
    def retired(self) -> bool:
        return self.valid_to is not None


def check_code(errors: ViolationCollector, code: str, field_path: str) -> None:
    """Upper-case letters, digits and dashes, 1 to 32 characters."""
    if not code:
        errors.add(field_path, "is required")
    elif not CODE_PATTERN.match(code):
        errors.add(field_path, "must be 1-32 upper-case letters, digits or dashes")


def check_display_name(errors: ViolationCollector, name: str, field_path: str) -> None:
    """Non-blank, at most 200 characters."""
    if not name.strip():
        errors.add(field_path, "is required")
    elif len(name) > MAX_DISPLAY_NAME:
        errors.add(field_path, f"must be at most {MAX_DISPLAY_NAME} characters")
    elif has_control_characters(name):
        errors.add(field_path, "must not contain control characters")


def new_jurisdiction(
    *,
    jurisdiction_id: str,
    code: str,
    display_name: str,
    level: Level | None,
    parent: Jurisdiction | None,
    valid_from: date,
    valid_to: date | None,
    prefix: str = "jurisdiction",
) -> Jurisdiction:
    """A new unit under parent; every problem is reported as a violation of `prefix.<field>`."""
    errors = ViolationCollector()
    check_code(errors, code, f"{prefix}.code")
    check_display_name(errors, display_name, f"{prefix}.display_name")
    if level is None:
        errors.add(f"{prefix}.level", "is required")
    elif level is Level.COUNTRY and parent is not None:
        errors.add(f"{prefix}.parent", "a country has no parent")
    elif level is not Level.COUNTRY and parent is None:
        errors.add(f"{prefix}.parent", f"is required for a {level.value}")
    elif parent is not None and parent.level.rank >= level.rank:
        errors.add(
            f"{prefix}.level",
            f"a {level.value} cannot be placed under a {parent.level.value}",
        )
    if parent is not None and parent.valid_to is not None and parent.valid_to < valid_from:
        errors.add(f"{prefix}.parent", f"was retired on {parent.valid_to.isoformat()}")
    if valid_to is not None and valid_to < valid_from:
        errors.add(f"{prefix}.valid_to", "must not be before valid_from")
    errors.raise_invalid("invalid jurisdiction")
    assert level is not None
    return Jurisdiction(
        id=jurisdiction_id,
        code=code,
        display_name=display_name,
        level=level,
        parent_id=parent.id if parent else None,
        valid_from=valid_from,
        valid_to=valid_to,
    )


def rename(unit: Jurisdiction, *, display_name: str | None, code: str | None) -> None:
    """Change the display name and/or code (None leaves a field as it is)."""
    errors = ViolationCollector()
    if display_name is not None:
        check_display_name(errors, display_name, "jurisdiction.display_name")
    if code is not None:
        check_code(errors, code, "jurisdiction.code")
    errors.raise_invalid("invalid jurisdiction")
    if display_name is not None:
        unit.display_name = display_name
    if code is not None:
        unit.code = code


def _check_retirable(unit: Jurisdiction, effective_date: date) -> None:
    if unit.retired:
        raise FailedPrecondition(
            f"jurisdiction {unit.code} is retired (valid to {unit.valid_to}); "
            "only an active unit can be split or merged"
        )
    if effective_date <= unit.valid_from:
        raise FailedPrecondition(
            f"jurisdiction {unit.code} is valid from {unit.valid_from}; "
            "the effective date must be after that"
        )


def _check_parts(errors: ViolationCollector, parts: list[tuple[str, NewPart]]) -> None:
    seen: set[str] = set()
    for path, part in parts:
        check_code(errors, part.code, f"{path}.code")
        check_display_name(errors, part.display_name, f"{path}.display_name")
        if part.code in seen:
            errors.add(f"{path}.code", f"code {part.code} is used twice")
        seen.add(part.code)


def _retire(unit: Jurisdiction, effective_date: date, successors: list[str]) -> None:
    unit.valid_to = effective_date - timedelta(days=1)
    unit.successors = [*unit.successors, *successors]


def split(
    original: Jurisdiction, parts: list[NewPart], effective_date: date, new_ids: list[str]
) -> list[Jurisdiction]:
    """Retire original the day before effective_date and create its parts (>= 2).

    Children of the original are not moved: they keep pointing at the retired unit until an
    administrator re-parents them, because only people know which part each child belongs to.
    """
    errors = ViolationCollector()
    errors.require(len(parts) >= 2, "parts", "a split needs at least two parts")
    _check_parts(errors, [(f"parts[{i}]", p) for i, p in enumerate(parts)])
    errors.raise_invalid("invalid split")
    _check_retirable(original, effective_date)
    created = [
        Jurisdiction(
            id=new_id,
            code=part.code,
            display_name=part.display_name,
            level=original.level,
            parent_id=original.parent_id,
            valid_from=effective_date,
            predecessors=[original.id],
        )
        for new_id, part in zip(new_ids, parts, strict=True)
    ]
    _retire(original, effective_date, [p.id for p in created])
    return created


def merge(
    units: list[Jurisdiction], merged: NewPart, effective_date: date, new_id: str
) -> Jurisdiction:
    """Retire units (>= 2, same parent and level) the day before effective_date into a new one."""
    errors = ViolationCollector()
    ids = [u.id for u in units]
    errors.require(len(units) >= 2, "names", "a merge needs at least two units")
    errors.require(len(set(ids)) == len(ids), "names", "a unit is named twice")
    _check_parts(errors, [("merged", merged)])
    first = units[0] if units else None
    for i, unit in enumerate(units):
        if first and (unit.parent_id != first.parent_id or unit.level is not first.level):
            errors.add(f"names[{i}]", f"{unit.code} is not under the same parent at the same level")
    errors.raise_invalid("invalid merge")
    assert first is not None
    for unit in units:
        _check_retirable(unit, effective_date)
    result = Jurisdiction(
        id=new_id,
        code=merged.code,
        display_name=merged.display_name,
        level=first.level,
        parent_id=first.parent_id,
        valid_from=effective_date,
        predecessors=ids,
    )
    for unit in units:
        _retire(unit, effective_date, [new_id])
    return result
