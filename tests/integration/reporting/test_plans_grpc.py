"""The plan review workflow over real gRPC as the demo users: the city drafts, submits and
amends; the national reviewer sends it back with an anchored comment, then approves it."""

from __future__ import annotations

import grpc
import pytest
from google.protobuf.field_mask_pb2 import FieldMask

from nlc.common.v1 import common_pb2
from nlc.reporting.v1 import plans_pb2 as pb
from services.common import demo_ids
from services.common.rich_status import violations_of
from tests.integration.reporting.conftest import FRAMEWORK, seed_places
from tests.support.plan_requests import mentoring_plan
from tests.support.services import ServiceUnderTest

RIVERTON = f"organisations/{demo_ids.RIVERTON}"
BRIDGES = f"organisations/{demo_ids.BRIDGES}"


def _activity(code: str, euros: int) -> pb.PlanActivity:
    return pb.PlanActivity(
        code=code,
        title=f"Activity {code}",
        pillar_code="P1",
        lead_organisation=RIVERTON,
        partner_organisations=[BRIDGES],
        start_date="2026-02-01",
        end_date="2026-11-30",
        budget=common_pb2.Money(currency_code="EUR", minor_units=euros * 100),
    )


def _plan() -> pb.ActionPlan:
    return mentoring_plan(
        FRAMEWORK,
        "Riverton prevention plan",
        ("2026-01-01", "2027-12-31"),
        [_activity("A1", 15_000)],
        baseline_date="2025-12-31",
        cycle="2026-H1",
    )


async def _seeded(svc: ServiceUnderTest) -> ServiceUnderTest:
    await seed_places(svc.running.deps)
    return svc


async def _fails(svc: ServiceUnderTest, method: str, request, user: str) -> grpc.aio.AioRpcError:
    with pytest.raises(grpc.aio.AioRpcError) as caught:
        await svc.call(method, request, as_user=user)
    return caught.value


async def test_draft_review_approve_amend_and_diff(reporting_service: ServiceUnderTest) -> None:
    svc = await _seeded(reporting_service)
    plan = await svc.call(
        "CreateActionPlan", pb.CreateActionPlanRequest(action_plan=_plan()), as_user="city"
    )
    assert (plan.owner_organisation, plan.state, plan.version) == (
        RIVERTON,
        pb.PLAN_STATE_DRAFT,
        1,
    )

    change = pb.ActionPlan(name=plan.name, etag=plan.etag)
    change.activities.extend([_activity("A1", 15_000), _activity("A2", 4_000)])
    mask = FieldMask(paths=["activities"])
    plan = await svc.call(
        "UpdateActionPlan",
        pb.UpdateActionPlanRequest(action_plan=change, update_mask=mask),
        as_user="city",
    )
    assert [a.code for a in plan.activities] == ["A1", "A2"]

    submit = pb.SubmitActionPlanRequest(name=plan.name, etag=plan.etag, note="For review")
    plan = await svc.call("SubmitActionPlan", submit, as_user="city")
    assert plan.state == pb.PLAN_STATE_SUBMITTED
    assert plan.reviewing_organisation == f"organisations/{demo_ids.CENTRE}"

    listed = await svc.call("ListActionPlans", pb.ListActionPlansRequest(), as_user="reviewer")
    assert [p.name for p in listed.action_plans] == [plan.name]

    comment = pb.ReviewComment(
        anchor_kind=pb.ANCHOR_KIND_ACTIVITY, anchor_code="A2", text="Which schools take part?"
    )
    back = pb.RequestPlanChangesRequest(
        name=plan.name, reason="Name the schools", comments=[comment], etag=plan.etag
    )
    plan = await svc.call("RequestPlanChanges", back, as_user="reviewer")
    assert plan.state == pb.PLAN_STATE_CHANGES_REQUESTED

    plan = await svc.call(
        "SubmitActionPlan", pb.SubmitActionPlanRequest(name=plan.name), as_user="city"
    )
    assert plan.state == pb.PLAN_STATE_RESUBMITTED
    approve = pb.ApproveActionPlanRequest(name=plan.name, etag=plan.etag)
    plan = await svc.call("ApproveActionPlan", approve, as_user="reviewer")
    assert (plan.state, plan.approved_version) == (pb.PLAN_STATE_APPROVED, 1)
    assert plan.approve_time.ToDatetime().date() == svc.clock.now().date()

    amend = pb.AmendActionPlanRequest(name=plan.name, reason="Bigger budget for A2")
    plan = await svc.call("AmendActionPlan", amend, as_user="city")
    assert (plan.state, plan.version, plan.approved_version) == (pb.PLAN_STATE_DRAFT, 2, 1)
    change = pb.ActionPlan(name=plan.name, etag=plan.etag)
    change.activities.extend([_activity("A1", 15_000), _activity("A2", 9_000)])
    await svc.call(
        "UpdateActionPlan",
        pb.UpdateActionPlanRequest(action_plan=change, update_mask=mask),
        as_user="city",
    )

    diff = await svc.call(
        "DiffActionPlanVersions",
        pb.DiffActionPlanVersionsRequest(name=plan.name, from_version=1),
        as_user="reviewer",
    )
    assert (diff.from_version, diff.to_version) == (1, 2)
    assert [(c.path, c.kind) for c in diff.changes] == [
        ("activities[A2].budget", pb.CHANGE_KIND_CHANGED)
    ]
    assert '"minor_units": 900000' in diff.changes[0].after

    first = await svc.call(
        "GetActionPlanVersion",
        pb.GetActionPlanVersionRequest(name=f"{plan.name}/versions/1"),
        as_user="reviewer",
    )
    assert (first.state, first.version) == (pb.PLAN_STATE_APPROVED, 1)
    versions = await svc.call(
        "ListActionPlanVersions", pb.ListActionPlanVersionsRequest(name=plan.name), as_user="city"
    )
    assert [v.version for v in versions.versions] == [2, 1]

    steps = await svc.call(
        "ListPlanTransitions", pb.ListPlanTransitionsRequest(name=plan.name), as_user="city"
    )
    assert [(t.to_state, t.actor_username) for t in steps.transitions] == [
        (pb.PLAN_STATE_SUBMITTED, "city"),
        (pb.PLAN_STATE_CHANGES_REQUESTED, "reviewer"),
        (pb.PLAN_STATE_RESUBMITTED, "city"),
        (pb.PLAN_STATE_APPROVED, "reviewer"),
        (pb.PLAN_STATE_DRAFT, "city"),
    ]
    assert steps.transitions[1].reason == "Name the schools"
    assert list(steps.transitions[1].comments) == [comment]


