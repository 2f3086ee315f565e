"""The review workflow of an action plan: versions, states, transitions and anchored comments.

draft -> submitted -> changes_requested -> resubmitted -> approved. Amending an approved plan
starts version n+1 as a draft copy while version n stays in force; approving n+1 supersedes n.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime

from services.common.auth import Principal
from services.common.errors import FailedPrecondition, ViolationCollector, quoted
from services.common.text import check_reason, text_problem
from services.reporting.domain.plans import AnchorKind, PlanContent, PlanState, ReviewComment

MAX_COMMENTS = 100
MAX_COMMENT = 2_000
MAX_ANCHOR = 64
PLAN_SECTIONS = frozenset({"theory_of_change", "activities", "indicators", "narrative"})
EDITABLE = (PlanState.DRAFT, PlanState.CHANGES_REQUESTED)
UNDER_REVIEW = (PlanState.SUBMITTED, PlanState.RESUBMITTED)

Anchors = Mapping[AnchorKind, frozenset[str]]


@dataclass(frozen=True)
class PlanVersion:
    """One version's content and state; frozen once approved."""

    number: int
    state: PlanState
    content: PlanContent
    submitted_at: datetime | None = None
    approved_at: datetime | None = None


@dataclass(frozen=True)
class ActionPlan:
    """A plan: who owns and reviews it, the version being worked on and the one in force.

    `state` is the current version's; `version` is the row version (the etag)."""

    id: str
    owner_org_id: str
    jurisdiction_id: str
    reviewing_org_id: str | None
    current_version: int
    approved_version: int
    state: PlanState
    version: int = 0


@dataclass(frozen=True)
class Transition:
    """One step of the workflow: who, when, why, with the comments given."""

    version_number: int
    from_state: PlanState
    to_state: PlanState
    actor_sub: str
    actor_username: str
    actor_org_id: str
    at: datetime
    reason: str
    comments: tuple[ReviewComment, ...] = ()


@dataclass(frozen=True)
class Step:
    """The outcome of a transition: the plan, versions changed or created, the transition."""

    plan: ActionPlan
    changed: tuple[PlanVersion, ...]
    created: PlanVersion | None
    transition: Transition


def new_plan(
    plan_id: str, owner_org_id: str, jurisdiction_id: str, content: PlanContent
) -> tuple[ActionPlan, PlanVersion]:
    """A plan with its first version, a draft."""
    plan = ActionPlan(plan_id, owner_org_id, jurisdiction_id, None, 1, 0, PlanState.DRAFT)
    return plan, PlanVersion(1, PlanState.DRAFT, content)


def _require(plan: ActionPlan, allowed: tuple[PlanState, ...], doing: str) -> None:
    if plan.state not in allowed:
        names = " or ".join(str(s).replace("_", " ") for s in allowed)
        now = str(plan.state).replace("_", " ")
        raise FailedPrecondition(f"only a {names} plan can be {doing}; this one is {now}")


def check_editable(plan: ActionPlan) -> None:
    """FailedPrecondition unless the current version is a draft or has changes requested."""
    _require(plan, EDITABLE, "edited")


def _transition(
    plan: ActionPlan,
    to: PlanState,
    actor: Principal,
    at: datetime,
    reason: str,
    comments: tuple[ReviewComment, ...] = (),
) -> Transition:
    return Transition(
        version_number=plan.current_version,
        from_state=plan.state,
        to_state=to,
        actor_sub=actor.sub,
        actor_username=actor.username,
        actor_org_id=actor.org_id or "",
        at=at,
        reason=reason,
        comments=tuple(comments),
    )


def submit(
    plan: ActionPlan,
    current: PlanVersion,
    reviewing_org_id: str,
    actor: Principal,
    at: datetime,
    note: str,
) -> Step:
    """draft -> submitted, changes_requested -> resubmitted, to the owner's overseeing body."""
    _require(plan, EDITABLE, "submitted")
    note = check_reason(note, "note", required=False)
    to = PlanState.SUBMITTED if plan.state == PlanState.DRAFT else PlanState.RESUBMITTED
    version = replace(current, state=to, submitted_at=at)
    moved = replace(plan, state=to, reviewing_org_id=reviewing_org_id)
    return Step(moved, (version,), None, _transition(plan, to, actor, at, note))


