"""Organisation handlers and queries on a real migrated database (SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import date

import pytest

from nlc.registry.v1 import events_pb2, organisations_pb2
from services.common.auth import Role
from services.common.errors import (
    AlreadyExists,
    Conflict,
    FailedPrecondition,
    InvalidArgument,
    NotFound,
    PermissionDenied,
)
from services.registry.domain.jurisdictions import Level
from services.registry.domain.organisations import (
    Details,
    OrganisationKind,
    RegistrationNumber,
    VerificationState,
)
from services.registry.handlers import organisations as h
from services.registry.handlers.jurisdictions import CreateJurisdiction, create_jurisdiction
from services.registry.queries import organisations as q
from tests.integration.registry.conftest import AUDITOR, NATIONAL_ADMIN, member

FIXED_ID = "7d3c59a4-4a5e-4c4b-9a55-2b6f4f0e0d01"


@pytest.fixture
async def places(registry_deps):
    async def make(code, level, parent=None):
        cmd = CreateJurisdiction(code, code, level, parent.id if parent else None, date(2020, 1, 1))
        return await create_jurisdiction(registry_deps.uow(NATIONAL_ADMIN), cmd)

    country = await make("RV", Level.COUNTRY)
    county = await make("RV-K", Level.COUNTY, country)
    city = await make("RV-K-C", Level.CITY, county)
    other = await make("RV-O", Level.COUNTY, country)
    return {"country": country, "county": county, "city": city, "other": other}


async def register(deps, name, jurisdiction, kind=OrganisationKind.CSO, org_id=None):
    details = Details(name, kind, None, jurisdiction.id, (RegistrationNumber("tax", name),))
    return await h.create_organisation(
        deps.uow(NATIONAL_ADMIN), h.CreateOrganisation(details, org_id)
    )


async def decide(deps, decision, org, reason="", etag=""):
    return await decision(deps.uow(NATIONAL_ADMIN), h.ChangeVerification(org.id, reason, etag))


async def test_create_is_pending_with_event_and_audit(
    registry_deps, places, outbox_events, audit_of
):
    org = await register(registry_deps, "Youth Bridges", places["city"], org_id=FIXED_ID)
    assert (org.id, org.verification_state, org.etag) == (FIXED_ID, VerificationState.PENDING, "1")
    event = (await outbox_events())[-1]
    assert event.subject == "nlc.registry.organisation.created"
    decoded = event.decode(events_pb2.OrganisationChanged)
    assert decoded.organisation.display_name == "Youth Bridges"
    assert decoded.previous_verification_state == organisations_pb2.VERIFICATION_STATE_PENDING
    [entry] = await audit_of(f"organisations/{FIXED_ID}")
    assert entry.action == "create" and entry.details["display_name"] == "Youth Bridges"
    with pytest.raises(AlreadyExists):
        await register(registry_deps, "Again", places["city"], org_id=FIXED_ID)


async def test_unknown_jurisdiction_is_a_field_violation(registry_deps):
    details = Details("X", OrganisationKind.CSO, None, "00000000-0000-4000-8000-000000000000")
    with pytest.raises(InvalidArgument) as exc:
        await h.create_organisation(
            registry_deps.uow(NATIONAL_ADMIN), h.CreateOrganisation(details)
        )
    assert [(v.field, v.description) for v in exc.value.violations] == [
        ("organisation.jurisdiction", "no such jurisdiction")
    ]


async def test_unverified_organisations_are_hidden_from_outsiders(registry_deps, places):
    pending = await register(registry_deps, "Pending CSO", places["city"])
    verified = await decide(
        registry_deps, h.verify_organisation, await register(registry_deps, "OK", places["city"])
    )
    outsider = member(verified.id, Role.CITY_OFFICER)
    async with registry_deps.sessions() as s:
        with pytest.raises(NotFound):
            await q.get_visible_organisation(s, pending.id, outsider)
        assert (
            await q.get_visible_organisation(s, pending.id, member(pending.id))
        ).id == pending.id
        assert (await q.get_visible_organisation(s, pending.id, AUDITOR)).id == pending.id
        seen = await q.list_organisations(s, outsider)
        assert [o.display_name for o in seen.items] == ["OK"]
        seen = await q.list_organisations(s, member(pending.id))
        assert {o.display_name for o in seen.items} == {"OK", "Pending CSO"}


async def test_verification_workflow(registry_deps, places, outbox_events, audit_of):
    org = await register(registry_deps, "CSO", places["city"])
    with pytest.raises(InvalidArgument) as exc:
        await decide(registry_deps, h.reject_organisation, org, reason=" ")
    assert [v.field for v in exc.value.violations] == ["reason"]
    org = await decide(registry_deps, h.reject_organisation, org, reason="no statutes")
    org = await decide(registry_deps, h.verify_organisation, org, reason="statutes supplied")
    assert org.verification_time == registry_deps.clock.now()
    with pytest.raises(FailedPrecondition, match="organisation is verified"):
        await decide(registry_deps, h.reinstate_organisation, org)
    org = await decide(registry_deps, h.suspend_organisation, org, reason="probe", etag=org.etag)
    assert (org.verification_state, org.verification_reason) == (
        VerificationState.SUSPENDED,
        "probe",
    )
    with pytest.raises(Conflict):
        await decide(registry_deps, h.reinstate_organisation, org, etag="1")
    org = await decide(registry_deps, h.reinstate_organisation, org)
    subjects = [e.subject for e in await outbox_events()][-4:]
    assert subjects == [
        f"nlc.registry.organisation.{e}"
        for e in ("rejected", "verified", "suspended", "reinstated")
    ]
    last = (await outbox_events())[-1].decode(events_pb2.OrganisationChanged)
    assert last.previous_verification_state == organisations_pb2.VERIFICATION_STATE_SUSPENDED
    assert last.organisation.verification_state == organisations_pb2.VERIFICATION_STATE_VERIFIED
    actions = [e.action for e in await audit_of(f"organisations/{org.id}")]
    assert actions == ["create", "reject", "verify", "suspend", "reinstate"]


async def test_members_update_their_own_organisation(registry_deps, places, outbox_events):
    org = await decide(
        registry_deps, h.verify_organisation, await register(registry_deps, "CSO", places["city"])
    )
    change = Details("Renamed", None, None, None, website="https://cso.example.org")
    cmd = h.UpdateOrganisation(org.id, change, frozenset({"display_name", "website"}), etag="2")
    updated = await h.update_organisation(registry_deps.uow(member(org.id)), cmd)
    assert (updated.details.display_name, updated.details.website) == (
        "Renamed",
        "https://cso.example.org",
    )
    assert updated.details.kind is OrganisationKind.CSO
    assert (await outbox_events())[-1].subject == "nlc.registry.organisation.updated"
    with pytest.raises(Conflict):
        await h.update_organisation(registry_deps.uow(member(org.id)), cmd)
    stranger = member(places["city"].id, Role.CITY_OFFICER)
    with pytest.raises(PermissionDenied):
        await h.update_organisation(registry_deps.uow(stranger), cmd)


async def test_update_checks_fields_and_hides_unverified(registry_deps, places):
    org = await register(registry_deps, "CSO", places["city"])
    bad = Details("", None, None, "00000000-0000-4000-8000-000000000000", contact_email="nope")
    cmd = h.UpdateOrganisation(org.id, bad, frozenset({"display_name", "contact_email"}))
    with pytest.raises(InvalidArgument) as exc:
        await h.update_organisation(registry_deps.uow(NATIONAL_ADMIN), cmd)
    assert {v.field for v in exc.value.violations} == {
        "organisation.display_name",
        "organisation.contact_email",
    }
    move = h.UpdateOrganisation(org.id, bad, frozenset({"jurisdiction"}))
    with pytest.raises(InvalidArgument):
        await h.update_organisation(registry_deps.uow(NATIONAL_ADMIN), move)
    with pytest.raises(NotFound):
        await h.update_organisation(registry_deps.uow(member(places["city"].id)), move)


async def test_list_filters_by_subtree_kind_and_state_with_paging(registry_deps, places):
    for i in range(3):
        await register(registry_deps, f"City CSO {i}", places["city"])
    await register(
        registry_deps, "County hall", places["county"], OrganisationKind.LOCAL_GOVERNMENT
    )
    elsewhere = await register(registry_deps, "Elsewhere", places["other"])
    await decide(registry_deps, h.verify_organisation, elsewhere)
    async with registry_deps.sessions() as s:
        names, token = [], ""
        while True:
            page = await q.list_organisations(
                s, AUDITOR, jurisdiction_id=places["county"].id, requested_size=2, token=token
            )
            names += [o.details.display_name for o in page.items]
            token = page.next_page_token
            if not token:
                break
        assert names == ["City CSO 0", "City CSO 1", "City CSO 2", "County hall"]
        governments = await q.list_organisations(s, AUDITOR, kind=OrganisationKind.LOCAL_GOVERNMENT)
        assert [o.details.display_name for o in governments.items] == ["County hall"]
        verified = await q.list_organisations(
            s, AUDITOR, verification_state=VerificationState.VERIFIED
        )
        assert [o.details.display_name for o in verified.items] == ["Elsewhere"]
        with pytest.raises(NotFound):
            await q.list_organisations(
                s, AUDITOR, jurisdiction_id="00000000-0000-4000-8000-000000000000"
            )
