"""Jurisdiction tree rules: codes, levels, dates, splits and merges."""

from __future__ import annotations

from datetime import date

import pytest

from services.common.errors import FailedPrecondition, InvalidArgument
from services.registry.domain.jurisdictions import (
    Jurisdiction,
    Level,
    NewPart,
    merge,
    new_jurisdiction,
    rename,
    split,
)

START = date(2020, 1, 1)


def unit(uid: str, code: str, level: Level, parent: str | None = None) -> Jurisdiction:
    return Jurisdiction(uid, code, code.title(), level, parent, START)


def fields(exc: pytest.ExceptionInfo[InvalidArgument]) -> set[str]:
    return {v.field for v in exc.value.violations}


def create(**overrides):
    args = {
        "jurisdiction_id": "j1",
        "code": "RV-NORTH-01",
        "display_name": "Riverland North",
        "level": Level.COUNTY,
        "parent": unit("c", "RV", Level.COUNTRY),
        "valid_from": START,
        "valid_to": None,
    }
    return new_jurisdiction(**{**args, **overrides})


def test_a_county_under_a_country_skips_a_level() -> None:
    county = create()
    assert (county.parent_id, county.level, county.valid_to) == ("c", Level.COUNTY, None)


@pytest.mark.parametrize("code", ["", "rv", "RV_1", "A" * 33, "RV 1", "É"])
def test_bad_codes_are_refused(code: str) -> None:
    with pytest.raises(InvalidArgument) as exc:
        create(code=code)
    assert fields(exc) == {"jurisdiction.code"}


def test_every_problem_is_reported_at_once() -> None:
    with pytest.raises(InvalidArgument) as exc:
        create(code="x", display_name=" ", valid_to=date(2019, 1, 1))
    assert fields(exc) == {
        "jurisdiction.code",
        "jurisdiction.display_name",
        "jurisdiction.valid_to",
    }


def test_a_child_must_sit_below_its_parent() -> None:
    with pytest.raises(InvalidArgument) as exc:
        create(level=Level.REGION, parent=unit("k", "K", Level.COUNTY))
    assert fields(exc) == {"jurisdiction.level"}
    with pytest.raises(InvalidArgument):
        create(level=Level.CITY, parent=unit("d", "D", Level.DISTRICT))


def test_a_country_has_no_parent_and_others_need_one() -> None:
    with pytest.raises(InvalidArgument) as exc:
        create(level=Level.COUNTRY)
    assert fields(exc) == {"jurisdiction.parent"}
    with pytest.raises(InvalidArgument) as exc:
        create(parent=None)
    assert fields(exc) == {"jurisdiction.parent"}
    assert create(level=Level.COUNTRY, parent=None).parent_id is None


def test_level_is_required() -> None:
    with pytest.raises(InvalidArgument) as exc:
        create(level=None)
    assert fields(exc) == {"jurisdiction.level"}


def test_rename_checks_and_changes_only_given_fields() -> None:
    county = create()
    rename(county, display_name="North", code=None)
    assert (county.display_name, county.code) == ("North", "RV-NORTH-01")
    with pytest.raises(InvalidArgument):
        rename(county, display_name="", code="bad code")


def test_split_retires_the_original_and_links_parts() -> None:
    original = unit("o", "OLD", Level.CITY, parent="k")
    parts = split(
        original, [NewPart("NEW-A", "A"), NewPart("NEW-B", "B")], date(2026, 7, 1), ["a", "b"]
    )
    assert original.valid_to == date(2026, 6, 30)
    assert original.successors == ["a", "b"]
    assert [(p.parent_id, p.level, p.valid_from, p.predecessors) for p in parts] == [
        ("k", Level.CITY, date(2026, 7, 1), ["o"])
    ] * 2


def test_split_needs_two_distinct_valid_parts() -> None:
    original = unit("o", "OLD", Level.CITY, parent="k")
    with pytest.raises(InvalidArgument) as exc:
        split(original, [NewPart("A", "A")], date(2026, 7, 1), ["a"])
    assert fields(exc) == {"parts"}
    with pytest.raises(InvalidArgument) as exc:
        split(original, [NewPart("A", "A"), NewPart("A", "")], date(2026, 7, 1), ["a", "b"])
    assert fields(exc) == {"parts[1].code", "parts[1].display_name"}
    assert original.valid_to is None


def test_a_retired_unit_cannot_be_split_again() -> None:
    original = unit("o", "OLD", Level.CITY, parent="k")
    split(original, [NewPart("A", "A"), NewPart("B", "B")], date(2026, 7, 1), ["a", "b"])
    with pytest.raises(FailedPrecondition, match="retired"):
        split(original, [NewPart("C", "C"), NewPart("D", "D")], date(2027, 1, 1), ["c", "d"])


def test_effective_date_must_follow_valid_from() -> None:
    original = unit("o", "OLD", Level.CITY, parent="k")
    with pytest.raises(FailedPrecondition, match="effective date"):
        split(original, [NewPart("A", "A"), NewPart("B", "B")], START, ["a", "b"])


def test_merge_retires_every_unit_and_links_both_ways() -> None:
    units = [unit("a", "A", Level.CITY, "k"), unit("b", "B", Level.CITY, "k")]
    merged = merge(units, NewPart("AB", "A and B"), date(2026, 1, 1), "ab")
    assert merged.predecessors == ["a", "b"]
    assert (merged.parent_id, merged.level) == ("k", Level.CITY)
    assert all(u.successors == ["ab"] and u.valid_to == date(2025, 12, 31) for u in units)


def test_merge_refuses_units_under_different_parents() -> None:
    units = [unit("a", "A", Level.CITY, "k"), unit("b", "B", Level.CITY, "other")]
    with pytest.raises(InvalidArgument) as exc:
        merge(units, NewPart("AB", "AB"), date(2026, 1, 1), "ab")
    assert fields(exc) == {"names[1]"}


def test_merge_needs_two_different_units() -> None:
    a = unit("a", "A", Level.CITY, "k")
    with pytest.raises(InvalidArgument) as exc:
        merge([a, a], NewPart("AB", "AB"), date(2026, 1, 1), "ab")
    assert fields(exc) == {"names"}
    with pytest.raises(InvalidArgument):
        merge([a], NewPart("AB", "AB"), date(2026, 1, 1), "ab")


def test_control_characters_in_names_are_refused() -> None:
    with pytest.raises(InvalidArgument) as exc:
        create(display_name="North\x00")
    assert fields(exc) == {"jurisdiction.display_name"}
