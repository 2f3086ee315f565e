"""Deciding awards within the pool, signing, holding and releasing tranches, on both databases."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from nlc.common.v1 import common_pb2
from nlc.grants.v1 import awards_pb2 as pb
from nlc.grants.v1 import events_pb2
from services.common.auth import Role, bind_principal
from services.common.errors import FailedPrecondition, InvalidArgument, NotFound, PermissionDenied
from services.common.resource_names import new_id
from services.grants.api import GrantsServicer
from services.grants.deps import GrantsDeps
from services.grants.domain.applications import ApplicationState, MatchState
from services.grants.domain.awards import Award, AwardItem
from services.grants.domain.calls import CallState, Funder
from services.grants.domain.tranches import TrancheState
from services.grants.handlers import applications as app_handlers
from services.grants.handlers import awards as handlers
from services.grants.handlers import calls as call_handlers
from services.grants.queries.applications import get_application
from services.grants.queries.calls import get_call
from tests.integration.grants.conftest import (
    FUNDER_ORG,
    MANAGER,
    MANAGER_ORG,
    OTHER_MANAGER_ORG,
    eur,
    member,
    open_call,
    submitted_application,
)


async def closed_call(deps: GrantsDeps, applicants: int = 2, **overrides: Any) -> tuple[str, list]:
    """A call with `applicants` submitted applications (each by its own CSO), then closed."""
    call = await open_call(deps, **overrides)
    apps = [
        await submitted_application(deps, call.id, applicant_org=new_id())
        for _ in range(applicants)
    ]
    await call_handlers.close_call(deps.uow(MANAGER), call_handlers.CallRef(call.id))
    return call.id, apps


async def decide(deps: GrantsDeps, call_id: str, *items: AwardItem, **kw: Any) -> list[Award]:
    cmd = handlers.DecideAwards(call_id, tuple(items), **kw)
    return await handlers.decide_awards(deps.uow(MANAGER), cmd)


async def test_decision_splits_each_award_exactly_across_funders(
    grants_deps: GrantsDeps, outbox_events: Any
) -> None:
    call_id, (a1, a2) = await closed_call(grants_deps)
    made = await decide(
        grants_deps,
        call_id,
        AwardItem(a1.id, eur(10_000, 1)),
        AwardItem(a2.id, eur(9_000), {MANAGER_ORG: 900_000}, withhold_grantee_name=True),
    )
    first, second = made
    assert first.funder_shares == {FUNDER_ORG: 600_001, MANAGER_ORG: 400_000}
    assert second.funder_shares == {FUNDER_ORG: 0, MANAGER_ORG: 900_000}
    assert second.withhold_grantee_name
    for award in made:
        assert sum(t.amount for t in award.tranches) == award.amount
        for funder, share in award.funder_shares.items():
            assert sum(t.funder_shares[funder] for t in award.tranches) == share
    assert [t.amount for t in first.tranches] == [400_000, 600_001]
    async with grants_deps.sessions() as session:
        assert (await get_application(session, a1.id)).application.state == "awarded"
    events = [e for e in await outbox_events() if e.subject == "nlc.grants.award.made"]
    assert len(events) == 2
    duty = events[0].decode(events_pb2.AwardMade).award.reporting_duty
    assert duty.final_evaluation_required


async def test_pool_overspend_is_refused_naming_what_is_left(grants_deps: GrantsDeps) -> None:
    pledges = (
        Funder(FUNDER_ORG, "Foundation", eur(30_000)),
        Funder(MANAGER_ORG, "City", eur(20_000)),
    )
    call_id, (a1, a2) = await closed_call(grants_deps, funders=pledges)
    await decide(grants_deps, call_id, AwardItem(a1.id, eur(30_000)))
    with pytest.raises(FailedPrecondition) as exc:
        await decide(grants_deps, call_id, AwardItem(a2.id, eur(25_000)))
    [violation] = exc.value.violations
    assert violation.field == "items"
    assert "the pool has 20,000.00 EUR left" in violation.description
    async with grants_deps.sessions() as session:
        assert (await get_application(session, a2.id)).application.state == "submitted"


async def test_rules_of_each_item_are_reported_together(grants_deps: GrantsDeps) -> None:
    call_id, (a1, a2) = await closed_call(grants_deps)
    with pytest.raises(FailedPrecondition) as exc:
        await decide(
            grants_deps, call_id, AwardItem(a1.id, eur(31_000)), AwardItem(a2.id, eur(1_000))
        )
    got = {v.field: v.description for v in exc.value.violations}
    assert "more than the 30,000.00 EUR the applicant asked for" in got["items[0].amount"]
    assert "below the call's minimum award 5,000.00 EUR" in got["items[1].amount"]
    with pytest.raises(InvalidArgument):
        await decide(grants_deps, call_id, AwardItem(a1.id, eur(10_000), {MANAGER_ORG: 1}))


async def test_open_calls_and_strangers_cannot_decide(grants_deps: GrantsDeps) -> None:
    call = await open_call(grants_deps)
    app = await submitted_application(grants_deps, call.id)
    with pytest.raises(FailedPrecondition, match="once the call is closed"):
        await decide(grants_deps, call.id, AwardItem(app.id, eur(10_000)))
    other = member(OTHER_MANAGER_ORG, Role.GRANT_MANAGER)
    cmd = handlers.DecideAwards(call.id, (AwardItem(app.id, eur(10_000)),))
    with pytest.raises(PermissionDenied):
        await handlers.decide_awards(grants_deps.uow(other), cmd)
    with pytest.raises(NotFound):
        await handlers.decide_awards(grants_deps.uow(MANAGER), handlers.DecideAwards(new_id(), ()))


async def test_final_round_closes_the_call_and_the_rest_are_not_awarded(
    grants_deps: GrantsDeps, outbox_events: Any
) -> None:
    call_id, (a1, a2) = await closed_call(grants_deps)
    await decide(grants_deps, call_id, AwardItem(a1.id, eur(10_000)), final_round=True)
    async with grants_deps.sessions() as session:
        assert (await get_call(session, call_id)).call.state == CallState.DECIDED
        assert (await get_application(session, a2.id)).application.state == "not_awarded"
    assert "nlc.grants.call.decided" in [e.subject for e in await outbox_events()]
    with pytest.raises(FailedPrecondition, match="not awarded"):
        await decide(grants_deps, call_id, AwardItem(a2.id, eur(10_000)))


async def test_awarding_the_same_application_twice_is_refused(grants_deps: GrantsDeps) -> None:
    call_id, (a1, _) = await closed_call(grants_deps)
    await decide(grants_deps, call_id, AwardItem(a1.id, eur(10_000)))
    with pytest.raises(FailedPrecondition, match="is awarded"):
        await decide(grants_deps, call_id, AwardItem(a1.id, eur(10_000)))


async def _confirm_match(deps: GrantsDeps, app_id: str) -> None:
    async with deps.sessions() as session:
        view = await get_application(session, app_id)
    commitment = view.application.content.match_commitments[0]
    cmd = app_handlers.ChangeMatch(app_id, commitment.id, MatchState.CONFIRMED, "letter-1")
    await app_handlers.change_match(deps.uow(MANAGER), cmd)


async def test_signing_holds_until_match_is_confirmed_then_releases_once(
    grants_deps: GrantsDeps, outbox_events: Any
) -> None:
    call_id, (a1, _) = await closed_call(grants_deps)
    [award] = await decide(grants_deps, call_id, AwardItem(a1.id, eur(10_000)))
    signed = await handlers.sign_award(grants_deps.uow(MANAGER), handlers.AwardRef(award.id))
    first = signed.tranches[0]
    assert first.state == TrancheState.HELD
    assert "confirmed match 0.00% is below the 25.00% minimum" in first.hold_reason
    release = handlers.ReleaseTranche(award.id, "signing")
    with pytest.raises(FailedPrecondition, match="stays held"):
        await handlers.release_tranche(grants_deps.uow(MANAGER), release)
    grants_deps.clock.advance(timedelta(days=2))
    await _confirm_match(grants_deps, a1.id)
    with pytest.raises(FailedPrecondition, match="already released on 2026-03-04"):
        await handlers.release_tranche(grants_deps.uow(MANAGER), release)
    with pytest.raises(FailedPrecondition, match="waits for an accepted progress report"):
        await handlers.release_tranche(
            grants_deps.uow(MANAGER), handlers.ReleaseTranche(award.id, "report")
        )
    with pytest.raises(FailedPrecondition, match="already signed"):
        await handlers.sign_award(grants_deps.uow(MANAGER), handlers.AwardRef(award.id))
    events = [e for e in await outbox_events() if e.subject == "nlc.grants.tranche.released"]
    assert len(events) == 1
    assert events[0].decode(events_pb2.TrancheReleased).tranche.code == "signing"


async def test_accepted_report_releases_the_report_tranche(grants_deps: GrantsDeps) -> None:
    call_id, (a1, _) = await closed_call(grants_deps)
    [award] = await decide(grants_deps, call_id, AwardItem(a1.id, eur(10_000)))
    await _confirm_match(grants_deps, a1.id)
    await handlers.sign_award(grants_deps.uow(MANAGER), handlers.AwardRef(award.id))
    uow = grants_deps.uow(MANAGER)
    async with uow:
        tranche = await handlers.release_on_accepted_report(uow, award.id)
        await uow.commit()
    assert tranche is not None and tranche.state == TrancheState.RELEASED
    uow = grants_deps.uow(MANAGER)
    async with uow:
        assert await handlers.release_on_accepted_report(uow, award.id) is None


async def test_a_declined_match_holds_the_tranches_still_to_come(grants_deps: GrantsDeps) -> None:
    call_id, (a1, _) = await closed_call(grants_deps)
    [award] = await decide(grants_deps, call_id, AwardItem(a1.id, eur(10_000)))
    await _confirm_match(grants_deps, a1.id)
    signed = await handlers.sign_award(grants_deps.uow(MANAGER), handlers.AwardRef(award.id))
    assert signed.tranches[0].state == TrancheState.RELEASED
    async with grants_deps.sessions() as session:
        view = await get_application(session, a1.id)
    commitment = view.application.content.match_commitments[0]
    declined = app_handlers.ChangeMatch(a1.id, commitment.id, MatchState.DECLINED, "trust letter")
    view = await app_handlers.change_match(grants_deps.uow(MANAGER), declined)
    assert view.application.content.match_commitments[0].state == MatchState.DECLINED
    assert view.summary.match_bps == 0

    uow = grants_deps.uow(MANAGER)
    async with uow:
        tranche = await handlers.release_on_accepted_report(uow, award.id)
        await uow.commit()
    assert tranche is not None and tranche.state == TrancheState.HELD
    assert "confirmed match 0.00% is below the 25.00% minimum" in tranche.hold_reason


async def test_only_the_managing_organisation_signs(grants_deps: GrantsDeps) -> None:
    call_id, (a1, _) = await closed_call(grants_deps)
    [award] = await decide(grants_deps, call_id, AwardItem(a1.id, eur(10_000)))
    funder = member(FUNDER_ORG, Role.FUNDER)
    with pytest.raises(PermissionDenied):
        await handlers.sign_award(grants_deps.uow(funder), handlers.AwardRef(award.id))
    stranger = member(OTHER_MANAGER_ORG, Role.GRANT_MANAGER)
    with pytest.raises(NotFound):
        await handlers.sign_award(grants_deps.uow(stranger), handlers.AwardRef(award.id))
    assert ApplicationState.AWARDED == "awarded"


async def test_api_decides_signs_and_reports_the_ledger(grants_deps: GrantsDeps) -> None:
    call_id, (a1, _) = await closed_call(grants_deps)
    api = GrantsServicer(grants_deps)
    amount = common_pb2.Money(currency_code="EUR", minor_units=1_000_000)
    item = pb.AwardItem(application=f"applications/{a1.id}", amount=amount)
    with bind_principal(MANAGER):
        made = await api.DecideAwards(
            pb.DecideAwardsRequest(call=f"calls/{call_id}", items=[item]), None
        )
        [award] = made.awards
        assert [s.amount.minor_units for s in award.funder_shares] == [600_000, 400_000]
        signed = await api.SignAward(pb.SignAwardRequest(name=award.name), None)
        assert signed.tranches[0].state == pb.TRANCHE_STATE_HELD
        ledger = await api.GetLedger(pb.GetLedgerRequest(call=f"calls/{call_id}"), None)
        export = await api.Export360Giving(pb.Export360GivingRequest(call=f"calls/{call_id}"), None)
    assert ledger.total.committed.minor_units == 1_000_000
    assert ledger.funders[0].funder == f"organisations/{FUNDER_ORG}"
    assert export.grant_count == 1
    with bind_principal(member(FUNDER_ORG, Role.FUNDER)):
        listed = await api.ListAwards(pb.ListAwardsRequest(call=f"calls/{call_id}"), None)
    assert [a.name for a in listed.awards] == [award.name]
    with bind_principal(MANAGER), pytest.raises(InvalidArgument) as exc:
        bad = pb.AwardItem(application="nope", amount=amount)
        await api.DecideAwards(pb.DecideAwardsRequest(call=f"calls/{call_id}", items=[bad]), None)
    assert exc.value.violations[0].field == "items[0].application"
