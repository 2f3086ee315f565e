"""Who sees which plans: owners, the overseeing body's reviewers, administrators; nobody else
learns that a plan exists."""

from __future__ import annotations

from datetime import timedelta

import pytest

from services.common.auth import Principal
from services.common.errors import InvalidArgument, NotFound
from services.reporting.deps import ReportingDeps
from services.reporting.domain.plans import PlanState
from services.reporting.handlers import plans as h
from services.reporting.queries import plans as q
from tests.integration.reporting.conftest import (
    ADMIN,
    CITY,
    CSO,
    FUNDER,
    MANAGER,
    OTHER_CITY,
    OTHER_REVIEWER,
    REVIEWER,
)
from tests.integration.reporting.test_plans_handlers import create, submit
from tests.unit.reporting.test_plan_rules import content


async def listed(deps: ReportingDeps, who: Principal, **filters: object) -> list[str]:
    async with deps.sessions() as session:
        page = await q.list_plans(session, who, **filters)
    return [v.plan.id for v in page.items]


async def readable(deps: ReportingDeps, who: Principal, plan_id: str) -> bool:
    async with deps.sessions() as session:
        try:
            await q.get_visible_plan(session, plan_id, who)
        except NotFound:
            return False
    return True


async def two_plans(deps: ReportingDeps) -> tuple[str, str]:
    """Riverton's (submitted) and Lakeside's (draft), newest last."""
    riverton = (await create(deps)).plan.id
    await submit(deps, riverton)
    deps.clock.advance(timedelta(minutes=1))
    lakeside = (await create(deps, OTHER_CITY)).plan.id
    return riverton, lakeside


@pytest.mark.parametrize(
    ("who", "sees"),
    [
        (CITY, {"riverton"}),
        (OTHER_CITY, {"lakeside"}),
        (REVIEWER, {"riverton", "lakeside"}),
        (ADMIN, {"riverton", "lakeside"}),
        (OTHER_REVIEWER, set()),
        (MANAGER, set()),
        (CSO, set()),
        (FUNDER, set()),
    ],
    ids=["city", "other-city", "reviewer", "admin", "other-reviewer", "manager", "cso", "funder"],
)
async def test_lists_and_reads_agree_on_who_sees_what(
    reporting_deps, places, who: Principal, sees: set[str]
) -> None:
    riverton, lakeside = await two_plans(reporting_deps)
    names = {riverton: "riverton", lakeside: "lakeside"}
    assert {names[i] for i in await listed(reporting_deps, who)} == sees
    for plan_id, name in names.items():
        assert await readable(reporting_deps, who, plan_id) == (name in sees)


async def test_a_hidden_plans_history_is_hidden_too(reporting_deps, places) -> None:
    riverton, _ = await two_plans(reporting_deps)
    async with reporting_deps.sessions() as session:
        with pytest.raises(NotFound):
            await q.list_transitions(session, riverton, OTHER_CITY, requested_size=0, token="")
        with pytest.raises(NotFound):
            await q.list_versions(session, riverton, OTHER_REVIEWER, requested_size=0, token="")
        with pytest.raises(NotFound):
            await q.get_plan_version(session, riverton, 1, OTHER_CITY)
        with pytest.raises(NotFound):
            await q.diff_versions(session, riverton, CSO, 1, 0)
    with pytest.raises(NotFound):
        await h.update_plan(
            reporting_deps.uow(OTHER_CITY),
            h.UpdatePlan(riverton, content(), frozenset({"title"})),
        )


async def test_lists_filter_by_owner_place_and_state_newest_first(reporting_deps, places) -> None:
    riverton, lakeside = await two_plans(reporting_deps)
    assert await listed(reporting_deps, ADMIN) == [lakeside, riverton]
    assert await listed(reporting_deps, REVIEWER, state=PlanState.SUBMITTED) == [riverton]
    assert await listed(reporting_deps, ADMIN, jurisdiction_id=places.lakeside) == [lakeside]
    owner = OTHER_CITY.org_id
    assert await listed(reporting_deps, REVIEWER, owner_org_id=owner) == [lakeside]
    assert await listed(reporting_deps, CITY, owner_org_id=owner) == []


async def test_lists_page_with_tokens_bound_to_the_query(reporting_deps, places) -> None:
    created = [(await create(reporting_deps)).plan.id for _ in range(3)]
    async with reporting_deps.sessions() as session:
        first = await q.list_plans(session, CITY, requested_size=2)
        second = await q.list_plans(session, CITY, requested_size=2, token=first.next_page_token)
        with pytest.raises(InvalidArgument):
            await q.list_plans(session, CITY, state=PlanState.DRAFT, token=first.next_page_token)
    seen = [v.plan.id for v in first.items + second.items]
    assert sorted(seen) == sorted(created)
    assert second.next_page_token == ""
