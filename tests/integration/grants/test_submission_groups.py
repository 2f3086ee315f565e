"""Submissions that arrive together share one transaction, and each gets its own answer."""

from __future__ import annotations

import asyncio

from nlc.grants.v1 import events_pb2
from services.common.errors import Conflict, FailedPrecondition, NotFound
from services.grants.domain.applications import ApplicationState
from services.grants.handlers.submission import Submission, SubmitApplication
from services.grants.queries.applications import get_application
from tests.integration.grants.conftest import (
    APPLICANT,
    CSO_ORG,
    MANAGER,
    add_organisation,
    draft_application,
    member,
    open_call,
)

OTHER_CSO = "0b1c7a52-0000-4000-8000-0000000000c2"


async def test_one_group_answers_each_submission_as_if_it_were_alone(
    grants_deps, outbox_events, audit_of
) -> None:
    call = await open_call(grants_deps)
    await add_organisation(grants_deps, CSO_ORG)
    complete = [await draft_application(grants_deps, call.id) for _ in range(3)]
    untitled = await draft_application(grants_deps, call.id, title="")
    theirs = await draft_application(grants_deps, call.id, applicant_org=OTHER_CSO)
    twice = complete[0]
    requests = [
        Submission(APPLICANT, SubmitApplication(complete[0].id)),
        Submission(APPLICANT, SubmitApplication(complete[1].id, etag="1")),
        Submission(APPLICANT, SubmitApplication(untitled.id)),
        Submission(APPLICANT, SubmitApplication(theirs.id)),
        Submission(APPLICANT, SubmitApplication(complete[2].id, etag="7")),
        Submission(APPLICANT, SubmitApplication(twice.id)),
        Submission(MANAGER, SubmitApplication(complete[2].id)),
        Submission(member(OTHER_CSO), SubmitApplication(theirs.id)),
    ]
    outcomes = await asyncio.gather(
        *(grants_deps.submissions(r) for r in requests), return_exceptions=True
    )

    submitted = [outcomes[0], outcomes[1], outcomes[7]]
    for view in submitted:
        assert view.application.state == ApplicationState.SUBMITTED
        assert view.application.version == 2 and view.etag == "2"
        assert view.application.submit_time == grants_deps.clock.now()
    assert isinstance(outcomes[2], FailedPrecondition)
    assert "give the application a title" in str(outcomes[2])
    assert isinstance(outcomes[3], NotFound)  # a draft of another organisation stays unseen
    assert isinstance(outcomes[4], Conflict)  # a stale etag
    assert isinstance(outcomes[5], FailedPrecondition)  # submitted earlier in the same group
    assert "submitted" in str(outcomes[5])
    assert isinstance(outcomes[6], NotFound)  # managers do not see drafts

    async with grants_deps.sessions() as session:
        for view in submitted:
            stored = await get_application(session, view.id)
            assert stored.application.state == ApplicationState.SUBMITTED
            assert (stored.etag, stored.updated_by) == ("2", view.updated_by)
        for draft in (untitled, complete[2]):
            stored = await get_application(session, draft.id)
            assert (stored.application.state, stored.etag) == (ApplicationState.DRAFT, "1")

    events = [e for e in await outbox_events() if e.subject == "nlc.grants.application.submitted"]
    announced = [e.decode(events_pb2.ApplicationChanged).application.name for e in events]
    assert announced == [f"applications/{v.id}" for v in submitted]
    theirs_audit = [(a.action, a.actor_org_id) for a in await audit_of(f"applications/{theirs.id}")]
    assert theirs_audit == [("create", OTHER_CSO), ("submit", OTHER_CSO)]
    ours = [a.action for a in await audit_of(f"applications/{complete[0].id}")]
    assert ours == ["create", "submit"]
