"""The application form: every change is saved as the applicant types, the budget shows its
shares against the call's minimums, and "Submit application" hands it in."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from nlc.grants.v1 import applications_pb2 as pb
from nlc.registry.v1 import mandates_pb2
from ui.client import show_error
from ui.display import amount, choices, money_of, remember_outcome, show_field_problems, words
from ui.drafting import (
    CATEGORIES,
    KINDS,
    Draft,
    budget_frame,
    budget_lines,
    changed_paths,
    commitments,
    match_frame,
    reload,
    save,
    submit,
)
from ui.formatting import major_units, money_format, money_step, percent
from ui.places import place_choice

LEVELS = choices(mandates_pb2.PreventionLevel)
PREFIX = "application."
# Fields the form shows problems at; the rest are listed at the top.
AT_FIELDS = {
    "title": "Item",
    "summary": "Item",
    "jurisdiction": "Item",
    "prevention_levels": "Item",
    "requested_amount": "Item",
    "budget_lines": "Line",
    "match_commitments": "Commitment",
}


def start_widgets(draft: Draft) -> None:
    """The widgets of a new form generation start from what is saved."""
    saved = draft.saved or pb.Application()
    asked = saved.requested_amount
    starts = {
        "title": saved.title,
        "summary": saved.summary,
        "place": saved.jurisdiction,
        "levels": list(saved.prevention_levels),
        "requested": major_units(asked.minor_units, asked.currency_code)
        if saved.HasField("requested_amount")
        else None,
    }
    for name, value in starts.items():
        st.session_state.setdefault(draft.key(name), value)


def amount_column(draft: Draft) -> st.column_config.NumberColumn:
    currency = draft.currency
    return st.column_config.NumberColumn(
        f"Amount ({currency})",
        min_value=0,
        step=money_step(currency),
        format=money_format(currency),
        required=True,
    )


def budget_table(draft: Draft) -> pd.DataFrame:
    """The saved budget lines, editable and deletable in place."""
    frame = budget_frame(draft.saved)
    if frame.empty:
        st.caption("No budget line yet: add the first one below.")
        return frame
    return st.data_editor(
        frame,
        key=draft.key("budget"),
        num_rows="delete",
        hide_index=True,
        column_config={
            "Category": st.column_config.SelectboxColumn(options=list(CATEGORIES), required=True),
            "Description": st.column_config.TextColumn(),
            "Amount": amount_column(draft),
        },
    )


def new_line(draft: Draft) -> pb.BudgetLine | None:
    """The line the "Add a budget line" form adds, when it was just sent."""
    with st.form(draft.key("add-line"), clear_on_submit=True):
        st.markdown("**Add a budget line**")
        left, middle, right = st.columns([2, 3, 2])
        category = left.selectbox("Category", list(CATEGORIES))
        description = middle.text_input("Description")
        value = right.number_input(
            f"Amount ({draft.currency})", min_value=0.0, format=money_format(draft.currency)
        )
        added = st.form_submit_button("Add line", icon=":material/add:")
    if not added:
        return None
    return pb.BudgetLine(
        category=CATEGORIES[category],
        description=description,
        amount=money_of(value, draft.currency),
    )


def match_table(draft: Draft) -> pd.DataFrame:
    """The saved match commitments, editable and deletable; state and evidence are read-only."""
    frame = match_frame(draft.saved)
    if frame.empty:
        st.caption("No match funding yet: add a commitment below.")
        return frame
    return st.data_editor(
        frame,
        key=draft.key("match"),
        num_rows="delete",
        hide_index=True,
        column_order=[c for c in frame.columns if c != "id"],
        column_config={
            "Source": st.column_config.TextColumn(required=True),
            "Kind": st.column_config.SelectboxColumn(options=list(KINDS), required=True),
            "Amount": amount_column(draft),
            "Reference": st.column_config.TextColumn("Commitment reference"),
            "State": st.column_config.TextColumn(disabled=True),
            "Evidence": st.column_config.TextColumn(disabled=True),
        },
    )


def new_commitment(draft: Draft) -> pb.MatchCommitment | None:
    """The commitment the "Add match funding" form adds, when it was just sent."""
    with st.form(draft.key("add-match"), clear_on_submit=True):
        st.markdown("**Add match funding**")
        top_left, top_right = st.columns([3, 2])
        source = top_left.text_input("Source", help="Who gives it: a trust, a company, yourselves.")
        kind = top_right.selectbox("Kind", list(KINDS))
        bottom_left, bottom_right = st.columns([2, 3])
        value = bottom_left.number_input(
            f"Match amount ({draft.currency})", min_value=0.0, format=money_format(draft.currency)
        )
        reference = bottom_right.text_input(
            "Commitment reference", help="The source's own reference for this commitment."
        )
        added = st.form_submit_button("Add match funding", icon=":material/add:")
    if not added:
        return None
    return pb.MatchCommitment(
        source_name=source,
        kind=KINDS[kind],
        amount=money_of(value, draft.currency),
        commitment_reference=reference,
    )


def share_line(label: str, bps: int, minimum_bps: int) -> str:
    """'Match funding 20% (the call asks at least 10%)', coloured by whether it is met."""
    if not minimum_bps:
        return f"{label} {percent(bps)}"
    colour = "green" if bps >= minimum_bps else "red"
    return f"{label} :{colour}[{percent(bps)}] (the call asks at least {percent(minimum_bps)})"


def show_figures(draft: Draft) -> None:
    """The budget's figures as the service computed them on the last save."""
    figures = (draft.saved or pb.Application()).budget_summary
    c = draft.call
    st.markdown(
        f"**Project cost** {amount(figures.total_cost)} · "
        + share_line(
            "monitoring and evaluation",
            figures.monitoring_evaluation_bps,
            c.min_monitoring_evaluation_bps,
        )
        + " · "
        + share_line("match funding", figures.match_bps, c.match_rule.min_match_bps)
        + f" · in kind {amount(figures.in_kind_match)}"
    )


