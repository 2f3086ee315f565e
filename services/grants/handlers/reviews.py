"""Review use cases: join a panel, declare conflicts, assign, submit and moderate reviews."""

from __future__ import annotations

from dataclasses import dataclass, replace

from sqlalchemy import select

from services.common.errors import (
    FailedPrecondition,
    NotFound,
    PermissionDenied,
    ViolationCollector,
    invalid,
    quoted,
)
from services.common.resource_names import new_id
from services.common.uow import UnitOfWork
from services.grants.convert.reviews import review_name, reviewer_name
from services.grants.domain import reviews as domain
from services.grants.domain.applications import Application, ApplicationState
from services.grants.domain.calls import Call, CallState
from services.grants.domain.reviews import DeclaredConflict, Review, Reviewer, ReviewState, Score
from services.grants.orm import reviews as store
from services.grants.orm.applications import applications, load_application
from services.grants.queries.calls import get_call, get_visible_call, manages

ASSIGNABLE_CALL_STATES = (CallState.OPEN, CallState.CLOSED)


@dataclass(frozen=True)
class RegisterReviewer:
    call_id: str


@dataclass(frozen=True)
class DeclareConflict:
    call_id: str
    organisation_id: str
    reason: str


@dataclass(frozen=True)
class AssignReviewers:
    application_id: str
    reviewer_user_ids: tuple[str, ...]


@dataclass(frozen=True)
class SubmitReview:
    review_id: str
    scores: tuple[Score, ...]
    overall_comment: str


@dataclass(frozen=True)
class ModerateScore:
    review_id: str
    criterion_code: str
    score: int
    reason: str


async def register_reviewer(uow: UnitOfWork, cmd: RegisterReviewer) -> Reviewer:
    """Put the caller on the call's panel (idempotent), from their own token."""
    actor = uow.actor
    if not actor.org_id:
        raise PermissionDenied("a reviewer's token must name their organisation (org_id)")
    async with uow:
        call = (await get_visible_call(uow.session, cmd.call_id, actor)).call
        existing = await store.load_reviewer(uow.session, call.id, actor.sub)
        if existing is not None:
            return existing
        if call.state == CallState.DECIDED:
            raise FailedPrecondition("the call is decided; its review panel is closed")
        reviewer = Reviewer(call.id, actor.sub, actor.username, actor.org_id, uow.clock.now())
        await store.add_reviewer(uow.session, reviewer)
        details = {"organisation_id": actor.org_id, "username": actor.username}
        uow.audit(reviewer_name(call.id, actor.sub), "register", details)
        await uow.commit()
    return reviewer


async def declare_conflict(uow: UnitOfWork, cmd: DeclareConflict) -> Reviewer:
    """Record the caller's conflict with an organisation and recuse them from its applications."""
    reason = domain.check_reason(cmd.reason, "reason")
    async with uow:
        call = (await get_visible_call(uow.session, cmd.call_id, uow.actor)).call
        reviewer = await store.load_reviewer(uow.session, call.id, uow.actor.sub)
        if reviewer is None:
            raise FailedPrecondition("join the call's review panel (RegisterReviewer) first")
        if any(c.organisation_id == cmd.organisation_id for c in reviewer.conflicts):
            return reviewer
        conflict = DeclaredConflict(cmd.organisation_id, reason, uow.clock.now())
        await store.add_conflict(uow.session, call.id, reviewer.user_id, conflict)
        reviewer = replace(reviewer, conflicts=(*reviewer.conflicts, conflict))
        details = {"organisation_id": cmd.organisation_id, "reason": reason}
        uow.audit(reviewer_name(call.id, reviewer.user_id), "declare_conflict", details)
        for review in await _open_reviews_for(uow, reviewer, cmd.organisation_id):
            await _recuse(uow, review, domain.recusal_reason(reviewer, cmd.organisation_id))
        await uow.commit()
    return reviewer


async def _open_reviews_for(uow: UnitOfWork, reviewer: Reviewer, org_id: str) -> list[Review]:
    """The reviewer's assigned or submitted reviews of the organisation's applications."""
    of_org = select(applications.c.id).where(
        applications.c.call_id == reviewer.call_id, applications.c.applicant_org_id == org_id
    )
    return await store.reviews_where(
        uow.session,
        store.reviews.c.call_id == reviewer.call_id,
        store.reviews.c.reviewer_user_id == reviewer.user_id,
        store.reviews.c.state.in_([s.value for s in domain.VISIBLE_TO_REVIEWER]),
        store.reviews.c.application_id.in_(of_org),
    )


async def _recuse(uow: UnitOfWork, review: Review, reason: str) -> None:
    recused = replace(review, state=ReviewState.RECUSED, recusal_reason=reason)
    await store.save_review(uow.session, recused, uow.stamp())
    uow.audit(review_name(review.id), "recuse", {"reason": reason, "was": str(review.state)})


