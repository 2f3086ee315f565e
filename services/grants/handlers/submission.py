"""Submitting applications, in groups: a deadline-day surge shares transactions and reads.

Each request of a group is judged as if alone, in arrival order, against the state the ones
before it left (the same application twice: the second finds it submitted). What the group
reads once: the applications (locked until commit), each call, each applicant's eligibility
and each project place's membership of the call's area.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from services.common.auth import Principal
from services.common.errors import DomainError, FailedPrecondition, Violation
from services.common.uow import UnitOfWork
from services.common.versioned import LockedChange, update_locked
from services.grants.convert.applications import application_changed, application_name
from services.grants.domain.applications import ApplicationState, require_state
from services.grants.domain.calls import Call
from services.grants.domain.submission import content_problems
from services.grants.handlers.applications import SUBJECT, check_own
from services.grants.orm.applications import applications, state_values
from services.grants.orm.calls import load_call
from services.grants.queries.applications import (
    ApplicationView,
    find_applications,
    visible_or_not_found,
)
from services.grants.queries.eligibility import in_area, organisation_reasons, timing_reasons


@dataclass(frozen=True)
class SubmitApplication:
    application_id: str
    etag: str = ""


@dataclass(frozen=True)
class Submission:
    """One caller's request to submit one application."""

    actor: Principal
    cmd: SubmitApplication


@dataclass
class _GroupReads:
    """What a group has read so far, so that each thing is read once."""

    views: dict[str, ApplicationView]
    calls: dict[str, Call] = field(default_factory=dict)
    applicant_reasons: dict[tuple[str, str], list[str]] = field(default_factory=dict)
    in_area: dict[tuple[str | None, str], bool] = field(default_factory=dict)

    async def call(self, uow: UnitOfWork, call_id: str) -> Call:
        if call_id not in self.calls:
            call = await load_call(uow.session, call_id)
            assert call is not None
            self.calls[call_id] = call
        return self.calls[call_id]

    async def reasons(self, uow: UnitOfWork, call: Call, org_id: str) -> list[str]:
        key = (call.id, org_id)
        if key not in self.applicant_reasons:
            _, self.applicant_reasons[key] = await organisation_reasons(uow.session, call, org_id)
        return self.applicant_reasons[key]

    async def place_in_area(self, uow: UnitOfWork, area: str | None, place: str) -> bool:
        if (area, place) not in self.in_area:
            self.in_area[area, place] = await in_area(uow.session, area, place)
        return self.in_area[area, place]


async def _problems(uow: UnitOfWork, reads: _GroupReads, view: ApplicationView) -> list[Violation]:
    """One violation per submission rule the application breaks."""
    app = view.application
    call = await reads.call(uow, app.call_id)
    problems = [Violation("call", r) for r in timing_reasons(call, uow.clock.now())]
    reasons = await reads.reasons(uow, call, app.applicant_org_id)
    problems += [Violation("applicant_organisation", r) for r in reasons]
    place = app.content.jurisdiction_id
    area = call.terms.eligibility.jurisdiction_id
    if place and not await reads.place_in_area(uow, area, place):
        problems.append(
            Violation("application.jurisdiction", "the project's place is outside the call's area")
        )
    return problems + content_problems(call, app, view.summary).violations


async def _submit_one(
    uow: UnitOfWork, reads: _GroupReads, cmd: SubmitApplication
) -> tuple[ApplicationView, LockedChange]:
    """The submitted view of cmd's application and the change that records it; raises the
    domain error that stops it."""
    found = reads.views.get(cmd.application_id)
    view = await visible_or_not_found(uow.session, uow.actor, cmd.application_id, found)
    check_own(uow.actor, view, cmd.etag)
    require_state(view.application, ApplicationState.DRAFT, doing="submitted")
    problems = await _problems(uow, reads, view)
    if problems:
        summary = "; ".join(v.description for v in problems)
        raise FailedPrecondition(f"the application cannot be submitted yet: {summary}", problems)
    stamp = uow.stamp()
    before = view.application
    app = replace(
        before,
        state=ApplicationState.SUBMITTED,
        submit_time=stamp.at,
        version=before.version + 1,
    )
    change = LockedChange(app.id, before.version, state_values(app), stamp)
    return replace(view, application=app, updated_at=stamp.at, updated_by=stamp.by), change


async def submit_applications(
    uow: UnitOfWork, group: Sequence[Submission]
) -> list[ApplicationView | Exception]:
    """draft -> submitted for each request whose rules all hold, in one transaction; for the
    others the error that says why (one violation per unmet rule)."""
    outcomes: list[ApplicationView | Exception] = []
    changes: list[LockedChange] = []
    async with uow:
        ids = {s.cmd.application_id for s in group}
        reads = _GroupReads(await find_applications(uow.session, ids, lock=True))
        for submission in group:
            acting = uow.acting_for(submission.actor)
            try:
                view, change = await _submit_one(acting, reads, submission.cmd)
            except DomainError as error:
                outcomes.append(error)
                continue
            reads.views[view.id] = view
            changes.append(change)
            acting.emit(f"{SUBJECT}.submitted", application_changed(view))
            details = {"state": view.application.state.value}
            acting.audit(application_name(view.id), "submit", details)
            outcomes.append(view)
        await update_locked(uow.session, applications, changes)
        await uow.commit()
    return outcomes


async def submit_application(uow: UnitOfWork, cmd: SubmitApplication) -> ApplicationView:
    """Submit one application as uow's actor (a group of one)."""
    (outcome,) = await submit_applications(uow, [Submission(uow.actor, cmd)])
    if isinstance(outcome, Exception):
        raise outcome
    return outcome
