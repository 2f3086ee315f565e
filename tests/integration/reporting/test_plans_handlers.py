"""Plan handlers on a migrated database: drafting, the review workflow, amendments, and what each
step leaves behind (transitions, audit entries, events, the reporting obligation)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from sqlalchemy import delete, select

from nlc.reporting.v1 import events_pb2
from nlc.reporting.v1 import plans_pb2 as pb
from services.common import demo_ids
from services.common.auth import Principal
from services.common.errors import (
    Conflict,
    FailedPrecondition,
    InvalidArgument,
    NotFound,
    PermissionDenied,
)
from services.reporting.deps import ReportingDeps
from services.reporting.domain.plans import AnchorKind, PlanState, ReviewComment
from services.reporting.handlers import plans as h
from services.reporting.orm.obligations import obligations
from services.reporting.orm.read_model import known_mandates
from services.reporting.queries import plans as q
from services.reporting.queries.plans import PlanView
from tests.integration.reporting.conftest import ADMIN, CITY, OTHER_CITY, REVIEWER
from tests.unit.reporting.test_plan_rules import activity, content, indicator

S = PlanState
PLAN_NAME = "actionPlans/{}"


async def create(deps: ReportingDeps, who: Principal = CITY, **changes: object) -> PlanView:
    return await h.create_plan(deps.uow(who), h.CreatePlan(content(**changes)))


async def submit(deps: ReportingDeps, plan_id: str, who: Principal = CITY) -> PlanView:
    return await h.submit_plan(deps.uow(who), h.SubmitPlan(plan_id))


async def send_back(deps: ReportingDeps, plan_id: str, *comments: ReviewComment) -> PlanView:
    cmd = h.RequestChanges(plan_id, "Targets are too modest", comments)
    return await h.request_changes(deps.uow(REVIEWER), cmd)


async def approve(deps: ReportingDeps, plan_id: str, who: Principal = REVIEWER) -> PlanView:
    return await h.approve_plan(deps.uow(who), h.ApprovePlan(plan_id))


async def approved_plan(deps: ReportingDeps) -> PlanView:
    plan = await create(deps)
    await submit(deps, plan.plan.id)
    return await approve(deps, plan.plan.id)


async def transitions(deps: ReportingDeps, plan_id: str) -> list:
    async with deps.sessions() as session:
        page = await q.list_transitions(session, plan_id, ADMIN, requested_size=0, token="")
    return page.items


def fields(error: pytest.ExceptionInfo) -> list[str]:
    return [v.field for v in error.value.violations]


async def test_a_city_officer_creates_a_draft_for_its_own_place(
    reporting_deps, places, audit_of
) -> None:
    view = await create(reporting_deps)
    assert view.plan.owner_org_id == demo_ids.RIVERTON
    assert view.plan.jurisdiction_id == places.riverton
    assert (view.plan.state, view.version.number, view.plan.approved_version) == (S.DRAFT, 1, 0)
    assert view.plan.reviewing_org_id is None
    assert view.version.content == content()
    assert view.etag == "1"
    entries = await audit_of(PLAN_NAME.format(view.plan.id))
    assert [(e.action, e.actor_sub) for e in entries] == [("create", CITY.sub)]


async def test_the_framework_must_be_known(reporting_deps, places) -> None:
    unknown = "1f000000-0000-4000-8000-0000000000ff"
    with pytest.raises(InvalidArgument) as caught:
        await create(reporting_deps, framework_id=unknown)
    assert fields(caught) == ["action_plan.framework"]


async def test_content_problems_name_each_field(reporting_deps, places) -> None:
    bad = (activity(pillar_code="P9"), activity("A2", lead_org_id=None))
    with pytest.raises(InvalidArgument) as caught:
        await create(reporting_deps, activities=bad)
    assert fields(caught) == [
        "action_plan.activities[0].pillar_code",
        "action_plan.activities[1].lead_organisation",
    ]


async def test_only_administrators_create_for_another_local_government(
    reporting_deps, places
) -> None:
    other = h.CreatePlan(content(), owner_org_id=demo_ids.LAKESIDE)
    with pytest.raises(PermissionDenied):
        await h.create_plan(reporting_deps.uow(CITY), other)
    view = await h.create_plan(reporting_deps.uow(ADMIN), other)
    assert (view.plan.owner_org_id, view.plan.jurisdiction_id) == (
        demo_ids.LAKESIDE,
        places.lakeside,
    )
    not_a_city = h.CreatePlan(content(), owner_org_id=demo_ids.BRIDGES)
    with pytest.raises(InvalidArgument) as caught:
        await h.create_plan(reporting_deps.uow(ADMIN), not_a_city)
    assert fields(caught) == ["action_plan.owner_organisation"]


async def test_the_jurisdiction_must_be_the_owners_place_or_within_it(
    reporting_deps, places
) -> None:
    cmd = h.CreatePlan(content(), jurisdiction_id=places.lakeside)
    with pytest.raises(InvalidArgument) as caught:
        await h.create_plan(reporting_deps.uow(CITY), cmd)
    assert fields(caught) == ["action_plan.jurisdiction"]


async def test_an_update_replaces_only_the_masked_parts(reporting_deps, places, audit_of) -> None:
    view = await create(reporting_deps)
    sent = content(title="Ignored", activities=(activity(), activity("A2", title="Sports")))
    cmd = h.UpdatePlan(view.plan.id, sent, frozenset({"activities"}), etag=view.etag)
    updated = await h.update_plan(reporting_deps.uow(CITY), cmd)
    assert updated.version.content.title == content().title
    assert [a.code for a in updated.version.content.activities] == ["A1", "A2"]
    assert updated.etag == "2"
    with pytest.raises(Conflict):
        await h.update_plan(reporting_deps.uow(CITY), cmd)
    entries = await audit_of(PLAN_NAME.format(view.plan.id))
    assert entries[-1].action == "update"
    assert entries[-1].details == {"paths": ["activities"]}


async def test_an_update_is_checked_like_a_create(reporting_deps, places) -> None:
    view = await create(reporting_deps)
    period = content(period_start=date(2026, 6, 1), period_end=date(2026, 12, 31))
    cmd = h.UpdatePlan(view.plan.id, period, frozenset({"period"}))
    with pytest.raises(InvalidArgument) as caught:
        await h.update_plan(reporting_deps.uow(CITY), cmd)
    assert "action_plan.activities[0].start_date" in fields(caught)


async def test_submit_checks_completeness_with_one_violation_per_gap(
    reporting_deps, places
) -> None:
    view = await create(
        reporting_deps, activities=(), indicators=(indicator(activity_code="", targets=()),)
    )
    with pytest.raises(FailedPrecondition) as caught:
        await submit(reporting_deps, view.plan.id)
    assert fields(caught) == ["action_plan.activities", "action_plan.indicators[0].targets"]


async def test_submit_needs_an_overseeing_body_in_the_mandate(reporting_deps, places) -> None:
    view = await create(reporting_deps)
    async with reporting_deps.uow(ADMIN) as uow:
        await uow.session.execute(
            delete(known_mandates).where(known_mandates.c.organisation_id == demo_ids.RIVERTON)
        )
        await uow.commit()
    with pytest.raises(FailedPrecondition) as caught:
        await submit(reporting_deps, view.plan.id)
    assert caught.value.message == h.NO_OVERSEER


async def test_the_review_round_trip_records_every_step(
    reporting_deps, places, outbox_events, audit_of
) -> None:
    plan_id = (await create(reporting_deps)).plan.id
    submitted = await submit(reporting_deps, plan_id)
    assert submitted.plan.state == S.SUBMITTED
    assert submitted.plan.reviewing_org_id == demo_ids.CENTRE
    assert submitted.version.submitted_at == reporting_deps.clock.now()

    on_a1 = ReviewComment(AnchorKind.ACTIVITY, "A1", "Name the schools")
    returned = await send_back(reporting_deps, plan_id, on_a1)
    assert returned.plan.state == S.CHANGES_REQUESTED
    resubmitted = await submit(reporting_deps, plan_id)
    assert resubmitted.plan.state == S.RESUBMITTED
    approved = await approve(reporting_deps, plan_id)
    assert (approved.plan.state, approved.plan.approved_version) == (S.APPROVED, 1)
    assert approved.version.approved_at == reporting_deps.clock.now()

    steps = await transitions(reporting_deps, plan_id)
    assert [(t.from_state, t.to_state, t.actor_sub) for t in steps] == [
        (S.DRAFT, S.SUBMITTED, CITY.sub),
        (S.SUBMITTED, S.CHANGES_REQUESTED, REVIEWER.sub),
        (S.CHANGES_REQUESTED, S.RESUBMITTED, CITY.sub),
        (S.RESUBMITTED, S.APPROVED, REVIEWER.sub),
    ]
    assert steps[1].reason == "Targets are too modest"
    assert steps[1].comments == (on_a1,)
    actions = [e.action for e in await audit_of(PLAN_NAME.format(plan_id))]
    assert actions == ["create", "submit", "request_changes", "resubmit", "approve"]

    events = await outbox_events()
    subjects = [e.subject for e in events if e.subject.startswith("nlc.reporting.plan.")]
    assert subjects == [
        "nlc.reporting.plan.submitted",
        "nlc.reporting.plan.changes_requested",
        "nlc.reporting.plan.submitted",
        "nlc.reporting.plan.approved",
    ]
    sent_back = next(e for e in events if e.subject.endswith("changes_requested"))
    message = sent_back.decode(events_pb2.PlanChanged)
    assert message.action_plan.state == pb.PLAN_STATE_CHANGES_REQUESTED
    assert message.transition.reason == "Targets are too modest"
    assert [c.anchor_code for c in message.transition.comments] == ["A1"]


async def test_approval_opens_the_reporting_obligation(reporting_deps, places) -> None:
    view = await approved_plan(reporting_deps)
    async with reporting_deps.sessions() as session:
        rows = (
            await session.execute(select(obligations).where(obligations.c.plan_id == view.plan.id))
        ).all()
    assert len(rows) == 1
    found = rows[0]
    assert (found.organisation_id, found.jurisdiction_id, found.reviewing_org_id) == (
        demo_ids.RIVERTON,
        places.riverton,
        demo_ids.CENTRE,
    )
    assert (found.start_on, found.end_on) == (date(2026, 1, 1), date(2027, 12, 31))


async def test_comments_must_anchor_to_the_version(reporting_deps, places) -> None:
    plan_id = (await create(reporting_deps)).plan.id
    await submit(reporting_deps, plan_id)
    with pytest.raises(InvalidArgument) as caught:
        await send_back(reporting_deps, plan_id, ReviewComment(AnchorKind.INDICATOR, "I9", "?"))
    assert fields(caught) == ["comments[0].anchor_code"]
    with pytest.raises(InvalidArgument) as caught:
        await h.request_changes(reporting_deps.uow(REVIEWER), h.RequestChanges(plan_id, " "))
    assert fields(caught) == ["reason"]


async def test_wrong_states_are_preconditions_naming_the_state(reporting_deps, places) -> None:
    plan_id = (await create(reporting_deps)).plan.id
    with pytest.raises(FailedPrecondition) as caught:
        await approve(reporting_deps, plan_id)
    assert "this one is draft" in caught.value.message
    await submit(reporting_deps, plan_id)
    edit = h.UpdatePlan(plan_id, content(title="Late edit"), frozenset({"title"}))
    with pytest.raises(FailedPrecondition) as caught:
        await h.update_plan(reporting_deps.uow(CITY), edit)
    assert "this one is submitted" in caught.value.message


async def test_a_stale_etag_is_a_conflict_on_every_step(reporting_deps, places) -> None:
    plan_id = (await create(reporting_deps)).plan.id
    with pytest.raises(Conflict):
        await h.submit_plan(reporting_deps.uow(CITY), h.SubmitPlan(plan_id, etag="7"))
    submitted = await submit(reporting_deps, plan_id)
    stale = str(submitted.plan.version - 1)
    with pytest.raises(Conflict):
        await h.approve_plan(reporting_deps.uow(REVIEWER), h.ApprovePlan(plan_id, etag=stale))
    with pytest.raises(Conflict):
        await h.request_changes(
            reporting_deps.uow(REVIEWER), h.RequestChanges(plan_id, "why", etag=stale)
        )
    done = await h.approve_plan(
        reporting_deps.uow(REVIEWER), h.ApprovePlan(plan_id, etag=submitted.etag)
    )
    assert done.plan.state == S.APPROVED


async def test_writers_write_and_reviewers_review(reporting_deps, places) -> None:
    plan_id = (await create(reporting_deps)).plan.id
    with pytest.raises(PermissionDenied):
        await submit(reporting_deps, plan_id, REVIEWER)
    with pytest.raises(NotFound):
        await submit(reporting_deps, plan_id, OTHER_CITY)
    await submit(reporting_deps, plan_id)
    with pytest.raises(PermissionDenied):
        await approve(reporting_deps, plan_id, CITY)
    with pytest.raises(NotFound):
        await approve(reporting_deps, plan_id, OTHER_CITY)
    assert (await approve(reporting_deps, plan_id, ADMIN)).plan.state == S.APPROVED


async def test_an_amendment_is_a_new_draft_while_the_approved_version_stays_in_force(
    reporting_deps, places
) -> None:
    plan_id = (await approved_plan(reporting_deps)).plan.id
    amended = await h.amend_plan(reporting_deps.uow(CITY), h.AmendPlan(plan_id, "Add a pillar"))
    assert (amended.plan.state, amended.version.number, amended.plan.approved_version) == (
        S.DRAFT,
        2,
        1,
    )
    assert amended.version.content == content()
    with pytest.raises(FailedPrecondition):
        await h.amend_plan(reporting_deps.uow(CITY), h.AmendPlan(plan_id))

    revised = content(period_end=date(2028, 12, 31), title="Riverton plan, revised")
    paths = frozenset({"title", "period"})
    await h.update_plan(reporting_deps.uow(CITY), h.UpdatePlan(plan_id, revised, paths))
    async with reporting_deps.sessions() as session:
        first = await q.get_plan_version(session, plan_id, 1, CITY)
    assert (first.version.state, first.version.content.title) == (S.APPROVED, content().title)

    await submit(reporting_deps, plan_id)
    final = await approve(reporting_deps, plan_id)
    assert (final.plan.state, final.plan.approved_version) == (S.APPROVED, 2)
    async with reporting_deps.sessions() as session:
        first = await q.get_plan_version(session, plan_id, 1, REVIEWER)
        diff = await q.diff_versions(session, plan_id, CITY, 1, 0)
        found = (
            await session.execute(select(obligations).where(obligations.c.plan_id == plan_id))
        ).all()
    assert first.version.state == S.SUPERSEDED
    assert (diff.from_version, diff.to_version) == (1, 2)
    assert [c.path for c in diff.changes] == ["title", "period"]
    assert [r.end_on for r in found] == [date(2028, 12, 31)]
    steps = await transitions(reporting_deps, plan_id)
    assert (steps[2].from_state, steps[2].to_state, steps[2].version_number) == (
        S.APPROVED,
        S.DRAFT,
        2,
    )
    assert steps[2].reason == "Add a pillar"


async def test_versions_and_diffs_refuse_numbers_the_plan_does_not_have(
    reporting_deps, places
) -> None:
    plan_id = (await create(reporting_deps)).plan.id
    async with reporting_deps.sessions() as session:
        with pytest.raises(NotFound):
            await q.get_plan_version(session, plan_id, 2, CITY)
        with pytest.raises(InvalidArgument) as caught:
            await q.diff_versions(session, plan_id, CITY, 3, 0)
    assert fields(caught) == ["from_version"]


async def test_the_shown_content_is_what_was_stored(reporting_deps, places) -> None:
    view = await create(reporting_deps)
    async with reporting_deps.sessions() as session:
        again = await q.get_visible_plan(session, view.plan.id, CITY)
    assert replace(again, stamps=view.stamps) == view
