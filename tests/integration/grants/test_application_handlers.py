"""Applications through handlers: drafts saved as you type, submission rules, match, visibility."""

from __future__ import annotations

from datetime import timedelta

import pytest

from nlc.grants.v1 import events_pb2
from services.common.auth import Role
from services.common.errors import (
    FailedPrecondition,
    InvalidArgument,
    NotFound,
    PermissionDenied,
)
from services.common.money import Money
from services.grants.domain.applications import (
    ApplicationState,
    BudgetCategory,
    BudgetLine,
    Content,
    MatchCommitment,
    MatchState,
)
from services.grants.domain.calls import MatchKind
from services.grants.domain.eligibility import Eligibility, OrganisationKind, VerificationState
from services.grants.handlers import applications as h
from services.grants.handlers import submission
from services.grants.queries.applications import get_visible_application, list_applications
from services.grants.scheduler import close_due_calls
from tests.integration.grants.conftest import (
    APPLICANT,
    CSO_ORG,
    MANAGER,
    NOW,
    add_jurisdiction,
    add_organisation,
    application_content,
    draft_application,
    member,
    open_call,
    submitted_application,
)


def _problems(caught: pytest.ExceptionInfo[FailedPrecondition]) -> str:
    return " | ".join(v.description for v in caught.value.violations)


async def test_a_draft_saves_partial_data_and_shows_budget_figures(grants_deps) -> None:
    call = await open_call(grants_deps)
    await add_organisation(grants_deps, CSO_ORG)
    draft = await h.create_application(
        grants_deps.uow(APPLICANT), h.CreateApplication(call.id, Content(title="Half done"))
    )
    assert draft.application.state == ApplicationState.DRAFT
    lines = (
        BudgetLine(BudgetCategory.STAFF, "Staff", Money("EUR", 97_000)),
        BudgetLine(BudgetCategory.MONITORING_EVALUATION, "M&E", Money("EUR", 3_000)),
    )
    saved = await h.update_application(
        grants_deps.uow(APPLICANT),
        h.UpdateApplication(
            draft.id, Content(budget_lines=lines, title="ignored"), frozenset({"budget_lines"})
        ),
    )
    assert saved.application.content.title == "Half done"
    assert saved.summary.total_cost == Money("EUR", 100_000)
    assert saved.summary.monitoring_evaluation_bps == 300
    with pytest.raises(InvalidArgument) as caught:
        bad = (BudgetLine(BudgetCategory.STAFF, "x", Money("GBP", 1)),)
        await h.update_application(
            grants_deps.uow(APPLICANT),
            h.UpdateApplication(draft.id, Content(budget_lines=bad), frozenset({"budget_lines"})),
        )
    assert "must be EUR" in caught.value.violations[0].description


async def test_submit_names_every_unmet_rule_in_plain_words(grants_deps) -> None:
    north = await add_jurisdiction(grants_deps, code="RV-N", display_name="Northern Region")
    elsewhere = await add_jurisdiction(grants_deps, code="XX", display_name="Elsewhere")
    call = await open_call(grants_deps, eligibility=Eligibility(jurisdiction_id=north))
    await add_organisation(
        grants_deps, CSO_ORG, state=VerificationState.PENDING, jurisdiction_id=elsewhere
    )
    content = application_content(
        title="",
        budget_lines=(
            BudgetLine(BudgetCategory.STAFF, "Staff", Money("EUR", 9_700_000)),
            BudgetLine(BudgetCategory.MONITORING_EVALUATION, "M&E", Money("EUR", 300_000)),
        ),
        requested_amount=Money("EUR", 6_000_000),
        match_commitments=(
            MatchCommitment(
                "",
                None,
                "Trust",
                MatchKind.CASH,
                Money("EUR", 1_000_000),
                commitment_reference="T-1",
            ),
        ),
    )
    draft = await draft_application(grants_deps, call.id, **content.__dict__)
    with pytest.raises(FailedPrecondition) as caught:
        await submission.submit_application(
            grants_deps.uow(APPLICANT), submission.SubmitApplication(draft.id)
        )
    said = _problems(caught)
    assert "your organisation is not verified yet" in said
    assert "your organisation is outside the call's area (Northern Region)" in said
    assert "give the application a title" in said
    assert (
        "monitoring and evaluation is 3.00% of the budget; the call asks for at least 5.00%" in said
    )
    assert "match funding is 10.00% of the project cost; the call asks for at least 25.00%" in said
    assert "requested amount is above the maximum award of 50,000.00 EUR" in said


async def test_in_kind_match_counts_only_up_to_the_cap(grants_deps) -> None:
    call = await open_call(grants_deps)
    commitments = (
        MatchCommitment(
            "", None, "Hall", MatchKind.IN_KIND, Money("EUR", 600_000), commitment_reference="H-1"
        ),
        MatchCommitment(
            "", None, "Trust", MatchKind.CASH, Money("EUR", 400_000), commitment_reference="T-2"
        ),
    )
    draft = await draft_application(grants_deps, call.id, match_commitments=commitments)
    with pytest.raises(FailedPrecondition) as caught:
        await submission.submit_application(
            grants_deps.uow(APPLICANT), submission.SubmitApplication(draft.id)
        )
    assert _problems(caught) == (
        "in-kind match is 60.00% of the required match; at most 50.00% may be in kind"
    )


