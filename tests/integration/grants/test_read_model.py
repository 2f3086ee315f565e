"""The eligibility read model built from registry events, and eligibility derived from it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from nlc.registry.v1 import events_pb2, jurisdictions_pb2, organisations_pb2
from services.common.messaging import EventEnvelope
from services.grants.consumers import handle_registry_event
from services.grants.domain.eligibility import Eligibility, VerificationState
from services.grants.orm.read_model import load_organisation
from services.grants.queries.eligibility import eligible_calls, in_area
from tests.integration.grants.conftest import CSO_ORG, NOW, open_call

COUNTRY, REGION, CITY, OTHER = (f"9a000000-0000-4000-8000-00000000000{i}" for i in range(1, 5))
T0 = datetime(2026, 3, 1, tzinfo=UTC)


def _unit(uid: str, code: str, name: str, parent: str = "") -> jurisdictions_pb2.Jurisdiction:
    return jurisdictions_pb2.Jurisdiction(
        name=f"jurisdictions/{uid}",
        id=uid,
        code=code,
        display_name=name,
        parent=f"jurisdictions/{parent}" if parent else "",
        valid_from="2020-01-01",
    )


def _org(state: int, jurisdiction: str = CITY) -> organisations_pb2.Organisation:
    return organisations_pb2.Organisation(
        name=f"organisations/{CSO_ORG}",
        id=CSO_ORG,
        display_name="Bridges Youth Network",
        kind=organisations_pb2.ORGANISATION_KIND_CSO,
        jurisdiction=f"jurisdictions/{jurisdiction}",
        verification_state=state,
    )


async def _deliver(deps, subject: str, message, at: datetime) -> None:
    envelope = EventEnvelope(subject, subject, "", at, message.SerializeToString(), 1)
    async with deps.sessions() as session:
        await handle_registry_event(session, envelope)
        await session.commit()


async def _tree(deps) -> None:
    for unit in (
        _unit(COUNTRY, "AR", "Ardenia"),
        _unit(REGION, "AR-N", "Northern Region", COUNTRY),
        _unit(CITY, "AR-N-RV", "Riverton", REGION),
        _unit(OTHER, "AR-S", "Southern Region", COUNTRY),
    ):
        await _deliver(
            deps,
            "nlc.registry.jurisdiction.created",
            events_pb2.JurisdictionChanged(jurisdiction=unit),
            T0,
        )


async def test_organisation_events_keep_the_latest_state(grants_deps) -> None:
    verified = events_pb2.OrganisationChanged(
        organisation=_org(organisations_pb2.VERIFICATION_STATE_VERIFIED)
    )
    suspended = events_pb2.OrganisationChanged(
        organisation=_org(organisations_pb2.VERIFICATION_STATE_SUSPENDED)
    )
    await _deliver(grants_deps, "nlc.registry.organisation.verified", verified, T0)
    await _deliver(
        grants_deps, "nlc.registry.organisation.suspended", suspended, T0 + timedelta(minutes=1)
    )
    # A late redelivery of the older event changes nothing.
    await _deliver(grants_deps, "nlc.registry.organisation.verified", verified, T0)
    await _deliver(grants_deps, "nlc.registry.mandate.set", events_pb2.MandateSet(), T0)
    async with grants_deps.sessions() as session:
        known = await load_organisation(session, CSO_ORG)
    assert known is not None
    assert known.verification_state == VerificationState.SUSPENDED
    assert known.jurisdiction_id == CITY


async def test_subtrees_follow_parent_links_through_splits(grants_deps) -> None:
    await _tree(grants_deps)
    east = "9a000000-0000-4000-8000-000000000005"
    split = events_pb2.JurisdictionSplit(
        retired=_unit(CITY, "AR-N-RV", "Riverton", REGION),
        parts=[_unit(east, "AR-N-RVE", "Riverton East", OTHER)],
    )
    await _deliver(grants_deps, "nlc.registry.jurisdiction.split", split, T0 + timedelta(hours=1))
    async with grants_deps.sessions() as session:
        assert await in_area(session, COUNTRY, CITY)
        assert await in_area(session, REGION, CITY)
        assert not await in_area(session, OTHER, CITY)
        assert await in_area(session, OTHER, east)
        assert not await in_area(session, REGION, east)
        assert await in_area(session, None, None)


async def test_eligible_calls_explain_why_not(grants_deps) -> None:
    await _tree(grants_deps)
    north = await open_call(grants_deps, eligibility=Eligibility(jurisdiction_id=REGION))
    south = await open_call(grants_deps, eligibility=Eligibility(jurisdiction_id=OTHER))
    pending = events_pb2.OrganisationChanged(
        organisation=_org(organisations_pb2.VERIFICATION_STATE_PENDING)
    )
    await _deliver(grants_deps, "nlc.registry.organisation.created", pending, T0)
    async with grants_deps.sessions() as session:
        none_yet = await eligible_calls(session, CSO_ORG, NOW)
        every = dict(
            (v.id, r)
            for v, r in await eligible_calls(session, CSO_ORG, NOW, include_ineligible=True)
        )
    assert none_yet == []
    assert every[north.id] == ["your organisation is not verified yet"]
    assert every[south.id] == [
        "your organisation is not verified yet",
        "your organisation is outside the call's area (Southern Region)",
    ]
    verified = events_pb2.OrganisationChanged(
        organisation=_org(organisations_pb2.VERIFICATION_STATE_VERIFIED)
    )
    await _deliver(
        grants_deps, "nlc.registry.organisation.verified", verified, T0 + timedelta(minutes=1)
    )
    async with grants_deps.sessions() as session:
        assert [v.id for v, _ in await eligible_calls(session, CSO_ORG, NOW)] == [north.id]
