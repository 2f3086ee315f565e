"""The ledger per funder and per call, who sees it, the 360Giving export, and balance properties."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from services.common.auth import Principal, Role
from services.common.errors import FailedPrecondition, NotFound
from services.grants.deps import GrantsDeps
from services.grants.domain.awards import AwardItem
from services.grants.domain.calls import Funder
from services.grants.handlers import awards as handlers
from services.grants.open_data.schema import problems
from services.grants.queries.awards import export_360giving, get_ledger, list_awards
from tests.integration.grants.conftest import (
    CSO_ORG,
    FUNDER_ORG,
    MANAGER,
    MANAGER_ORG,
    OTHER_MANAGER_ORG,
    add_organisation,
    eur,
    member,
)
from tests.integration.grants.test_award_handlers import _confirm_match, closed_call, decide

AUDITOR = Principal("sub-auditor", "auditor", frozenset({Role.AUDITOR}), None)
FUNDER = member(FUNDER_ORG, Role.FUNDER)


async def _ledger(deps: GrantsDeps, call_id: str, actor: Principal = MANAGER) -> Any:
    async with deps.sessions() as session:
        return await get_ledger(session, call_id, actor)


async def test_ledger_tracks_pledged_committed_disbursed_available(grants_deps: GrantsDeps) -> None:
    call_id, (a1, a2) = await closed_call(grants_deps)
    [award, _] = await decide(
        grants_deps, call_id, AwardItem(a1.id, eur(10_000)), AwardItem(a2.id, eur(5_000, 1))
    )
    await _confirm_match(grants_deps, a1.id)
    await handlers.sign_award(grants_deps.uow(MANAGER), handlers.AwardRef(award.id))
    pool, names = await _ledger(grants_deps, call_id)
    funder, city = pool.positions[FUNDER_ORG], pool.positions[MANAGER_ORG]
    assert (funder.pledged, funder.committed, funder.disbursed) == (60_000_000, 900_001, 240_000)
    assert (city.pledged, city.committed, city.disbursed) == (40_000_000, 600_000, 160_000)
    total = pool.total()
    assert (total.committed, total.disbursed, total.available) == (1_500_001, 400_000, 98_499_999)
    assert names[FUNDER_ORG] == "Ardenia Telecom Foundation"


@pytest.mark.parametrize(
    "actor",
    [MANAGER, FUNDER, AUDITOR, Principal("p", "p", frozenset({Role.PLATFORM_ADMIN}), None)],
    ids=["manager", "co-funder", "auditor", "platform-admin"],
)
async def test_who_sees_every_row_of_the_ledger(grants_deps: GrantsDeps, actor: Principal) -> None:
    call_id, _ = await closed_call(grants_deps, applicants=0)
    pool, _ = await _ledger(grants_deps, call_id, actor)
    assert list(pool.positions) == [FUNDER_ORG, MANAGER_ORG]


@pytest.mark.parametrize(
    "actor",
    [
        member("0b1c7a52-0000-4000-8000-00000000ffff", Role.FUNDER),
        member(OTHER_MANAGER_ORG, Role.GRANT_MANAGER),
        member(CSO_ORG, Role.CSO_MEMBER),
    ],
    ids=["other-funder", "other-manager", "applicant"],
)
async def test_others_do_not_find_the_ledger(grants_deps: GrantsDeps, actor: Principal) -> None:
    call_id, _ = await closed_call(grants_deps, applicants=0)
    with pytest.raises(NotFound):
        await _ledger(grants_deps, call_id, actor)
    async with grants_deps.sessions() as session:
        with pytest.raises(NotFound):
            await export_360giving(session, actor, call_id)


async def test_grantee_sees_its_own_award_only(grants_deps: GrantsDeps) -> None:
    call_id, (a1, a2) = await closed_call(grants_deps)
    made = await decide(
        grants_deps, call_id, AwardItem(a1.id, eur(10_000)), AwardItem(a2.id, eur(10_000))
    )
    grantee = member(made[0].grantee_org_id)
    async with grants_deps.sessions() as session:
        page = await list_awards(session, grantee, call_id=call_id)
        assert [a.id for a in page.items] == [made[0].id]
        assert len((await list_awards(session, FUNDER)).items) == 2


async def test_export_validates_and_withholds_names(grants_deps: GrantsDeps) -> None:
    call_id, (a1, a2) = await closed_call(grants_deps)
    async with grants_deps.sessions() as session:
        with pytest.raises(FailedPrecondition, match="no awards to export"):
            await export_360giving(session, MANAGER, call_id)
    await add_organisation(grants_deps, a2.application.applicant_org_id, display_name="Safe House")
    await decide(
        grants_deps,
        call_id,
        AwardItem(a1.id, eur(10_000, 5)),
        AwardItem(a2.id, eur(7_000), withhold_grantee_name=True),
    )
    async with grants_deps.sessions() as session:
        text, count = await export_360giving(session, FUNDER, call_id)
    package = json.loads(text, parse_float=Decimal)
    assert count == 2 and problems(package) == []
    first, second = package["grants"]
    assert first["amountAwarded"] == Decimal("10000.05")
    assert [f["name"] for f in first["fundingOrganization"]] == [
        "Ardenia Telecom Foundation",
        "Riverton City Hall",
    ]
    assert first["regrantType"] == "FRG040"
    assert second["recipientOrganization"][0]["name"] == "Withheld recipient"
    assert "Safe House" not in text and a2.application.applicant_org_id not in text


operation = st.one_of(
    st.tuples(st.just("decide"), st.integers(0, 3), st.integers(5_000, 30_000), st.booleans()),
    st.tuples(st.just("confirm"), st.integers(0, 3)),
    st.tuples(st.just("sign"), st.integers(0, 3)),
    st.tuples(st.just("release"), st.integers(0, 3), st.sampled_from(["signing", "report"])),
    st.tuples(st.just("report"), st.integers(0, 3)),
)
EXPECTED = (FailedPrecondition, NotFound)


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(operations=st.lists(operation, min_size=1, max_size=10))
async def test_ledger_balances_over_random_operations(
    grants_deps: GrantsDeps, operations: list
) -> None:
    pledges = (
        Funder(FUNDER_ORG, "Foundation", eur(40_000)),
        Funder(MANAGER_ORG, "City", eur(25_000)),
    )
    call_id, apps = await closed_call(grants_deps, applicants=4, funders=pledges)
    awards: dict[int, str] = {}
    for op in operations:
        kind, index, *args = op
        try:
            await _apply(grants_deps, call_id, apps, awards, kind, index, args)
        except EXPECTED:
            pass
        pool, _ = await _ledger(grants_deps, call_id)
        rows, total = list(pool.positions.values()), pool.total()
        for row in [*rows, total]:
            assert row.available == row.pledged - row.committed
            assert 0 <= row.disbursed <= row.committed <= row.pledged
        for attr in ("pledged", "committed", "disbursed", "available"):
            assert sum(getattr(r, attr) for r in rows) == getattr(total, attr)


async def _apply(
    deps: GrantsDeps, call_id: str, apps: list, awards: dict, kind: str, i: int, args: list
) -> None:
    uow = deps.uow(MANAGER)
    if kind == "decide":
        earmark = {FUNDER_ORG: args[0] * 100} if args[1] else {}
        [award] = await decide(deps, call_id, AwardItem(apps[i].id, eur(args[0]), earmark))
        awards[i] = award.id
    elif kind == "confirm":
        await _confirm_match(deps, apps[i].id)
    elif i in awards and kind == "sign":
        await handlers.sign_award(uow, handlers.AwardRef(awards[i]))
    elif i in awards and kind == "release":
        await handlers.release_tranche(uow, handlers.ReleaseTranche(awards[i], args[0]))
    elif i in awards and kind == "report":
        async with uow:
            await handlers.release_on_accepted_report(uow, awards[i])
            await uow.commit()
