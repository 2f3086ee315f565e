"""Review reads: a reviewer's own reviews, what a reviewer may see, and a call's ranking."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from services.common.auth import Principal, Role
from services.common.errors import PermissionDenied
from services.common.paging import Page, fetch_page
from services.grants.domain.applications import Application, ApplicationState
from services.grants.domain.calls import Call
from services.grants.domain.reviews import (
    VISIBLE_TO_REVIEWER,
    RankEntry,
    Review,
    Reviewer,
    ReviewState,
    mean_weighted_score,
    ranked,
)
from services.grants.orm.applications import applications
from services.grants.orm.reviews import list_reviewers, reviews, reviews_where, to_review
from services.grants.queries.applications import get_visible_application, register_reader
from services.grants.queries.calls import get_call, get_visible_call, manages

# Applications that compete for the call's money (withdrawn and drafts do not).
RANKED_STATES = (
    ApplicationState.SUBMITTED,
    ApplicationState.AWARDED,
    ApplicationState.NOT_AWARDED,
)
_VISIBLE = [s.value for s in VISIBLE_TO_REVIEWER]


@dataclass(frozen=True)
class RankedView:
    application_id: str
    title: str
    applicant_organisation_id: str
    weighted_score: int
    reviews_done: int
    reviews_needed: int
    rank: int
    moderated_scores: int


@dataclass(frozen=True)
class RankingView:
    call_id: str
    applications: list[RankedView]


async def reviewer_can_see(session: AsyncSession, application_id: str, user_id: str) -> bool:
    """True when the application is assigned to user_id and they are not recused from it."""
    query = select(reviews.c.id).where(
        reviews.c.application_id == application_id,
        reviews.c.reviewer_user_id == user_id,
        reviews.c.state.in_(_VISIBLE),
    )
    return (await session.execute(query.limit(1))).first() is not None


async def assigned_reviewer_reads(
    session: AsyncSession, actor: Principal, app: Application
) -> bool:
    """GetApplication hook: a grant reviewer reads what is assigned to them, unless recused."""
    return actor.has_any(Role.GRANT_REVIEWER) and await reviewer_can_see(session, app.id, actor.sub)


register_reader(assigned_reviewer_reads)


async def my_reviews(session: AsyncSession, user_id: str, call_id: str | None) -> list[Review]:
    """The caller's assigned and submitted reviews (never recused ones), oldest first."""
    conditions = [reviews.c.reviewer_user_id == user_id, reviews.c.state.in_(_VISIBLE)]
    if call_id is not None:
        conditions.append(reviews.c.call_id == call_id)
    return await reviews_where(session, *conditions)


async def get_panel(session: AsyncSession, call_id: str, actor: Principal) -> list[Reviewer]:
    """The call's reviewers and their declared conflicts, for its managers."""
    call = (await get_visible_call(session, call_id, actor)).call
    if not manages(actor, call):
        raise PermissionDenied("only the call's grant managers see its review panel")
    return await list_reviewers(session, call.id)


async def list_reviews(
    session: AsyncSession,
    application_id: str,
    actor: Principal,
    *,
    requested_size: int = 0,
    token: str = "",
) -> Page[Review]:
    """Every review of the application, recused ones too, for the call's managers; oldest
    assignment first. NotFound when actor may not see the application."""
    view = await get_visible_application(session, application_id, actor)
    call = (await get_call(session, view.application.call_id)).call
    if not manages(actor, call):
        raise PermissionDenied("only the call's grant managers see an application's reviews")
    query = (
        select(reviews)
        .where(reviews.c.application_id == application_id)
        .order_by(reviews.c.created_at, reviews.c.id)
    )
    fingerprint = {"parent": application_id, "sub": actor.sub}
    return await fetch_page(
        session, query, to_review, fingerprint, requested_size=requested_size, token=token
    )


def may_read_ranking(actor: Principal, call: Call) -> bool:
    """The call's managers, and funders whose organisation pledged to it."""
    if manages(actor, call):
        return True
    funders = {f.organisation_id for f in call.terms.funders if f.organisation_id}
    return actor.has_any(Role.FUNDER) and actor.org_id in funders


async def get_ranking(session: AsyncSession, call_id: str, actor: Principal) -> RankingView:
    """Competing applications by mean weighted score over submitted reviews, ranked."""
    call = (await get_visible_call(session, call_id, actor)).call
    if not may_read_ranking(actor, call):
        raise PermissionDenied("only the call's grant managers and funders see its ranking")
    return await ranking(session, call)


async def ranking(session: AsyncSession, call: Call) -> RankingView:
    """The ranking of call's competing applications (no access check)."""
    a = applications
    query = select(a.c.id, a.c.title, a.c.applicant_org_id, a.c.submit_time).where(
        a.c.call_id == call.id, a.c.state.in_([s.value for s in RANKED_STATES])
    )
    apps = {row.id: row for row in await session.execute(query)}
    done = await reviews_where(
        session, reviews.c.call_id == call.id, reviews.c.state == ReviewState.SUBMITTED.value
    )
    scores: dict[str, list[tuple]] = {app_id: [] for app_id in apps}
    for r in done:
        if r.application_id in scores:
            scores[r.application_id].append(r.scores)
    criteria = call.terms.criteria
    entries = [
        RankEntry(
            app_id,
            mean_weighted_score(criteria, scores[app_id]),
            len(scores[app_id]),
            row.submit_time,
        )
        for app_id, row in apps.items()
    ]
    return RankingView(
        call.id,
        [
            RankedView(
                application_id=e.application_id,
                title=apps[e.application_id].title,
                applicant_organisation_id=apps[e.application_id].applicant_org_id,
                weighted_score=e.weighted_score,
                reviews_done=e.reviews_done,
                reviews_needed=call.terms.reviews_per_application,
                rank=rank,
                moderated_scores=sum(
                    s.moderated for scores_of in scores[e.application_id] for s in scores_of
                ),
            )
            for rank, e in ranked(entries)
        ],
    )
