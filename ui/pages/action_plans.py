"""Action plan: the organisation's plans and where they stand; write a draft or a returned plan,
submit it for review, amend an approved one, and follow its review history."""

from __future__ import annotations

from functools import partial

import streamlit as st
from google.protobuf.field_mask_pb2 import FieldMask

from nlc.reporting.v1 import plans_pb2 as pb
from ui.client import PAGE_SIZE, call, services
from ui.display import (
    data_table,
    fetch,
    registry_organisations,
    run_action,
    show_outcome,
    stamp,
    words,
)
from ui.formatting import date_text, empty_state
from ui.grants import own_organisation
from ui.paging import show_cut
from ui.plan_diff import show_change_request, show_history, transitions
from ui.plan_form import framework_titles, plan_form, show_plan

NEW = ""
CHOSEN_KEY = "action-plan"
OPEN_NEXT_KEY = "action-plan-open-next"
EDITABLE = (pb.PLAN_STATE_DRAFT, pb.PLAN_STATE_CHANGES_REQUESTED)
CONTENT_PATHS = ["title", "framework", "period", "theory_of_change", "activities", "indicators"]


def state_of(plan: pb.ActionPlan) -> str:
    return words(pb.PlanState, plan.state)


def plan_row(plan: pb.ActionPlan) -> dict[str, object]:
    return {
        "Plan": plan.title,
        "Version": plan.version,
        "State": state_of(plan),
        "Version in force": plan.approved_version or "none yet",
        "Period": f"{date_text(plan.period.start_date)} to {date_text(plan.period.end_date)}",
        "Submitted": stamp(plan.submit_time),
        "Approved": stamp(plan.approve_time),
    }


def create(typed: pb.ActionPlan) -> str:
    request = pb.CreateActionPlanRequest(action_plan=typed)
    made = call(services().reporting.CreateActionPlan, request)
    st.session_state[OPEN_NEXT_KEY] = made.id
    return f"“{made.title}” is saved as a draft."


def update(typed: pb.ActionPlan) -> str:
    mask = FieldMask(paths=CONTENT_PATHS)
    request = pb.UpdateActionPlanRequest(action_plan=typed, update_mask=mask)
    saved = call(services().reporting.UpdateActionPlan, request)
    return f"“{saved.title}” is saved."


def submit(plan: pb.ActionPlan) -> str:
    note = st.session_state.get(f"submit-note-{plan.id}", "").strip()
    request = pb.SubmitActionPlanRequest(name=plan.name, etag=plan.etag, note=note)
    sent = call(services().reporting.SubmitActionPlan, request)
    return f"“{sent.title}” is {state_of(sent).lower()} for review."


def amend(plan: pb.ActionPlan) -> str:
    reason = st.session_state.get(f"amend-reason-{plan.id}", "").strip()
    request = pb.AmendActionPlanRequest(name=plan.name, reason=reason)
    draft = call(services().reporting.AmendActionPlan, request)
    return (
        f"Version {draft.version} is a new draft; version {draft.approved_version} stays in force."
    )


def submit_form(plan: pb.ActionPlan) -> None:
    with st.form(f"submit-{plan.id}"):
        st.caption("Sends the plan as last saved to the national reviewers.")
        st.text_input("Note to the reviewer (optional)", key=f"submit-note-{plan.id}")
        st.form_submit_button(
            "Submit for review",
            type="primary",
            icon=":material/send:",
            on_click=run_action,
            args=(partial(submit, plan),),
        )


def amend_form(plan: pb.ActionPlan) -> None:
    with st.form(f"amend-{plan.id}"):
        st.text_input("Why the plan changes (optional)", key=f"amend-reason-{plan.id}")
        st.form_submit_button(
            "Amend plan",
            icon=":material/edit_note:",
            on_click=run_action,
            args=(partial(amend, plan),),
        )


def show_chosen(plan: pb.ActionPlan, frameworks: dict[str, str], orgs: dict[str, str]) -> None:
    """One plan: the reviewer's request, the form or the plan read-only, and its history."""
    st.header(plan.title)
    in_force = f"version {plan.approved_version} in force" if plan.approved_version else ""
    st.caption(f"Version {plan.version} · {state_of(plan)} · {in_force or 'none approved yet'}")
    steps = transitions(plan)
    if plan.state == pb.PLAN_STATE_CHANGES_REQUESTED:
        show_change_request(steps)
    if plan.state in EDITABLE:
        plan_form(plan, f"plan-{plan.id}-{plan.etag}", frameworks, orgs, update)
        submit_form(plan)
    else:
        show_plan(plan, orgs, frameworks)
    if plan.state == pb.PLAN_STATE_APPROVED:
        amend_form(plan)
    show_history(steps)


st.title("Action plan")
st.caption(
    "Your organisation's action plans: write one, submit it for national review, answer the "
    "reviewer's requests and amend an approved plan."
)
show_outcome()
own = own_organisation()
listed = fetch(
    services().reporting.ListActionPlans,
    pb.ListActionPlansRequest(owner_organisation=own, page_size=PAGE_SIZE),
    "Loading your plans…",
)
show_cut(listed, "plans", "the others are not listed")
plans = {p.id: p for p in listed.action_plans}
if plans:
    data_table([plan_row(p) for p in plans.values()], "action-plans.csv")
else:
    empty_state("Your organisation has no action plan yet: write the first one below.")
if OPEN_NEXT_KEY in st.session_state:
    st.session_state[CHOSEN_KEY] = st.session_state.pop(OPEN_NEXT_KEY)
chosen = st.selectbox(
    "Plan",
    [*plans, NEW],
    format_func=lambda i: f"{plans[i].title} ({state_of(plans[i]).lower()})" if i else "New plan",
    key=CHOSEN_KEY,
    bind="query-params",
)
frameworks, orgs = framework_titles(), registry_organisations()
if chosen == NEW:
    st.header("New plan")
    plan_form(pb.ActionPlan(), "plan-new", frameworks, orgs, create)
else:
    show_chosen(plans[chosen], frameworks, orgs)
