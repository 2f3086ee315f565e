"""Coordination bodies: terms of reference, chairs, members by sector, sector coverage."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from services.common.auth import Principal, Role
from services.common.errors import ViolationCollector
from services.registry.domain.organisations import Sector


class BodyKind(StrEnum):
    LOCAL_PREVENTION_NETWORK = "local_prevention_network"
    COUNTY_ENGAGEMENT_FORUM = "county_engagement_forum"
    COMMUNITY_ACTION_TEAM = "community_action_team"
    SAFETY_HOUSE = "safety_house"
    SITUATION_TABLE = "situation_table"
    TOWN_COORDINATION_COMMITTEE = "town_coordination_committee"
    OTHER = "other"


class MandateItem(StrEnum):
    """What the terms of reference give the body to do."""

    MAP_THREATS = "map_threats"
    WRITE_ACTION_PLAN = "write_action_plan"
    SCOPE_CAPACITIES = "scope_capacities"
    MAP_STAKEHOLDERS = "map_stakeholders"
    COORDINATE_NATIONALLY_AND_LOCALLY = "coordinate_nationally_and_locally"
    MONITOR_AND_EVALUATE = "monitor_and_evaluate"


class MeetingCadence(StrEnum):
    WEEKLY = "weekly"
    FORTNIGHTLY = "fortnightly"
    MONTHLY = "monthly"
    QUARTERLY = "quarterly"
    AS_NEEDED = "as_needed"


EXPECTED_SECTORS = (
    Sector.LOCAL_GOVERNMENT,
    Sector.POLICE,
    Sector.EDUCATION,
    Sector.HEALTH,
    Sector.SOCIAL_SERVICES,
    Sector.YOUTH,
    Sector.CIVIL_SOCIETY,
    Sector.FAITH_COMMUNITY,
)
EDITABLE_FIELDS = (
    "display_name",
    "kind",
    "terms_of_reference",
    "chairs",
    "members",
    "meeting_cadence",
    "established_on",
)
EDITOR_ROLES = (Role.NATIONAL_ADMIN, Role.PLATFORM_ADMIN)
NAME_LEN, TEXT_LEN, MAX_CHAIRS, MAX_MEMBERS = 200, 2000, 3, 300


@dataclass(frozen=True)
class Chair:
    """A chair or co-chair of a body."""

    person_name: str
    organisation_id: str | None = None
    role_title: str = ""


@dataclass(frozen=True)
class Member:
    """A member of a body, counted under its sector."""

    sector: Sector | None
    organisation_id: str | None = None
    person_name: str = ""
    role_title: str = ""


@dataclass(frozen=True)
class BodyContent:
    """What a convener states about a body."""

    display_name: str
    kind: BodyKind | None
    mandate_items: tuple[MandateItem | None, ...]
    decision_making: str
    communication: str
    chairs: tuple[Chair, ...]
    members: tuple[Member, ...]
    meeting_cadence: MeetingCadence | None
    established_on: date | None


@dataclass(frozen=True)
class CoordinationBody:
    """A stored coordination body."""

    id: str
    owner_organisation_id: str
    jurisdiction_id: str
    content: BodyContent
    version: int
    created_at: datetime
    created_by: str
    updated_at: datetime
    updated_by: str


@dataclass(frozen=True)
class SectorCoverage:
    """Sectors present among the members (with counts) and expected sectors that are missing."""

    present: tuple[tuple[Sector, int], ...]
    missing: tuple[Sector, ...]


def _text(c: ViolationCollector, value: str, field: str, limit: int, *, required: bool) -> None:
    if required and not value.strip():
        c.add(field, "is required")
    elif len(value) > limit:
        c.add(field, f"must be at most {limit} characters")


def _check_chairs(c: ViolationCollector, chairs: tuple[Chair, ...], prefix: str) -> None:
    if not 1 <= len(chairs) <= MAX_CHAIRS:
        c.add(f"{prefix}.chairs", f"must name one chair or up to {MAX_CHAIRS} co-chairs")
    for i, chair in enumerate(chairs[:MAX_CHAIRS]):
        _text(c, chair.person_name, f"{prefix}.chairs[{i}].person_name", NAME_LEN, required=True)
        _text(c, chair.role_title, f"{prefix}.chairs[{i}].role_title", NAME_LEN, required=False)


def _check_members(c: ViolationCollector, members: tuple[Member, ...], prefix: str) -> None:
    if len(members) > MAX_MEMBERS:
        c.add(f"{prefix}.members", f"must list at most {MAX_MEMBERS} members")
        return
    for i, member in enumerate(members):
        field = f"{prefix}.members[{i}]"
        if member.sector is None:
            c.add(f"{field}.sector", "must be set")
        _text(c, member.person_name, f"{field}.person_name", NAME_LEN, required=False)
        _text(c, member.role_title, f"{field}.role_title", NAME_LEN, required=False)


def check_content(content: BodyContent, prefix: str = "coordination_body") -> None:
    """Raise InvalidArgument listing every problem with a body's description."""
    c = ViolationCollector()
    _text(c, content.display_name, f"{prefix}.display_name", NAME_LEN, required=True)
    if content.kind is None:
        c.add(f"{prefix}.kind", "is required")
    tor = f"{prefix}.terms_of_reference"
    for i, item in enumerate(content.mandate_items):
        if item is None:
            c.add(f"{tor}.mandate_items[{i}]", "must be a known item, not UNSPECIFIED")
    if len(set(content.mandate_items)) != len(content.mandate_items):
        c.add(f"{tor}.mandate_items", "must not repeat an item")
    _text(c, content.decision_making, f"{tor}.decision_making", TEXT_LEN, required=False)
    _text(c, content.communication, f"{tor}.communication", TEXT_LEN, required=False)
    _check_chairs(c, content.chairs, prefix)
    _check_members(c, content.members, prefix)
    if content.meeting_cadence is None:
        c.add(f"{prefix}.meeting_cadence", "is required")
    c.raise_invalid("invalid coordination body")


def may_edit(actor: Principal, owner_organisation_id: str) -> bool:
    """City officers of the owner organisation, national admins and platform admins."""
    if actor.has_any(*EDITOR_ROLES):
        return True
    return actor.has_any(Role.CITY_OFFICER) and actor.org_id == owner_organisation_id


def sector_coverage(members: tuple[Member, ...]) -> SectorCoverage:
    """Whole-of-society coverage from the members alone (chairs do not count)."""
    counts = Counter(m.sector for m in members if m.sector is not None)
    present = tuple((s, counts[s]) for s in Sector if counts[s])
    missing = tuple(s for s in EXPECTED_SECTORS if not counts[s])
    return SectorCoverage(present, missing)
