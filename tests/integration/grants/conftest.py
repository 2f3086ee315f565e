"""Fixtures and helpers for grants: a migrated database (SQLite and PostgreSQL) and callers.

Fixtures
    grants_deps -> GrantsDeps: freshly migrated schema, `grants_deps.clock` a FixedClock at NOW
        (2026-03-02 09:00 UTC), `grants_deps.uow(principal)` a unit-of-work factory.
    outbox_events -> async () -> list[StoredEvent]  (subject, event_type, payload; .decode(T))
    audit_of -> async (resource_name) -> list[AuditRecord]

Identities (demo org ids): MANAGER_ORG, CSO_ORG, FUNDER_ORG, REVIEWER_ORG, OTHER_MANAGER_ORG;
    MANAGER (grant-manager of MANAGER_ORG), APPLICANT (cso-member of CSO_ORG), PLATFORM_ADMIN;
    member(org_id, role) -> Principal for any other user.

Helpers (all async ones take the GrantsDeps first)
    await add_jurisdiction(deps, unit_id=None, *, parent_id=None, code="RV",
                           display_name="Riverton") -> str (the id)
    await add_organisation(deps, org_id=None, *, kind=OrganisationKind.CSO,
                           state=VerificationState.VERIFIED, jurisdiction_id=None,
                           display_name="Bridges Youth Network") -> str (the id)
    call_terms(**overrides) -> CallTerms: valid EUR terms, pool EUR 1,000,000.00 from FUNDER_ORG
        (600k) and MANAGER_ORG (400k), awards 5,000.00..50,000.00, 25% match (in-kind cap 50%),
        5% M&E, criteria "impact" (w3, max 5) and "feasibility" (w2, max 5), 2 reviews each,
        opens NOW - 1 day, closes NOW + 30 days, tranches "signing" 40% / "report" 60%.
    await open_call(deps, *, manager=MANAGER, managing_org_id=None, **overrides) -> CallView
        (created as a draft and opened; overrides go to call_terms)
    application_content(currency="EUR", **overrides) -> Content: a complete application for the
        default call: budget EUR 40,000.00 (M&E 2,400.00 = 6%), cash match 10,000.00 (25%),
        requested 30,000.00, prevention level PRIMARY, a unique commitment reference.
    await draft_application(deps, call_id, *, applicant_org=CSO_ORG, **overrides) -> ApplicationView
    await submitted_application(deps, call_id, *, applicant_org=CSO_ORG, **overrides)
        -> ApplicationView. Both make applicant_org a verified CSO in the read model when the
        read model does not know it yet; overrides go to application_content.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from services.common.auth import Principal, Role
from services.common.clock import FixedClock
from services.common.db import session_factory
from services.common.migrations import upgrade
from services.common.money import Money
from services.common.resource_names import new_id
from services.common.uow import AuditRecord, uow_factory
from services.grants.deps import GrantsDeps
from services.grants.domain.applications import (
    BudgetCategory,
    BudgetLine,
    Content,
    MatchCommitment,
)
from services.grants.domain.calls import (
    CallTerms,
    Criterion,
    Funder,
    MatchKind,
    MatchRule,
    Periodicity,
    PlannedTranche,
    ReportingDuty,
    TrancheTrigger,
)
from services.grants.domain.eligibility import (
    Eligibility,
    KnownOrganisation,
    OrganisationKind,
    PreventionLevel,
    VerificationState,
)
from services.grants.handlers import applications as app_handlers
from services.grants.handlers import calls as call_handlers
from services.grants.handlers import submission
from services.grants.orm.read_model import (
    load_organisation,
    upsert_jurisdiction,
    upsert_organisation,
)
from services.grants.queries.applications import ApplicationView
from services.grants.queries.calls import CallView
from tests.support.handler_kit import StoredEvent, audit_entries, staged_events
from tests.support.handler_kit import member as kit_member

MIGRATIONS = Path(__file__).resolve().parents[3] / "services" / "grants" / "migrations"
NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)

ADMIN_ORG = "0b1c7a52-0000-4000-8000-000000000001"
MANAGER_ORG = "0b1c7a52-0000-4000-8000-000000000002"
CSO_ORG = "0b1c7a52-0000-4000-8000-000000000003"
FUNDER_ORG = "0b1c7a52-0000-4000-8000-000000000004"
REVIEWER_ORG = "0b1c7a52-0000-4000-8000-000000000005"
OTHER_MANAGER_ORG = "0b1c7a52-0000-4000-8000-000000000006"


def member(org_id: str | None, role: str = Role.CSO_MEMBER) -> Principal:
    """A user of org_id holding role."""
    return kit_member(org_id, role)


MANAGER = member(MANAGER_ORG, Role.GRANT_MANAGER)
APPLICANT = member(CSO_ORG, Role.CSO_MEMBER)
PLATFORM_ADMIN = Principal("sub-padmin", "padmin", frozenset({Role.PLATFORM_ADMIN}), ADMIN_ORG)


@pytest.fixture
async def grants_deps(db_engine: AsyncEngine, db_schema: str) -> AsyncIterator[GrantsDeps]:
    """GrantsDeps on a freshly migrated database, with a FixedClock at NOW."""
    await upgrade(db_engine, MIGRATIONS, schema=db_schema)
    sessions = session_factory(db_engine)
    clock = FixedClock(NOW)
    yield GrantsDeps(sessions=sessions, uow=uow_factory(sessions, clock), clock=clock)


@pytest.fixture
def outbox_events(grants_deps: GrantsDeps) -> Callable[[], Awaitable[list[StoredEvent]]]:
    """Reads every event staged in the outbox, oldest first."""

    async def read() -> list[StoredEvent]:
        return await staged_events(grants_deps.sessions)

    return read


@pytest.fixture
def audit_of(grants_deps: GrantsDeps) -> Callable[[str], Awaitable[list[AuditRecord]]]:
    """Reads a resource's audit history, oldest first."""

    async def read(resource: str) -> list[AuditRecord]:
        return await audit_entries(grants_deps.sessions, resource)

    return read