async def test_callers_mistakes_get_the_right_status(reporting_service: ServiceUnderTest) -> None:
    svc = await _seeded(reporting_service)
    bad = _plan()
    bad.activities[0].budget.currency_code = "euro"
    bad.activities[0].pillar_code = "P9"
    error = await _fails(
        svc, "CreateActionPlan", pb.CreateActionPlanRequest(action_plan=bad), "city"
    )
    assert error.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert [f for f, _ in violations_of(error)] == [
        "action_plan.activities[0].budget.currency_code"
    ]
    bad.activities[0].budget.currency_code = "EUR"
    bad.indicators[0].targets[0].value = float("nan")
    error = await _fails(
        svc, "CreateActionPlan", pb.CreateActionPlanRequest(action_plan=bad), "city"
    )
    assert [f for f, _ in violations_of(error)] == [
        "action_plan.activities[0].pillar_code",
        "action_plan.indicators[0].targets[0].value",
    ]

    incomplete = _plan()
    del incomplete.indicators[0].targets[:]
    plan = await svc.call(
        "CreateActionPlan", pb.CreateActionPlanRequest(action_plan=incomplete), as_user="city"
    )
    name = pb.GetActionPlanRequest(name=plan.name)
    expectations = [
        ("GetActionPlan", name, "cso", grpc.StatusCode.PERMISSION_DENIED),
        ("SubmitActionPlan", pb.SubmitActionPlanRequest(name=plan.name), "reviewer",
         grpc.StatusCode.PERMISSION_DENIED),
        ("ApproveActionPlan", pb.ApproveActionPlanRequest(name=plan.name), "city",
         grpc.StatusCode.PERMISSION_DENIED),
        ("GetActionPlan", pb.GetActionPlanRequest(name=f"actionPlans/{demo_ids.CENTRE}"),
         "city", grpc.StatusCode.NOT_FOUND),
        ("SubmitActionPlan", pb.SubmitActionPlanRequest(name=plan.name, etag="9"), "city",
         grpc.StatusCode.ABORTED),
        ("ApproveActionPlan", pb.ApproveActionPlanRequest(name=plan.name), "reviewer",
         grpc.StatusCode.FAILED_PRECONDITION),
        ("RequestPlanChanges", pb.RequestPlanChangesRequest(name=plan.name), "reviewer",
         grpc.StatusCode.INVALID_ARGUMENT),
        ("DiffActionPlanVersions", pb.DiffActionPlanVersionsRequest(name=plan.name), "city",
         grpc.StatusCode.INVALID_ARGUMENT),
    ]  # fmt: skip
    for method, request, user, code in expectations:
        error = await _fails(svc, method, request, user)
        assert error.code() == code, (method, user, error.details())

    gaps = await _fails(svc, "SubmitActionPlan", pb.SubmitActionPlanRequest(name=plan.name), "city")
    assert gaps.code() == grpc.StatusCode.FAILED_PRECONDITION
    assert [f for f, _ in violations_of(gaps)] == ["action_plan.indicators[0].targets"]
    reasonless = await _fails(
        svc, "RequestPlanChanges", pb.RequestPlanChangesRequest(name=plan.name), "reviewer"
    )
    assert [f for f, _ in violations_of(reasonless)] == ["reason"]