def request_changes(
    plan: ActionPlan,
    current: PlanVersion,
    reason: str,
    comments: tuple[ReviewComment, ...],
    actor: Principal,
    at: datetime,
) -> Step:
    """submitted/resubmitted -> changes_requested, with a reason and comments on the version."""
    _require(plan, UNDER_REVIEW, "sent back for changes")
    reason = check_reason(reason, "reason", required=True)
    check_comments(comments, plan_anchors(current.content), "comments")
    to = PlanState.CHANGES_REQUESTED
    version = replace(current, state=to)
    moved = replace(plan, state=to)
    return Step(moved, (version,), None, _transition(plan, to, actor, at, reason, comments))


def approve(
    plan: ActionPlan,
    current: PlanVersion,
    in_force: PlanVersion | None,
    actor: Principal,
    at: datetime,
    note: str,
) -> Step:
    """submitted/resubmitted -> approved; the version in force until now becomes superseded."""
    _require(plan, UNDER_REVIEW, "approved")
    note = check_reason(note, "note", required=False)
    to = PlanState.APPROVED
    changed = [replace(current, state=to, approved_at=at)]
    if in_force is not None and in_force.number != current.number:
        changed.append(replace(in_force, state=PlanState.SUPERSEDED))
    moved = replace(plan, state=to, approved_version=current.number)
    return Step(moved, tuple(changed), None, _transition(plan, to, actor, at, note))


def amend(
    plan: ActionPlan, approved: PlanVersion, actor: Principal, at: datetime, reason: str
) -> Step:
    """Start version n+1 as a draft copy of the approved content; version n stays in force."""
    _require(plan, (PlanState.APPROVED,), "amended")
    reason = check_reason(reason, "reason", required=False)
    number = plan.current_version + 1
    draft = PlanVersion(number, PlanState.DRAFT, approved.content)
    moved = replace(plan, state=PlanState.DRAFT, current_version=number)
    step = _transition(plan, PlanState.DRAFT, actor, at, reason)
    return Step(moved, (), draft, replace(step, version_number=number))


def plan_anchors(content: PlanContent) -> dict[AnchorKind, frozenset[str]]:
    """What a comment on this content may be anchored to."""
    return {
        AnchorKind.PLAN: frozenset({""}),
        AnchorKind.ACTIVITY: frozenset(a.code for a in content.activities),
        AnchorKind.INDICATOR: frozenset(x.code for x in content.indicators),
        AnchorKind.SECTION: PLAN_SECTIONS,
    }


def comment_problems(
    comments: tuple[ReviewComment, ...], known_anchors: Anchors | None, field: str
) -> ViolationCollector:
    """Each comment's text and anchor checked (its anchor exists when known_anchors is given)."""
    e = ViolationCollector()
    if len(comments) > MAX_COMMENTS:
        e.add(field, f"at most {MAX_COMMENTS} comments")
    for i, c in enumerate(comments):
        path = f"{field}[{i}]"
        problem = text_problem(c.text, MAX_COMMENT)
        if not c.text.strip():
            e.add(f"{path}.text", "is required")
        elif problem:
            e.add(f"{path}.text", problem)
        if c.anchor_kind == AnchorKind.PLAN and c.anchor_code:
            e.add(f"{path}.anchor_code", "must be empty for a comment on the whole plan")
        elif c.anchor_kind != AnchorKind.PLAN and not c.anchor_code:
            e.add(f"{path}.anchor_code", f"name the {c.anchor_kind} the comment is about")
        elif len(c.anchor_code) > MAX_ANCHOR:
            e.add(f"{path}.anchor_code", f"must be at most {MAX_ANCHOR} characters")
        elif known_anchors is not None and c.anchor_code not in known_anchors[c.anchor_kind]:
            e.add(f"{path}.anchor_code", _unknown(c, known_anchors[c.anchor_kind]))
    return e


def _unknown(c: ReviewComment, known: frozenset[str]) -> str:
    listed = ", ".join(sorted(known)[:20]) or "none"
    article = "an" if str(c.anchor_kind)[0] in "aeiou" else "a"
    what = f"{article} {c.anchor_kind}"
    return f"{quoted(c.anchor_code)} is not {what} of this version (known: {listed})"


def check_comments(
    comments: tuple[ReviewComment, ...], known_anchors: Anchors | None, field: str
) -> None:
    """InvalidArgument naming each bad comment."""
    comment_problems(comments, known_anchors, field).raise_invalid("the comments are not valid")
