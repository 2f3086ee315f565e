"""Requests for national support in the national view: grouped by kind and child place with
funding summed per currency, listed page by page, narrowed by cycle and kind, and limited to the
reports a national reviewer's body reviews."""

from __future__ import annotations

import uuid
from collections import Counter, defaultdict
from dataclasses import dataclass

import pytest
from sqlalchemy import insert

from services.common import demo_ids
from services.common.auth import Principal
from services.common.money import Money
from services.reporting.deps import ReportingDeps
from services.reporting.domain.access import reviewing_scope
from services.reporting.domain.reports import SupportKind
from services.reporting.orm.reports import support_requests
from services.reporting.queries.national.scope import load_subtree
from services.reporting.queries.national.support import (
    SupportFilter,
    support_groups,
    support_items,
)
from tests.integration.reporting.conftest import (
    ADMIN,
    COUNTRY,
    LAKESIDE_CITY,
    NORTH,
    OTHER_BODY,
    OTHER_REVIEWER,
    REVIEWER,
    RIVERTON_CITY,
    SOUTH,
)

CHILD = {RIVERTON_CITY: NORTH, LAKESIDE_CITY: SOUTH, COUNTRY: COUNTRY}
F, T, G, C = (
    SupportKind.FUNDING,
    SupportKind.TRAINING,
    SupportKind.GUIDANCE,
    SupportKind.COORDINATION,
)


@dataclass(frozen=True)
class Ask:
    organisation_id: str
    jurisdiction_id: str
    reviewing_org_id: str
    cycle_code: str
    kind: SupportKind
    amount: Money | None = None


ASKS = (
    Ask(demo_ids.RIVERTON, RIVERTON_CITY, demo_ids.CENTRE, "2025-H1", F, Money("EUR", 500_000)),
    Ask(demo_ids.RIVERTON, RIVERTON_CITY, demo_ids.CENTRE, "2025-H1", T),
    Ask(demo_ids.RIVERTON, RIVERTON_CITY, demo_ids.CENTRE, "2025-H2", F, Money("EUR", 250_000)),
    Ask(demo_ids.RIVERTON, RIVERTON_CITY, demo_ids.CENTRE, "2025-H2", F, Money("USD", 10_000)),
    Ask(demo_ids.LAKESIDE, LAKESIDE_CITY, demo_ids.CENTRE, "2025-H1", F, Money("EUR", 100_000)),
    Ask(demo_ids.LAKESIDE, LAKESIDE_CITY, demo_ids.CENTRE, "2025-H2", G),
    Ask(demo_ids.TELECOM, COUNTRY, demo_ids.CENTRE, "2025-H2", C),
    Ask(demo_ids.BRIDGES, RIVERTON_CITY, OTHER_BODY, "2025-H1", F, Money("EUR", 999)),
)


async def seed_support(deps: ReportingDeps) -> dict[str, Ask]:
    """The requests above, one report per organisation and cycle; by request id."""
    reports: dict[tuple[str, str], str] = defaultdict(lambda: str(uuid.uuid4()))
    made = {str(uuid.uuid4()): a for a in ASKS}
    rows = [
        {
            "id": request_id,
            "report_id": reports[(a.organisation_id, a.cycle_code)],
            "organisation_id": a.organisation_id,
            "jurisdiction_id": a.jurisdiction_id,
            "reviewing_org_id": a.reviewing_org_id,
            "cycle_code": a.cycle_code,
            "kind": str(a.kind),
            "description": f"Please help with {a.kind} ({a.cycle_code})",
            "currency_code": a.amount.currency_code if a.amount else None,
            "amount": a.amount.minor_units if a.amount else None,
        }
        for request_id, a in made.items()
    ]
    async with deps.sessions() as session:
        await session.execute(insert(support_requests), rows)
        await session.commit()
    return made


def grouped(asks: list[Ask]) -> dict[tuple[SupportKind, str], tuple[int, list[Money]]]:
    """What the groups should say: count, and funding per currency."""
    counts: Counter = Counter()
    sums: dict[tuple, Counter] = defaultdict(Counter)
    for a in asks:
        key = (a.kind, CHILD[a.jurisdiction_id])
        counts[key] += 1
        if a.amount:
            sums[key][a.amount.currency_code] += a.amount.minor_units
    return {
        key: (n, sorted(Money(c, units) for c, units in sums[key].items()))
        for key, n in counts.items()
    }


def seen_by(actor: Principal, asks: dict[str, Ask]) -> dict[str, Ask]:
    scope = reviewing_scope(actor)
    return {i: a for i, a in asks.items() if scope is None or a.reviewing_org_id == scope}


async def groups_of(deps: ReportingDeps, actor: Principal, **narrow) -> dict:
    async with deps.sessions() as session:
        f = SupportFilter(await load_subtree(session, COUNTRY), **narrow)
        found = await support_groups(session, f, actor)
    return {(g.kind, g.jurisdiction_id): (g.count, g.amounts) for g in found}


@pytest.mark.parametrize(
    "actor", [ADMIN, REVIEWER, OTHER_REVIEWER], ids=["admin", "reviewer", "other-reviewer"]
)
async def test_groups_count_requests_and_sum_funding_per_currency(reporting_deps, places, actor):
    asks = seen_by(actor, await seed_support(reporting_deps))

    assert await groups_of(reporting_deps, actor) == grouped(list(asks.values()))


async def test_groups_name_the_child_place_and_put_kinds_in_order(reporting_deps, places):
    await seed_support(reporting_deps)

    async with reporting_deps.sessions() as session:
        f = SupportFilter(await load_subtree(session, COUNTRY))
        found = await support_groups(session, f, ADMIN)

    assert [(g.kind, g.display_name) for g in found] == [
        (F, "North"),
        (F, "South"),
        (T, "North"),
        (G, "South"),
        (C, "Arland"),
    ]


async def test_cycles_and_kinds_narrow_the_groups(reporting_deps, places):
    asks = await seed_support(reporting_deps)

    found = await groups_of(reporting_deps, ADMIN, cycles=["2025-H2"], kinds=[F])

    want = [a for a in asks.values() if a.cycle_code == "2025-H2" and a.kind == F]
    assert found == grouped(want)


async def test_items_come_page_by_page_newest_cycle_first(reporting_deps, places):
    asks = seen_by(REVIEWER, await seed_support(reporting_deps))
    async with reporting_deps.sessions() as session:
        f = SupportFilter(await load_subtree(session, COUNTRY))
        items, token = [], ""
        while True:
            page = await support_items(session, f, REVIEWER, page_size=3, token=token)
            items.extend(page.items)
            token = page.next_page_token
            if not token:
                break

    assert sorted(i.request.id for i in items) == sorted(asks)
    cycles = [i.cycle_code for i in items]
    assert cycles == sorted(cycles, reverse=True)
    for item in items:
        ask = asks[item.request.id]
        assert (item.organisation_id, item.request.kind, item.request.amount) == (
            ask.organisation_id,
            ask.kind,
            ask.amount,
        )


async def test_a_reviewer_of_another_body_lists_none_of_centres_requests(reporting_deps, places):
    asks = await seed_support(reporting_deps)
    async with reporting_deps.sessions() as session:
        f = SupportFilter(await load_subtree(session, COUNTRY))
        page = await support_items(session, f, OTHER_REVIEWER, page_size=50, token="")

    assert {i.request.id for i in page.items} == set(seen_by(OTHER_REVIEWER, asks))
    assert {asks[i.request.id].reviewing_org_id for i in page.items} == {OTHER_BODY}
