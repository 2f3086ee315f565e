"""Coordination body rules: chairs, members, terms of reference and sector coverage."""

from __future__ import annotations

from dataclasses import replace

import pytest

from services.common.auth import Principal, Role
from services.common.errors import InvalidArgument
from services.registry.domain.bodies import (
    BodyContent,
    BodyKind,
    Chair,
    MandateItem,
    MeetingCadence,
    Member,
    check_content,
    may_edit,
    sector_coverage,
)
from services.registry.domain.organisations import Sector

CITY = "0b1c7a52-0000-4000-8000-000000000002"


def body(**changes: object) -> BodyContent:
    base = BodyContent(
        display_name="Riverton Local Prevention Network",
        kind=BodyKind.LOCAL_PREVENTION_NETWORK,
        mandate_items=(MandateItem.MAP_THREATS, MandateItem.WRITE_ACTION_PLAN),
        decision_making="Consensus; the chair decides when none is reached.",
        communication="Minutes shared within a week.",
        chairs=(Chair("Ana Petrova", CITY, "Deputy Mayor"),),
        members=(Member(Sector.POLICE), Member(Sector.EDUCATION), Member(Sector.EDUCATION)),
        meeting_cadence=MeetingCadence.MONTHLY,
        established_on=None,
    )
    return replace(base, **changes)


def fields(exc: pytest.ExceptionInfo[InvalidArgument]) -> set[str]:
    return {v.field for v in exc.value.violations}


def test_a_complete_body_is_valid() -> None:
    check_content(body())


def test_one_to_three_chairs_each_named() -> None:
    check_content(body(chairs=(Chair("A"), Chair("B"))))
    with pytest.raises(InvalidArgument) as exc:
        check_content(body(chairs=()))
    assert fields(exc) == {"coordination_body.chairs"}
    with pytest.raises(InvalidArgument) as exc:
        check_content(body(chairs=(Chair("A"), Chair(""), Chair("C"), Chair("D"))))
    assert fields(exc) == {"coordination_body.chairs", "coordination_body.chairs[1].person_name"}


def test_every_problem_is_reported_with_its_field() -> None:
    bad = body(
        display_name=" ",
        kind=None,
        mandate_items=(MandateItem.MAP_THREATS, MandateItem.MAP_THREATS, None),
        members=(Member(Sector.POLICE), Member(None)),
        meeting_cadence=None,
    )
    with pytest.raises(InvalidArgument) as exc:
        check_content(bad)
    assert fields(exc) == {
        "coordination_body.display_name",
        "coordination_body.kind",
        "coordination_body.terms_of_reference.mandate_items",
        "coordination_body.terms_of_reference.mandate_items[2]",
        "coordination_body.members[1].sector",
        "coordination_body.meeting_cadence",
    }


def test_coverage_counts_members_and_lists_missing_expected_sectors() -> None:
    coverage = sector_coverage((*body().members, Member(Sector.MEDIA)))
    assert coverage.present == ((Sector.POLICE, 1), (Sector.EDUCATION, 2), (Sector.MEDIA, 1))
    assert coverage.missing == (
        Sector.LOCAL_GOVERNMENT,
        Sector.HEALTH,
        Sector.SOCIAL_SERVICES,
        Sector.YOUTH,
        Sector.CIVIL_SOCIETY,
        Sector.FAITH_COMMUNITY,
    )


def test_an_empty_body_misses_every_expected_sector() -> None:
    assert len(sector_coverage(()).missing) == 8


def test_city_officers_edit_only_their_own_bodies() -> None:
    officer = Principal("u1", "officer", frozenset({Role.CITY_OFFICER}), CITY)
    assert may_edit(officer, CITY)
    assert not may_edit(officer, "another-org")
    admin = Principal("u2", "admin", frozenset({Role.PLATFORM_ADMIN}), None)
    assert may_edit(admin, CITY)