async def test_a_closed_call_and_a_suspended_applicant_are_refused(grants_deps) -> None:
    call = await open_call(grants_deps, closes_at=NOW + timedelta(hours=1))
    draft = await draft_application(grants_deps, call.id)
    await add_organisation(grants_deps, CSO_ORG, state=VerificationState.SUSPENDED)
    grants_deps.clock.advance(timedelta(hours=2))
    await close_due_calls(grants_deps)
    with pytest.raises(FailedPrecondition) as caught:
        await submission.submit_application(
            grants_deps.uow(APPLICANT), submission.SubmitApplication(draft.id)
        )
    said = _problems(caught)
    assert "the call closed on 2026-03-02" in said
    assert "suspended" in said


async def test_submit_emits_an_event_and_the_draft_locks(grants_deps, outbox_events) -> None:
    call = await open_call(grants_deps)
    app = await submitted_application(grants_deps, call.id)
    assert app.application.state == ApplicationState.SUBMITTED
    assert app.application.submit_time == NOW
    events = [e for e in await outbox_events() if e.subject.startswith("nlc.grants.application")]
    assert [e.subject for e in events] == ["nlc.grants.application.submitted"]
    decoded = events[0].decode(events_pb2.ApplicationChanged).application
    assert decoded.budget_summary.match_bps == 2500
    with pytest.raises(FailedPrecondition):
        await h.update_application(
            grants_deps.uow(APPLICANT),
            h.UpdateApplication(app.id, Content(title="x"), frozenset({"title"})),
        )


async def test_one_commitment_cannot_back_two_applications(grants_deps) -> None:
    call = await open_call(grants_deps)
    shared = application_content().match_commitments
    first = await draft_application(grants_deps, call.id, match_commitments=shared)
    other_org = await add_organisation(grants_deps, display_name="Second CSO")
    with pytest.raises(FailedPrecondition) as caught:
        await draft_application(
            grants_deps, call.id, applicant_org=other_org, match_commitments=shared
        )
    assert "already backs another application" in _problems(caught)
    assert shared[0].commitment_reference in _problems(caught)
    await h.withdraw_application(grants_deps.uow(APPLICANT), h.WithdrawApplication(first.id))
    again = await draft_application(
        grants_deps, call.id, applicant_org=other_org, match_commitments=shared
    )
    assert again.application.content.match_commitments[0].id


async def test_match_moves_forward_with_evidence(grants_deps, outbox_events) -> None:
    call = await open_call(grants_deps)
    app = await submitted_application(grants_deps, call.id)
    commitment = app.application.content.match_commitments[0]
    with pytest.raises(InvalidArgument):
        await h.change_match(
            grants_deps.uow(APPLICANT),
            h.ChangeMatch(app.id, commitment.id, MatchState.CONFIRMED, ""),
        )
    done = await h.change_match(
        grants_deps.uow(APPLICANT),
        h.ChangeMatch(app.id, commitment.id, MatchState.CONFIRMED, "letter-2026-03"),
    )
    assert done.application.content.match_commitments[0].state == MatchState.CONFIRMED
    received = await h.change_match(
        grants_deps.uow(MANAGER),
        h.ChangeMatch(app.id, commitment.id, MatchState.RECEIVED, "bank statement"),
    )
    assert received.application.content.match_commitments[0].evidence_reference == "bank statement"
    with pytest.raises(FailedPrecondition):
        await h.change_match(
            grants_deps.uow(APPLICANT),
            h.ChangeMatch(app.id, commitment.id, MatchState.CONFIRMED, "again"),
        )
    subjects = [e.subject for e in await outbox_events()]
    assert subjects.count("nlc.grants.match.confirmed") == 1


async def test_applicants_see_their_own_and_managers_only_submitted(grants_deps) -> None:
    call = await open_call(grants_deps)
    draft = await draft_application(grants_deps, call.id)
    other_org = await add_organisation(grants_deps, kind=OrganisationKind.CSO)
    submitted = await submitted_application(grants_deps, call.id, applicant_org=other_org)
    stranger = member(other_org)
    async with grants_deps.sessions() as session:
        assert (await get_visible_application(session, draft.id, APPLICANT)).id == draft.id
        for who in (MANAGER, stranger, member(CSO_ORG, Role.FUNDER)):
            if who.org_id == CSO_ORG:
                continue
            with pytest.raises(NotFound):
                await get_visible_application(session, draft.id, who)
        assert (await get_visible_application(session, submitted.id, MANAGER)).id == submitted.id
        managed = await list_applications(session, MANAGER, call_id=call.id)
        own = await list_applications(session, APPLICANT)
    assert [v.id for v in managed.items] == [submitted.id]
    assert [v.id for v in own.items] == [draft.id]


async def test_only_the_applicant_withdraws_and_only_once(grants_deps) -> None:
    call = await open_call(grants_deps)
    app = await submitted_application(grants_deps, call.id)
    with pytest.raises(PermissionDenied):
        await h.withdraw_application(grants_deps.uow(MANAGER), h.WithdrawApplication(app.id))
    with pytest.raises(NotFound):
        await h.withdraw_application(
            grants_deps.uow(member(await add_organisation(grants_deps))),
            h.WithdrawApplication(app.id),
        )
    done = await h.withdraw_application(grants_deps.uow(APPLICANT), h.WithdrawApplication(app.id))
    assert done.application.state == ApplicationState.WITHDRAWN
    with pytest.raises(FailedPrecondition):
        await h.withdraw_application(grants_deps.uow(APPLICANT), h.WithdrawApplication(app.id))
