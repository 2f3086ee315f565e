"""Seeding the grants demo through the real handlers: resumable and idempotent.

The applicants must first reach the eligibility read model from registry events, so the seed
waits for them (the consumer already runs); without a registry it gives up with a warning.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import datetime

from sqlalchemy import select

from services.common.errors import AlreadyExists, Conflict
from services.grants.demo_data import (
    APPLICANTS,
    APPLICATIONS,
    DECISION_NOTE,
    MANAGER,
    NEEDED,
    PANEL,
    SHARED_FUND,
    SMALL_GRANTS,
    WITHDRAWAL_REASON,
    DemoApplication,
    eur,
    shared_fund_terms,
    small_grants_terms,
)
from services.grants.deps import GrantsDeps
from services.grants.domain.applications import Application, ApplicationState, MatchState
from services.grants.domain.awards import Award, AwardItem
from services.grants.domain.calls import CallState, CallTerms
from services.grants.domain.eligibility import VerificationState
from services.grants.domain.reviews import ReviewState, Score
from services.grants.handlers import applications as app_handlers
from services.grants.handlers import awards as award_handlers
from services.grants.handlers import calls as call_handlers
from services.grants.handlers import reviews as review_handlers
from services.grants.handlers import submission
from services.grants.orm import reviews as review_store
from services.grants.orm.applications import load_application
from services.grants.orm.awards import awards, load_awards
from services.grants.orm.calls import load_call
from services.grants.orm.read_model import load_organisation
from services.grants.queries.eligibility import timing_reasons

log = logging.getLogger("nlc.grants.demo")

WAIT_S = 30.0
POLL_S = 0.25
CALLS: tuple[tuple[str, Callable[[datetime], CallTerms]], ...] = (
    (SHARED_FUND, shared_fund_terms),
    (SMALL_GRANTS, small_grants_terms),
)
SUBMITTED_OR_LATER = {"submitted", "withdrawn", "awarded", "not_awarded"}


async def _missing_organisations(deps: GrantsDeps) -> list[str]:
    """NEEDED organisations the read model does not know yet (applicants: not yet verified)."""
    missing = []
    async with deps.sessions() as session:
        for org_id in NEEDED:
            org = await load_organisation(session, org_id)
            verified = org is not None and org.verification_state is VerificationState.VERIFIED
            if org is None or (org_id in APPLICANTS and not verified):
                missing.append(org_id)
    return missing


async def wait_for_read_model(deps: GrantsDeps, deadline_s: float, poll_s: float) -> bool:
    """Poll until the demo organisations arrived from the registry; False at the deadline."""
    loop = asyncio.get_running_loop()
    until = loop.time() + deadline_s
    while await _missing_organisations(deps):
        if loop.time() >= until:
            return False
        await asyncio.sleep(poll_s)
    return True


async def _application(deps: GrantsDeps, app_id: str) -> Application | None:
    async with deps.sessions() as session:
        return await load_application(session, app_id)


async def _calls(deps: GrantsDeps) -> bool:
    """Create and open the demo calls that are missing or still drafts."""
    changed = False
    for call_id, terms in CALLS:
        async with deps.sessions() as session:
            call = await load_call(session, call_id)
        if call is None:
            create = call_handlers.CreateCall(terms(deps.clock.now()), call_id=call_id)
            call = (await call_handlers.create_call(deps.uow(MANAGER), create)).call
            changed = True
        if call.state is CallState.DRAFT:
            await call_handlers.open_call(deps.uow(MANAGER), call_handlers.CallRef(call_id))
            changed = True
    return changed


async def _applying(deps: GrantsDeps, demo: DemoApplication) -> bool:
    """Create the application if its call still takes them, then submit or withdraw it."""
    who = APPLICANTS[demo.applicant]
    app = await _application(deps, demo.id)
    changed = False
    if app is None:
        async with deps.sessions() as session:
            call = await load_call(session, demo.call_id)
        if call is None or timing_reasons(call, deps.clock.now()):
            log.warning("demo call no longer takes applications", extra={"application": demo.id})
            return False
        create = app_handlers.CreateApplication(demo.call_id, demo.content, application_id=demo.id)
        app = (await app_handlers.create_application(deps.uow(who), create)).application
        changed = True
    if app.state is ApplicationState.DRAFT and demo.state in SUBMITTED_OR_LATER:
        submit = submission.SubmitApplication(demo.id)
        app = (await submission.submit_application(deps.uow(who), submit)).application
        changed = True
    if app.state is ApplicationState.SUBMITTED and demo.state == "withdrawn":
        withdraw = app_handlers.WithdrawApplication(demo.id, WITHDRAWAL_REASON)
        await app_handlers.withdraw_application(deps.uow(who), withdraw)
        changed = True
    return changed


async def _reviewing(deps: GrantsDeps, demo: DemoApplication) -> bool:
    """The panel member joins the call's panel, is assigned, and submits the scores."""
    async with deps.sessions() as session:
        call = await load_call(session, demo.call_id)
        reviewer = await review_store.load_reviewer(session, demo.call_id, PANEL.sub)
        mine = await review_store.reviews_where(
            session,
            review_store.reviews.c.application_id == demo.id,
            review_store.reviews.c.reviewer_user_id == PANEL.sub,
        )
    app = await _application(deps, demo.id)
    if call is None or app is None or call.state is CallState.DECIDED:
        return False
    changed = False
    if reviewer is None:
        register = review_handlers.RegisterReviewer(demo.call_id)
        await review_handlers.register_reviewer(deps.uow(PANEL), register)
        changed = True
    if not mine and app.state is ApplicationState.SUBMITTED:
        assign = review_handlers.AssignReviewers(demo.id, (PANEL.sub,))
        mine = await review_handlers.assign_reviewers(deps.uow(MANAGER), assign)
        changed = True
    for review in mine:
        if review.state is ReviewState.ASSIGNED:
            criteria = call.terms.criteria
            scores = tuple(Score(c.code, s) for c, s in zip(criteria, demo.scores, strict=True))
            submit = review_handlers.SubmitReview(review.id, scores, demo.review_comment)
            await review_handlers.submit_review(deps.uow(PANEL), submit)
            changed = True
    return changed


