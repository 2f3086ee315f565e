"""Demo seeding: Ardenia appears once, with the fixed organisation ids of the demo users."""

from __future__ import annotations

from sqlalchemy import func, select

from services.registry.demo import HARBOUR, RIVERTON, org_id, seed_demo
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
        "mandate_versions": 1,
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
        [strategy] = (await framework_queries.list_frameworks(s)).items
        sent = await framework_queries.list_distributions(
            s, strategy.id, now=registry_deps.clock.now()
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
