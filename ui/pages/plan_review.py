"""Plan review: submitted action plans waiting for a decision; read one with what changed since
the version in force, then approve it or request changes with a reason."""

from __future__ import annotations

from functools import partial

import streamlit as st

from nlc.reporting.v1 import plans_pb2 as pb
from ui.client import PAGE_SIZE, call, services
from ui.display import (
    data_table,
    fetch,
    org_names,
    registry_organisations,
    run_action,
    show_outcome,
    stamp,
    words,
)
from ui.formatting import empty_state
from ui.paging import show_cut
from ui.plan_diff import show_diff, show_history, transitions
from ui.plan_form import framework_titles, show_plan

UNDER_REVIEW = (pb.PLAN_STATE_SUBMITTED, pb.PLAN_STATE_RESUBMITTED)
WHOLE_PLAN = ""


def waiting_plans() -> list[pb.ActionPlan]:
    """Submitted and resubmitted plans, longest waiting first."""
    found: list[pb.ActionPlan] = []
    for state in UNDER_REVIEW:
        request = pb.ListActionPlansRequest(state=state, page_size=PAGE_SIZE)
        reply = fetch(services().reporting.ListActionPlans, request, "Loading plans to review…")
        waiting = f"{words(pb.PlanState, state).lower()} plans"
        show_cut(reply, waiting, "decide some to see the rest")
        found.extend(reply.action_plans)
    return sorted(found, key=lambda p: p.submit_time.ToDatetime())


def approve(plan: pb.ActionPlan) -> str:
    note = st.session_state.get(f"approve-note-{plan.id}", "").strip()
    request = pb.ApproveActionPlanRequest(name=plan.name, note=note, etag=plan.etag)
    call(services().reporting.ApproveActionPlan, request)
    return f"“{plan.title}” version {plan.version} is approved."


def request_changes(plan: pb.ActionPlan) -> str:
    """Send plan back with the reason typed, and the comment when one is typed."""
    key = f"changes-{plan.id}"
    text = st.session_state.get(f"{key}-comment", "").strip()
    anchor: tuple[int, str] = st.session_state.get(f"{key}-about", (pb.ANCHOR_KIND_PLAN, ""))
    comments = [pb.ReviewComment(anchor_kind=anchor[0], anchor_code=anchor[1], text=text)]
    request = pb.RequestPlanChangesRequest(
        name=plan.name,
        reason=st.session_state.get(f"{key}-reason", "").strip(),
        comments=comments if text else [],
        etag=plan.etag,
    )
    call(services().reporting.RequestPlanChanges, request)
    return f"“{plan.title}” went back to its authors for changes."


def anchors(plan: pb.ActionPlan) -> dict[tuple[int, str], str]:
    """What a comment may be about: the whole plan, an activity or an indicator."""
    found = {(pb.ANCHOR_KIND_PLAN, WHOLE_PLAN): "The whole plan"}
    found |= {(pb.ANCHOR_KIND_ACTIVITY, a.code): f"{a.code} {a.title}" for a in plan.activities}
    found |= {(pb.ANCHOR_KIND_INDICATOR, x.code): f"{x.code} {x.title}" for x in plan.indicators}
    return found


def decide(plan: pb.ActionPlan) -> None:
    """Approve with an optional note, or request changes with a reason and a comment."""
    st.subheader("Decision")
    left, right = st.columns(2)
    with left.form(f"approve-{plan.id}"):
        st.text_input("Note to the authors (optional)", key=f"approve-note-{plan.id}")
        st.form_submit_button(
            "Approve plan",
            type="primary",
            icon=":material/check:",
            on_click=run_action,
            args=(partial(approve, plan),),
        )
    key = f"changes-{plan.id}"
    about = anchors(plan)
    with right.form(key):
        st.text_area("Reason for requesting changes (required)", key=f"{key}-reason")
        st.selectbox("Comment about", list(about), format_func=about.get, key=f"{key}-about")
        st.text_area("Comment (optional)", key=f"{key}-comment")
        st.form_submit_button(
            "Request changes",
            icon=":material/undo:",
            on_click=run_action,
            args=(partial(request_changes, plan),),
        )


st.title("Plan review")
st.caption("Action plans submitted for your decision, longest waiting first.")
show_outcome()
plans = {p.id: p for p in waiting_plans()}
if not plans:
    empty_state("No action plan is waiting for your review.")
    st.stop()
owners = org_names(p.owner_organisation for p in plans.values())
data_table(
    [
        {
            "Organisation": owners[p.owner_organisation],
            "Plan": p.title,
            "Version": p.version,
            "State": words(pb.PlanState, p.state),
            "Submitted": stamp(p.submit_time),
        }
        for p in plans.values()
    ],
    "plans-to-review.csv",
)
chosen = plans[
    st.selectbox(
        "Plan to review",
        list(plans),
        format_func=lambda i: f"{plans[i].title}, version {plans[i].version}",
        key="plan-to-review",
    )
]
st.header(chosen.title)
st.caption(
    f"{owners[chosen.owner_organisation]} · version {chosen.version} · "
    f"{words(pb.PlanState, chosen.state)} on {stamp(chosen.submit_time)}"
)
show_diff(chosen)
with st.expander("The plan as submitted", expanded=chosen.version == 1):
    show_plan(chosen, registry_organisations(), framework_titles())
show_history(transitions(chosen))
decide(chosen)
