"""The review workflow: who moves a plan where, what each transition records, amendments."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pytest

from services.common import demo_ids
from services.common.auth import Role
from services.common.errors import FailedPrecondition, InvalidArgument
from services.reporting.domain import plan_workflow as wf
from services.reporting.domain.plan_workflow import ActionPlan, PlanVersion
from services.reporting.domain.plans import AnchorKind, PlanState, ReviewComment
from tests.support.handler_kit import member
from tests.unit.reporting.test_plan_rules import content

AT = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
CITY = member(demo_ids.RIVERTON, Role.CITY_OFFICER)
REVIEWER = member(demo_ids.CENTRE, Role.NATIONAL_REVIEWER)
S = PlanState


def draft() -> tuple[ActionPlan, PlanVersion]:
    return wf.new_plan("p1", demo_ids.RIVERTON, "place", content())


def submitted() -> tuple[ActionPlan, PlanVersion]:
    step = wf.submit(*draft(), demo_ids.CENTRE, CITY, AT, "ready")
    return step.plan, step.changed[0]


def approved() -> tuple[ActionPlan, PlanVersion]:
    step = wf.approve(*submitted(), None, REVIEWER, AT, "")
    return step.plan, step.changed[0]


def comment(kind: AnchorKind, code: str, text: str = "Please clarify") -> ReviewComment:
    return ReviewComment(kind, code, text)


def test_a_new_plan_is_a_draft_version_one_with_nothing_approved() -> None:
    plan, first = draft()
    assert (plan.state, plan.current_version, plan.approved_version) == (S.DRAFT, 1, 0)
    assert (first.number, first.state) == (1, S.DRAFT)


def test_submitting_a_draft_records_who_and_the_reviewing_body() -> None:
    step = wf.submit(*draft(), demo_ids.CENTRE, CITY, AT, "  first go  ")
    assert step.plan.state == S.SUBMITTED
    assert step.plan.reviewing_org_id == demo_ids.CENTRE
    assert step.changed[0].submitted_at == AT
    t = step.transition
    assert (t.from_state, t.to_state, t.version_number) == (S.DRAFT, S.SUBMITTED, 1)
    assert (t.actor_sub, t.actor_org_id, t.reason) == (CITY.sub, demo_ids.RIVERTON, "first go")


def test_changes_requested_then_submitted_again_is_resubmitted() -> None:
    plan, version = submitted()
    back = wf.request_changes(plan, version, "Targets too low", (), REVIEWER, AT)
    assert back.plan.state == S.CHANGES_REQUESTED
    again = wf.submit(back.plan, back.changed[0], demo_ids.CENTRE, CITY, AT, "")
    assert again.plan.state == S.RESUBMITTED
    assert again.transition.from_state == S.CHANGES_REQUESTED


def test_request_changes_needs_a_reason() -> None:
    with pytest.raises(InvalidArgument) as caught:
        wf.request_changes(*submitted(), "   ", (), REVIEWER, AT)
    assert [v.field for v in caught.value.violations] == ["reason"]


def test_comments_must_anchor_to_what_the_version_contains() -> None:
    good = (
        comment(AnchorKind.ACTIVITY, "A1"),
        comment(AnchorKind.INDICATOR, "I1"),
        comment(AnchorKind.SECTION, "theory_of_change"),
        comment(AnchorKind.SECTION, "narrative"),
        comment(AnchorKind.PLAN, ""),
    )
    step = wf.request_changes(*submitted(), "See comments", good, REVIEWER, AT)
    assert step.transition.comments == good
    bad = (
        comment(AnchorKind.ACTIVITY, "A9"),
        comment(AnchorKind.INDICATOR, "A1"),
        comment(AnchorKind.SECTION, "budget"),
        comment(AnchorKind.PLAN, "A1"),
        comment(AnchorKind.ACTIVITY, "A1", " "),
    )
    with pytest.raises(InvalidArgument) as caught:
        wf.request_changes(*submitted(), "See comments", bad, REVIEWER, AT)
    assert [v.field for v in caught.value.violations] == [
        "comments[0].anchor_code",
        "comments[1].anchor_code",
        "comments[2].anchor_code",
        "comments[3].anchor_code",
        "comments[4].text",
    ]
    assert "'A9' is not an activity" in caught.value.violations[0].description


@pytest.mark.parametrize(
    ("make", "act", "named"),
    [
        (draft, lambda p, v: wf.approve(p, v, None, REVIEWER, AT, ""), "draft"),
        (draft, lambda p, v: wf.request_changes(p, v, "why", (), REVIEWER, AT), "draft"),
        (submitted, lambda p, v: wf.submit(p, v, "body", CITY, AT, ""), "submitted"),
        (submitted, lambda p, v: wf.amend(p, v, CITY, AT, ""), "submitted"),
        (approved, lambda p, v: wf.submit(p, v, "body", CITY, AT, ""), "approved"),
        (approved, lambda p, v: wf.approve(p, v, None, REVIEWER, AT, ""), "approved"),
    ],
)
def test_a_wrong_state_is_a_precondition_naming_the_current_state(make, act, named) -> None:
    with pytest.raises(FailedPrecondition) as caught:
        act(*make())
    assert f"this one is {named}" in caught.value.message


def test_only_drafts_and_returned_plans_are_editable() -> None:
    wf.check_editable(draft()[0])
    for make in (submitted, approved):
        with pytest.raises(FailedPrecondition):
            wf.check_editable(make()[0])


def test_approval_records_the_time_and_the_version_in_force() -> None:
    plan, version = approved()
    assert (plan.state, plan.approved_version) == (S.APPROVED, 1)
    assert version.approved_at == AT


def test_amending_starts_a_draft_copy_while_the_approved_version_stays_in_force() -> None:
    plan, v1 = approved()
    step = wf.amend(plan, v1, CITY, AT, "New pillar")
    assert (step.plan.state, step.plan.current_version, step.plan.approved_version) == (
        S.DRAFT,
        2,
        1,
    )
    assert step.created is not None
    assert (step.created.number, step.created.state) == (2, S.DRAFT)
    assert step.created.content == v1.content
    assert step.changed == ()
    assert (step.transition.version_number, step.transition.to_state) == (2, S.DRAFT)


def test_approving_an_amendment_supersedes_the_previous_version() -> None:
    plan, v1 = approved()
    amended = wf.amend(plan, v1, CITY, AT, "")
    assert amended.created is not None
    v2 = replace(amended.created, content=replace(v1.content, title="Revised"))
    sent = wf.submit(amended.plan, v2, demo_ids.CENTRE, CITY, AT, "")
    step = wf.approve(sent.plan, sent.changed[0], v1, REVIEWER, AT, "")
    states = {v.number: v.state for v in step.changed}
    assert states == {2: S.APPROVED, 1: S.SUPERSEDED}
    assert step.plan.approved_version == 2