async def _deciding(deps: GrantsDeps) -> bool:
    """Close the pooled fund early and decide its one (final) round."""
    async with deps.sessions() as session:
        call = await load_call(session, SHARED_FUND)
    if call is None or call.state is CallState.DECIDED:
        return False
    ref = call_handlers.CallRef(SHARED_FUND)
    if call.state is CallState.OPEN:
        await call_handlers.close_call(deps.uow(MANAGER), ref)
    items = tuple(
        AwardItem(d.id, eur(d.award)) for d in APPLICATIONS if d.call_id == SHARED_FUND and d.award
    )
    decide = award_handlers.DecideAwards(SHARED_FUND, items, final_round=True, note=DECISION_NOTE)
    await award_handlers.decide_awards(deps.uow(MANAGER), decide)
    return True


async def _award_of(deps: GrantsDeps, app_id: str) -> Award | None:
    async with deps.sessions() as session:
        rows = list(await session.execute(select(awards).where(awards.c.application_id == app_id)))
        found = await load_awards(session, rows)
    return found[0] if found else None


async def _signing(deps: GrantsDeps, demo: DemoApplication) -> bool:
    """The grantee confirms its match funding, then the manager signs (releasing the tranche)."""
    award = await _award_of(deps, demo.id)
    app = await _application(deps, demo.id)
    if award is None or app is None:
        return False
    changed = False
    for m in app.content.match_commitments:
        if m.state is MatchState.PLEDGED:
            evidence = f"Signed commitment letter {m.commitment_reference}"
            confirm = app_handlers.ChangeMatch(demo.id, m.id, MatchState.CONFIRMED, evidence)
            await app_handlers.change_match(deps.uow(APPLICANTS[demo.applicant]), confirm)
            changed = True
    if award.sign_time is None:
        await award_handlers.sign_award(deps.uow(MANAGER), award_handlers.AwardRef(award.id))
        changed = True
    return changed


async def seed_demo(deps: GrantsDeps, *, wait_s: float = WAIT_S, poll_s: float = POLL_S) -> bool:
    """Seed the grants demo, creating only what is missing; True when something changed.

    Waits up to wait_s for the registry's demo organisations to reach the read model; returns
    False (with a warning) when they do not arrive, e.g. because the registry is not running.
    """
    if not await wait_for_read_model(deps, wait_s, poll_s):
        log.warning("registry demo organisations never arrived; grants demo not seeded")
        return False
    try:
        changed = await _calls(deps)
        for demo in APPLICATIONS:
            changed |= await _applying(deps, demo)
        for demo in APPLICATIONS:
            changed |= bool(demo.scores) and await _reviewing(deps, demo)
        changed |= await _deciding(deps)
        for demo in APPLICATIONS:
            changed |= bool(demo.award) and await _signing(deps, demo)
    except (AlreadyExists, Conflict):
        return False  # another replica is seeding at the same time; it finishes the job
    return changed
