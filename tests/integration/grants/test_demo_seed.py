"""The grants demo seed: what a user sees after it, a second run changes nothing, no registry."""

from __future__ import annotations

from collections import Counter

from services.common.demo_ids import BRIDGES, DIALOGUE, INSTITUTE, RIVERTON, TELECOM
from services.grants import demo
from services.grants.demo import seed_demo
from services.grants.demo_data import (
    APPLICATIONS,
    BRIDGES_MEMBER,
    MANAGER,
    PANEL,
    SHARED_FUND,
    SMALL_GRANTS,
)
from services.grants.deps import GrantsDeps
from services.grants.domain.applications import MatchState
from services.grants.domain.calls import CallState
from services.grants.domain.eligibility import OrganisationKind, VerificationState
from services.grants.domain.reviews import ReviewState
from services.grants.domain.tranches import TrancheState
from services.grants.queries.applications import list_applications
from services.grants.queries.awards import get_ledger, list_awards
from services.grants.queries.calls import get_call
from services.grants.queries.eligibility import eligible_calls
from services.grants.queries.reviews import my_reviews
from tests.integration.grants.conftest import add_organisation, member

FUNDER_USER = member(TELECOM, "funder")
K = OrganisationKind


async def _registry_demo_arrived(deps: GrantsDeps) -> None:
    """The read model as the registry demo's events leave it."""
    for org_id, name, kind in (
        (RIVERTON, "Riverton City Hall", K.LOCAL_GOVERNMENT),
        (TELECOM, "Ardenia Telecom Foundation", K.PRIVATE_SECTOR),
        (INSTITUTE, "Ardenia Institute for Social Research", K.RESEARCH),
        (BRIDGES, "Bridges Youth Network", K.CSO),
        (DIALOGUE, "Women for Dialogue Ardenia", K.CSO),
    ):
        await add_organisation(deps, org_id, kind=kind, display_name=name)


async def test_seed_leaves_a_decided_pooled_fund_and_an_open_call(
    grants_deps: GrantsDeps, outbox_events
) -> None:
    await _registry_demo_arrived(grants_deps)

    assert await seed_demo(grants_deps, wait_s=1)

    async with grants_deps.sessions() as session:
        fund = (await get_call(session, SHARED_FUND)).call
        small = (await get_call(session, SMALL_GRANTS)).call
        apps = (await list_applications(session, MANAGER, requested_size=100)).items
        own = (await list_applications(session, BRIDGES_MEMBER, requested_size=100)).items
        pool, names = await get_ledger(session, SHARED_FUND, FUNDER_USER)
        awards = (await list_awards(session, FUNDER_USER, call_id=SHARED_FUND)).items
        reviews = await my_reviews(session, PANEL.sub, SHARED_FUND)
        open_to_bridges = await eligible_calls(session, BRIDGES, grants_deps.clock.now())
    assert fund.state is CallState.DECIDED
    assert small.state is CallState.OPEN
    assert small.terms.closes_at > grants_deps.clock.now()
    assert [view.id for view, _ in open_to_bridges] == [SMALL_GRANTS]
    # Managers see submitted-or-later applications of their calls; applicants their own.
    states = Counter((v.application.call_id, v.application.state.value) for v in apps)
    assert states == {
        (SHARED_FUND, "awarded"): 2,
        (SHARED_FUND, "not_awarded"): 1,
        (SHARED_FUND, "withdrawn"): 1,
        (SMALL_GRANTS, "submitted"): 1,
    }
    assert sorted(v.application.state.value for v in own) == [
        "awarded", "draft", "draft", "not_awarded",
    ]  # fmt: skip
    assert [(r.state, r.reviewer_username) for r in reviews] == [
        (ReviewState.SUBMITTED, "panel")
    ] * 3
    awarded = [v.application for v in apps if v.application.state.value == "awarded"]
    assert all(
        m.state is MatchState.CONFIRMED for a in awarded for m in a.content.match_commitments
    )

    # The ledger: half from each funder; committed = awards, disbursed = released tranches.
    assert names == {RIVERTON: "Riverton City Hall", TELECOM: "Ardenia Telecom Foundation"}
    assert sorted(a.amount for a in awards) == [2_500_000, 3_000_000]
    released = [t for a in awards for t in a.tranches if t.state is TrancheState.RELEASED]
    assert sorted(t.code for t in released) == ["signing", "signing"]
    for funder in (RIVERTON, TELECOM):
        row = pool.positions[funder]
        assert row.pledged == 40_000_000
        assert row.committed == sum(a.funder_shares[funder] for a in awards) == 2_750_000
        assert row.disbursed == sum(t.funder_shares[funder] for t in released) == 1_100_000
        assert row.available == row.pledged - row.committed
    subjects = Counter(e.subject for e in await outbox_events())
    assert subjects["nlc.grants.award.made"] == 2
    assert subjects["nlc.grants.tranche.released"] == 2
    assert subjects["nlc.grants.match.confirmed"] == 2

    before = len(await outbox_events())
    assert not await seed_demo(grants_deps, wait_s=1)
    assert len(await outbox_events()) == before


async def test_seed_waits_for_applicants_to_be_verified(grants_deps: GrantsDeps) -> None:
    await _registry_demo_arrived(grants_deps)
    # Dialogue is still pending verification: the seed waits for it and gives up.
    await add_organisation(
        grants_deps, DIALOGUE, state=VerificationState.PENDING, display_name="Women for Dialogue"
    )
    assert not await seed_demo(grants_deps, wait_s=0.1, poll_s=0.02)

    await add_organisation(grants_deps, DIALOGUE, display_name="Women for Dialogue Ardenia")
    assert await seed_demo(grants_deps, wait_s=1)
    assert not await seed_demo(grants_deps, wait_s=1)


async def test_without_the_registry_the_seed_gives_up_and_stores_nothing(
    grants_deps: GrantsDeps, outbox_events
) -> None:
    assert not await seed_demo(grants_deps, wait_s=0.2, poll_s=0.05)

    async with grants_deps.sessions() as session:
        page = await list_applications(session, MANAGER, requested_size=100)
    assert page.items == []
    assert await outbox_events() == []


async def test_seed_resumes_where_an_interrupted_run_stopped(grants_deps: GrantsDeps) -> None:
    await _registry_demo_arrived(grants_deps)
    await demo._calls(grants_deps)  # an earlier run stopped after the calls and one application
    await demo._applying(grants_deps, APPLICATIONS[0])

    assert await seed_demo(grants_deps, wait_s=1)

    async with grants_deps.sessions() as session:
        apps = (await list_applications(session, MANAGER, requested_size=100)).items
        fund = (await get_call(session, SHARED_FUND)).call
    assert fund.state is CallState.DECIDED
    assert len(apps) == 5
