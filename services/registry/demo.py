"""Seeding the registry demo (Ardenia) through the real handlers: resumable and idempotent."""

from __future__ import annotations

from datetime import timedelta

from services.common.auth import Principal, Role
from services.common.clock import today
from services.common.demo_ids import STRATEGY as STRATEGY_ID
from services.common.errors import AlreadyExists, Conflict
from services.registry.demo_data import (
    CENTRE,
    COMMENT,
    COUNTRY_CODE,
    MANDATES,
    NETWORK,
    NETWORK_ID,
    ORGANISATIONS,
    PENDING,
    PLACES,
    RIVERTON,
    SINCE,
    STRATEGY,
    place_id,
)
from services.registry.deps import RegistryDeps
from services.registry.domain.frameworks import (
    Framework,
    FrameworkKind,
    FrameworkState,
)
from services.registry.domain.organisations import Details, RegistrationNumber, VerificationState
from services.registry.handlers import bodies, frameworks, jurisdictions, mandates, organisations
from services.registry.queries import bodies as body_queries
from services.registry.queries import frameworks as framework_queries
from services.registry.queries import jurisdictions as jurisdiction_queries
from services.registry.queries import mandates as mandate_queries
from services.registry.queries import organisations as organisation_queries

SEEDER = Principal(
    "system", "system", frozenset({Role.PLATFORM_ADMIN, Role.NATIONAL_ADMIN}), None, name="Demo"
)


async def _places(deps: RegistryDeps) -> tuple[dict[str, str], bool]:
    """Ids of the demo places by code, creating the missing ones; True when one was created."""
    ids: dict[str, str] = {}
    created = False
    for n, (code, name, level, parent) in enumerate(PLACES, start=1):
        async with deps.sessions() as session:
            existing = await jurisdiction_queries.find_id_by_code(session, code)
        if existing is not None:
            ids[code] = existing
            continue
        cmd = jurisdictions.CreateJurisdiction(
            code, name, level, ids.get(parent or ""), SINCE, jurisdiction_id=place_id(n)
        )
        ids[code] = (await jurisdictions.create_jurisdiction(deps.uow(SEEDER), cmd)).id
        created = True
    return ids, created


async def _organisations(deps: RegistryDeps, places: dict[str, str]) -> bool:
    """Create and verify the demo organisations that are missing or still pending."""
    changed = False
    for oid, name, kind, sector, place in ORGANISATIONS:
        async with deps.sessions() as session:
            org = await organisation_queries.find_organisation(session, oid)
        if org is None:
            host = name.lower().replace(" ", "-") + ".ar.example"
            numbers = (RegistrationNumber("ar-public-register", f"AR-{oid[-4:]}"),)
            details = Details(
                name, kind, sector, places[place], numbers, f"https://{host}", f"info@{host}"
            )
            cmd = organisations.CreateOrganisation(details, oid)
            org = await organisations.create_organisation(deps.uow(SEEDER), cmd)
            changed = True
        if oid not in PENDING and org.verification_state is VerificationState.PENDING:
            verify = organisations.ChangeVerification(oid, "Registration documents checked.")
            await organisations.verify_organisation(deps.uow(SEEDER), verify)
            changed = True
    return changed


async def _mandates(deps: RegistryDeps) -> bool:
    changed = False
    for org_id, terms in MANDATES:
        async with deps.sessions() as session:
            if await mandate_queries.latest_mandate(session, org_id) is not None:
                continue
        await mandates.set_mandate(deps.uow(SEEDER), mandates.SetMandate(org_id, terms))
        changed = True
    return changed


async def _strategy_now(deps: RegistryDeps) -> tuple[Framework | None, bool, bool]:
    """The strategy (by fixed id, or by issuer and title when seeded before ids were fixed),
    whether it has a comment, and whether Riverton acknowledged it."""
    async with deps.sessions() as session:
        found = await framework_queries.find_framework(
            session, STRATEGY_ID, issuer_id=CENTRE, title=STRATEGY.title
        )
        if found is None:
            return None, False, False
        comments = await framework_queries.list_comments(
            session, found.id, SEEDER, requested_size=1
        )
        sent = await framework_queries.find_distribution(
            session, found.id, RIVERTON, deps.clock.now()
        )
    return found, bool(comments.items), sent is not None and sent.acknowledged_at is not None


async def _strategy(deps: RegistryDeps, country_id: str) -> bool:
    """Draft, consult on, comment on, adopt and acknowledge the strategy, from wherever it is."""
    officer = Principal("system", "system", frozenset({Role.CITY_OFFICER}), RIVERTON)
    framework, commented, acknowledged = await _strategy_now(deps)
    if acknowledged:
        return False
    if framework is None:
        cmd = frameworks.CreateFramework(
            FrameworkKind.STRATEGY, CENTRE, country_id, STRATEGY, STRATEGY_ID
        )
        framework = await frameworks.create_framework(deps.uow(SEEDER), cmd)
    if framework.state is FrameworkState.DRAFT:
        closes = today(deps.clock) + timedelta(days=30)
        opening = frameworks.OpenConsultation(framework.id, closes)
        framework = await frameworks.open_consultation(deps.uow(SEEDER), opening)
    if framework.state is FrameworkState.CONSULTATION and not commented:
        comment = frameworks.CommentOnFramework(framework.id, "P2.OUT.1", COMMENT)
        await frameworks.comment_on_framework(deps.uow(officer), comment)
    if framework.state is not FrameworkState.ADOPTED:
        adopt = frameworks.AdoptFramework(framework.id)
        await frameworks.adopt_framework(deps.uow(SEEDER), adopt)
    ack = frameworks.AcknowledgeFramework(framework.id, RIVERTON)
    await frameworks.acknowledge_framework(deps.uow(officer), ack)
    return True


async def _network(deps: RegistryDeps, places: dict[str, str]) -> bool:
    async with deps.sessions() as session:
        found = await body_queries.find_body(
            session, NETWORK_ID, owner_id=RIVERTON, display_name=NETWORK.display_name
        )
    if found is not None:
        return False
    cmd = bodies.CreateCoordinationBody(RIVERTON, places["AR-N-RIV"], NETWORK, NETWORK_ID)
    await bodies.create_coordination_body(deps.uow(SEEDER), cmd)
    return True


async def seed_demo(deps: RegistryDeps) -> bool:
    """Seed Ardenia, creating only what is missing; True when something was added or changed.

    Each step first looks for its entities (fixed ids), so a seed interrupted at any step
    finishes on the next start, and a complete seed is left as it is.
    """
    try:
        places, changed = await _places(deps)
        changed |= await _organisations(deps, places)
        changed |= await _mandates(deps)
        changed |= await _strategy(deps, places[COUNTRY_CODE])
        changed |= await _network(deps, places)
    except (AlreadyExists, Conflict):
        return False  # another replica is seeding at the same time; it finishes the job
    return changed
