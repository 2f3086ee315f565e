"""Demo seeding: Ardenia appears once, with the fixed organisation ids of the demo users."""

from __future__ import annotations

import pytest
from sqlalchemy import delete, func, select

from services.common.demo_ids import HARBOUR, RIVERTON, org_id
from services.registry import handlers
from services.registry.demo import seed_demo
from services.registry.demo_data import NETWORK_ID
from services.registry.domain.bodies import BodyKind
from services.registry.domain.frameworks import FrameworkState
from services.registry.domain.organisations import Sector, VerificationState
from services.registry.orm.bodies import coordination_bodies
from services.registry.orm.frameworks import framework_comments, framework_distributions, frameworks
from services.registry.orm.jurisdictions import jurisdictions
from services.registry.orm.mandates import mandate_versions
from services.registry.orm.organisations import organisations
from services.registry.queries import bodies as body_queries
from services.registry.queries import frameworks as framework_queries
from services.registry.queries.mandates import get_mandate
from services.registry.queries.organisations import find_organisation
from tests.integration.registry.conftest import AUDITOR

TABLES = (
    jurisdictions,
    organisations,
    mandate_versions,
    frameworks,
    framework_comments,
    framework_distributions,
    coordination_bodies,
)


FULL = {
    "jurisdictions": 9,
    "organisations": 12,
    "mandate_versions": 3,
    "frameworks": 1,
    "framework_comments": 1,
    "framework_distributions": 3,
    "coordination_bodies": 1,
}
# 9 places, 12 organisations and 11 verifications, 3 mandates, the strategy's 8 events, 1 body.
FULL_EVENTS = 44


async def counts(deps) -> dict[str, int]:
    async with deps.sessions() as s:
        return {t.name: await s.scalar(select(func.count()).select_from(t)) or 0 for t in TABLES}


async def test_seeding_twice_leaves_the_same_data(registry_deps, outbox_events):
    assert await seed_demo(registry_deps) is True
    first = await counts(registry_deps)
    events = len(await outbox_events())
    assert await seed_demo(registry_deps) is False
    assert await counts(registry_deps) == first
    assert len(await outbox_events()) == events
    assert first == {
        "jurisdictions": 9,
        "organisations": 12,
        "mandate_versions": 3,
        "frameworks": 1,
        "framework_comments": 1,
        "framework_distributions": 3,
        "coordination_bodies": 1,
    }


async def test_fixed_ids_exist_and_all_but_one_cso_are_verified(registry_deps):
    await seed_demo(registry_deps)
    async with registry_deps.sessions() as s:
        found = {n: await find_organisation(s, org_id(n)) for n in range(1, 13)}
    assert found[1].details.display_name == "National Centre for Prevention"
    assert found[2].details.display_name == "Riverton City Hall"
    assert found[3].details.display_name == "Bridges Youth Network"
    for org in found.values():
        expected = VerificationState.PENDING if org.id == HARBOUR else VerificationState.VERIFIED
        assert org.verification_state is expected


async def test_strategy_is_adopted_distributed_and_acknowledged_by_riverton(registry_deps):
    await seed_demo(registry_deps)
    async with registry_deps.sessions() as s:
        [strategy] = (await framework_queries.list_frameworks(s, AUDITOR)).items
        sent = await framework_queries.list_distributions(
            s, strategy.id, AUDITOR, now=registry_deps.clock.now()
        )
        mandate = await get_mandate(s, RIVERTON, AUDITOR)
        [network] = (await body_queries.list_bodies(s, AUDITOR, owner_id=RIVERTON)).items
        coverage = await body_queries.get_sector_coverage(s, network.id, AUDITOR)
    assert strategy.state is FrameworkState.ADOPTED
    assert len(strategy.content.pillars) == 4
    assert (sent.acknowledged_count, sent.pending_count) == (1, 2)
    assert [d.organisation_id for d in sent.items if d.acknowledged_at] == [RIVERTON]
    assert mandate.version == 1
    assert network.content.kind is BodyKind.LOCAL_PREVENTION_NETWORK
    assert {Sector.HEALTH, Sector.CIVIL_SOCIETY, Sector.FAITH_COMMUNITY} == set(coverage.missing)


async def settled(deps) -> tuple[dict[str, int], list[VerificationState], FrameworkState, int]:
    """Row counts, each demo organisation's state, the strategy's state and acknowledgements."""
    async with deps.sessions() as s:
        orgs = [await find_organisation(s, org_id(n)) for n in range(1, 13)]
        [strategy] = (await framework_queries.list_frameworks(s, AUDITOR)).items
        sent = await framework_queries.list_distributions(
            s, strategy.id, AUDITOR, now=deps.clock.now()
        )
    states = [o.verification_state for o in orgs]
    return await counts(deps), states, strategy.state, sent.acknowledged_count


def cut_power(monkeypatch, module, name: str, after: int) -> None:
    """Make module's handler name fail on every call after the first `after` calls."""
    real = getattr(module, name)
    calls = 0

    async def interrupted(*args):
        nonlocal calls
        calls += 1
        if calls > after:
            raise RuntimeError("power cut")
        return await real(*args)

    monkeypatch.setattr(module, name, interrupted)


@pytest.mark.parametrize(
    ("module", "name", "after"),
    [
        (handlers.jurisdictions, "create_jurisdiction", 4),
        (handlers.organisations, "create_organisation", 3),
        (handlers.organisations, "verify_organisation", 5),
        (handlers.mandates, "set_mandate", 1),
        (handlers.frameworks, "create_framework", 0),
        (handlers.frameworks, "open_consultation", 0),
        (handlers.frameworks, "comment_on_framework", 0),
        (handlers.frameworks, "adopt_framework", 0),
        (handlers.frameworks, "acknowledge_framework", 0),
        (handlers.bodies, "create_coordination_body", 0),
    ],
)
async def test_a_seed_interrupted_at_any_step_finishes_on_the_next_run(
    registry_deps, outbox_events, monkeypatch, module, name, after
):
    cut_power(monkeypatch, module, name, after)
    with pytest.raises(RuntimeError, match="power cut"):
        await seed_demo(registry_deps)
    monkeypatch.undo()
    assert await seed_demo(registry_deps) is True
    expected_states = [
        VerificationState.PENDING if org_id(n) == HARBOUR else VerificationState.VERIFIED
        for n in range(1, 13)
    ]
    assert await settled(registry_deps) == (FULL, expected_states, FrameworkState.ADOPTED, 1)
    assert len(await outbox_events()) == FULL_EVENTS
    assert await seed_demo(registry_deps) is False
    assert len(await outbox_events()) == FULL_EVENTS


async def test_reseeding_restores_rows_deleted_from_a_late_step(registry_deps, outbox_events):
    await seed_demo(registry_deps)
    async with registry_deps.sessions() as s:
        await s.execute(delete(coordination_bodies))
        await s.commit()
    events = len(await outbox_events())
    assert await seed_demo(registry_deps) is True
    assert await counts(registry_deps) == FULL
    async with registry_deps.sessions() as s:
        network = await body_queries.get_body(s, NETWORK_ID, AUDITOR)
    assert network.owner_organisation_id == RIVERTON
    assert [e.subject for e in await outbox_events()][events:] == [
        "nlc.registry.coordination_body.created"
    ]
    assert await seed_demo(registry_deps) is False