async def _managed_application(uow: UnitOfWork, application_id: str) -> tuple[Application, Call]:
    """The application and its call if the caller manages the call; else NotFound/denied."""
    app = await load_application(uow.session, application_id)
    if app is None:
        raise NotFound(f"application {application_id} not found")
    call = (await get_call(uow.session, app.call_id)).call
    if not manages(uow.actor, call):
        if uow.actor.org_id == app.applicant_org_id:
            raise PermissionDenied("only the call's grant managers assign reviewers")
        raise NotFound(f"application {application_id} not found")
    return app, call


async def assign_reviewers(uow: UnitOfWork, cmd: AssignReviewers) -> list[Review]:
    """One review per reviewer; conflicted reviewers are recused at once. Idempotent."""
    async with uow:
        app, call = await _managed_application(uow, cmd.application_id)
        if app.state != ApplicationState.SUBMITTED:
            raise FailedPrecondition(f"only a submitted application is reviewed; it is {app.state}")
        if call.state not in ASSIGNABLE_CALL_STATES:
            raise FailedPrecondition(
                f"reviewers are assigned while a call is open or closed, not {call.state}"
            )
        panel = {r.user_id: r for r in await store.list_reviewers(uow.session, call.id)}
        missing = ViolationCollector()
        for i, user_id in enumerate(cmd.reviewer_user_ids):
            missing.require(
                user_id in panel,
                f"reviewer_user_ids[{i}]",
                f"{quoted(user_id)} has not joined this call's review panel",
            )
        missing.raise_precondition("some reviewers cannot be assigned")
        assigned = {
            r.reviewer_user_id: r
            for r in await store.reviews_where(
                uow.session, store.reviews.c.application_id == app.id
            )
        }
        result = []
        for user_id in cmd.reviewer_user_ids:
            review = assigned.get(user_id) or await _assign(uow, app, panel[user_id])
            result.append(review)
        await uow.commit()
    return result


async def _assign(uow: UnitOfWork, app: Application, reviewer: Reviewer) -> Review:
    reason = domain.recusal_reason(reviewer, app.applicant_org_id)
    state = ReviewState.RECUSED if reason else ReviewState.ASSIGNED
    review = Review(
        id=new_id(),
        call_id=app.call_id,
        application_id=app.id,
        reviewer_user_id=reviewer.user_id,
        reviewer_username=reviewer.username,
        state=state,
        recusal_reason=reason,
    )
    await store.add_review(uow.session, review, uow.stamp())
    details = {"application_id": app.id, "reviewer": reviewer.user_id, "state": str(state)}
    uow.audit(review_name(review.id), "assign", details | ({"reason": reason} if reason else {}))
    return review


async def submit_review(uow: UnitOfWork, cmd: SubmitReview) -> Review:
    """The assigned reviewer scores every criterion; resubmission is allowed until decision."""
    async with uow:
        review = await store.load_review(uow.session, cmd.review_id)
        mine = review is not None and review.reviewer_user_id == uow.actor.sub
        if review is None or not mine or review.state == ReviewState.RECUSED:
            raise NotFound(f"review {cmd.review_id} not found")
        call = (await get_call(uow.session, review.call_id)).call
        app = await load_application(uow.session, review.application_id)
        if call.state == CallState.DECIDED:
            raise FailedPrecondition("the call is decided; its reviews are final")
        if app is None or app.state != ApplicationState.SUBMITTED:
            raise FailedPrecondition("the application is no longer under review")
        domain.check_scores(call.terms.criteria, cmd.scores, cmd.overall_comment)
        changed = domain.submitted(review, cmd.scores, cmd.overall_comment, uow.clock.now())
        saved = await store.save_review(uow.session, changed, uow.stamp())
        scores = {s.criterion_code: s.score for s in saved.scores}
        action = "resubmit" if review.state == ReviewState.SUBMITTED else "submit"
        uow.audit(review_name(review.id), action, {"scores": scores})
        await uow.commit()
    return saved


async def moderate_score(uow: UnitOfWork, cmd: ModerateScore) -> Review:
    """A manager changes one score with a reason; the reviewer's original is kept."""
    reason = domain.check_reason(cmd.reason, "reason")
    async with uow:
        review = await store.load_review(uow.session, cmd.review_id)
        call = (await get_call(uow.session, review.call_id)).call if review else None
        if review is None or call is None or not manages(uow.actor, call):
            raise NotFound(f"review {cmd.review_id} not found")
        if call.state == CallState.DECIDED:
            raise FailedPrecondition("the call is decided; its scores are final")
        rule = next((c for c in call.terms.criteria if c.code == cmd.criterion_code), None)
        if rule is None:
            raise invalid("criterion_code", f"{quoted(cmd.criterion_code)} is not a criterion")
        by = uow.actor.username
        changed = domain.moderated(review, rule, cmd.score, reason, by, uow.clock.now())
        saved = await store.save_review(uow.session, changed, uow.stamp())
        before = next(s for s in review.scores if s.criterion_code == rule.code)
        details = {"criterion_code": rule.code, "from": before.score, "to": cmd.score}
        uow.audit(review_name(review.id), "moderate", details | {"reason": reason})
        await uow.commit()
    return saved