async def add_jurisdiction(
    deps: GrantsDeps,
    unit_id: str | None = None,
    *,
    parent_id: str | None = None,
    code: str = "RV",
    display_name: str = "Riverton",
) -> str:
    """A jurisdiction in the read model, as if the registry had announced it."""
    unit_id = unit_id or new_id()
    async with deps.sessions() as session:
        await upsert_jurisdiction(
            session,
            unit_id=unit_id,
            parent_id=parent_id,
            code=code,
            display_name=display_name,
            valid_from=date(2020, 1, 1),
            valid_to=None,
            as_of=deps.clock.now(),
        )
        await session.commit()
    return unit_id


async def add_organisation(
    deps: GrantsDeps,
    org_id: str | None = None,
    *,
    kind: OrganisationKind = OrganisationKind.CSO,
    state: VerificationState = VerificationState.VERIFIED,
    jurisdiction_id: str | None = None,
    display_name: str = "Bridges Youth Network",
) -> str:
    """An organisation in the read model, as if the registry had announced it."""
    org_id = org_id or new_id()
    org = KnownOrganisation(org_id, display_name, kind, state, jurisdiction_id)
    async with deps.sessions() as session:
        await upsert_organisation(session, org, deps.clock.now())
        await session.commit()
    return org_id


def eur(major: int, minor: int = 0) -> Money:
    return Money("EUR", major * 100 + minor)


def call_terms(**overrides: Any) -> CallTerms:
    """Valid terms for an EUR call (see the module docstring); overrides replace fields."""
    terms = CallTerms(
        title="Shared Endeavour Fund 2026",
        description="Grassroots prevention projects.",
        currency_code="EUR",
        funders=(
            Funder(FUNDER_ORG, "Ardenia Telecom Foundation", eur(600_000)),
            Funder(MANAGER_ORG, "Riverton City Hall", eur(400_000)),
        ),
        min_award=eur(5_000),
        max_award=eur(50_000),
        eligibility=Eligibility(must_be_verified=True),
        match_rule=MatchRule(min_match_bps=2500, in_kind_cap_bps=5000),
        min_monitoring_evaluation_bps=500,
        criteria=(
            Criterion("impact", "Impact", "", 3, 5),
            Criterion("feasibility", "Feasibility", "", 2, 5),
        ),
        reviews_per_application=2,
        opens_at=NOW - timedelta(days=1),
        closes_at=NOW + timedelta(days=30),
        decision_date=date(2026, 5, 1),
        reporting_duty=ReportingDuty(Periodicity.SEMIANNUAL, True),
        tranche_plan=(
            PlannedTranche("signing", 4000, TrancheTrigger.ON_SIGNING),
            PlannedTranche("report", 6000, TrancheTrigger.ON_ACCEPTED_PROGRESS_REPORT),
        ),
    )
    return replace(terms, **overrides)


async def open_call(
    deps: GrantsDeps,
    *,
    manager: Principal = MANAGER,
    managing_org_id: str | None = None,
    **overrides: Any,
) -> CallView:
    """A call created by manager and opened."""
    cmd = call_handlers.CreateCall(call_terms(**overrides), managing_org_id)
    draft = await call_handlers.create_call(deps.uow(manager), cmd)
    return await call_handlers.open_call(deps.uow(manager), call_handlers.CallRef(draft.id))


def application_content(currency: str = "EUR", **overrides: Any) -> Content:
    """A complete application for the default call (see the module docstring)."""
    money = lambda units: Money(currency, units)  # noqa: E731
    content = Content(
        title="Youth mentors in Riverton North",
        summary="Peer mentoring for young people at risk.",
        prevention_levels=(PreventionLevel.PRIMARY,),
        budget_lines=(
            BudgetLine(BudgetCategory.STAFF, "Mentors", money(3_000_000)),
            BudgetLine(BudgetCategory.ACTIVITIES, "Workshops", money(760_000)),
            BudgetLine(BudgetCategory.MONITORING_EVALUATION, "Evaluation", money(240_000)),
        ),
        requested_amount=money(3_000_000),
        match_commitments=(
            MatchCommitment(
                id="",
                source_org_id=None,
                source_name="Riverton Community Trust",
                kind=MatchKind.CASH,
                amount=money(1_000_000),
                commitment_reference=f"RCT-{new_id()[:8]}",
            ),
        ),
    )
    return replace(content, **overrides)


async def _ensure_known(deps: GrantsDeps, org_id: str) -> None:
    async with deps.sessions() as session:
        known = await load_organisation(session, org_id)
    if known is None:
        await add_organisation(deps, org_id)


async def draft_application(
    deps: GrantsDeps, call_id: str, *, applicant_org: str = CSO_ORG, **overrides: Any
) -> ApplicationView:
    """A complete draft by a cso-member of applicant_org."""
    await _ensure_known(deps, applicant_org)
    cmd = app_handlers.CreateApplication(call_id, application_content(**overrides))
    return await app_handlers.create_application(deps.uow(member(applicant_org)), cmd)


async def submitted_application(
    deps: GrantsDeps, call_id: str, *, applicant_org: str = CSO_ORG, **overrides: Any
) -> ApplicationView:
    """A complete application by applicant_org, submitted."""
    draft = await draft_application(deps, call_id, applicant_org=applicant_org, **overrides)
    cmd = submission.SubmitApplication(draft.id)
    return await submission.submit_application(deps.uow(member(applicant_org)), cmd)