def show_status(draft: Draft) -> None:
    """Whether everything typed is saved, and what went wrong when not."""
    if draft.error is not None and draft.error.code == "ABORTED":
        st.warning(
            "Not saved: this application was changed elsewhere (another tab or a colleague)"
            " since you opened it. Reload it to see that version, then redo your change.",
            icon=":material/sync_problem:",
        )
        st.button("Reload the application", on_click=reload, args=(draft,))
    elif draft.error is not None:
        show_error(draft.error, [PREFIX + f for f in AT_FIELDS])
    elif draft.saved_at is not None:
        st.caption(
            f":material/cloud_done: All changes saved at {draft.saved_at:%H:%M:%S} "
            f"(last: {', '.join(draft.saved_fields)})."
        )
    elif draft.saved is not None:
        st.caption(":material/cloud_done: Saved draft. Changes are saved as you type.")
    else:
        st.caption(":material/edit: Your draft is saved as soon as you start typing.")


def typed_fields(draft: Draft, slots: dict) -> pb.Application:
    """Title, summary, place, prevention levels and requested amount as typed, each with a slot
    under it for its problems."""
    c, key, currency = draft.call, draft.key, draft.currency
    typed = pb.Application()
    typed.title = st.text_input(
        "Title", key=key("title"), max_chars=200, live="400ms", placeholder="Name the project"
    )
    slots["title"] = st.empty()
    typed.summary = st.text_area(
        "Summary",
        key=key("summary"),
        help="What the project does, for whom, and why. Saved when you leave the field.",
    )
    slots["summary"] = st.empty()
    typed.jurisdiction = place_choice(draft)
    slots["jurisdiction"] = st.empty()
    wanted_levels = ", ".join(
        words(mandates_pb2.PreventionLevel, v) for v in c.eligibility.prevention_levels
    )
    levels = st.multiselect(
        "Prevention levels",
        list(LEVELS.values()),
        format_func=lambda v: words(mandates_pb2.PreventionLevel, v),
        key=key("levels"),
        help=f"The call funds: {wanted_levels or 'any level'}.",
    )
    typed.prevention_levels.extend(levels)
    slots["prevention_levels"] = st.empty()
    requested = st.number_input(
        f"Requested amount ({currency})",
        min_value=0.0,
        step=1.0,
        format=money_format(currency),
        key=key("requested"),
        help=f"Between {amount(c.min_award)} and {amount(c.max_award)}.",
    )
    if requested:
        typed.requested_amount.CopyFrom(money_of(requested, currency))
    slots["requested_amount"] = st.empty()
    return typed


@st.fragment
def application_form(draft: Draft) -> None:
    """The form of one application; every rerun saves what changed since the last save."""
    start_widgets(draft)
    status = st.empty()
    slots: dict = {}
    wanted = typed_fields(draft, slots)
    st.subheader("Budget")
    wanted.budget_lines.extend(budget_lines(budget_table(draft), draft.currency))
    added_line = new_line(draft)
    figures = st.empty()
    slots["budget_lines"] = st.empty()
    st.subheader("Match funding")
    wanted.match_commitments.extend(commitments(match_table(draft), draft.saved, draft.currency))
    added_match = new_commitment(draft)
    slots["match_commitments"] = st.empty()
    submit_clicked = st.button("Submit application", type="primary", icon=":material/send:")

    if added_line:
        wanted.budget_lines.append(added_line)
    if added_match:
        wanted.match_commitments.append(added_match)
    if save(draft, wanted) and (added_line or added_match):
        st.rerun(scope="fragment")
    all_saved = not changed_paths(draft.saved, wanted)
    if submit_clicked and all_saved and submit(draft):
        remember_outcome(f"“{draft.saved.title}” is submitted. Follow it in My applications.")
        st.rerun()
    with status.container():
        show_status(draft)
    with figures.container():
        show_figures(draft)
    for name, item in AT_FIELDS.items():
        with slots[name].container():
            show_field_problems(draft.error, PREFIX + name, item)
