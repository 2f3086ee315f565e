"""The call form: the widgets a manager fills in for every term of a call, and sending it."""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from nlc.grants.v1 import calls_pb2 as pb
from ui.call_terms import (
    AT_FIELDS,
    CRITERION_COLUMNS,
    KINDS,
    LEVELS,
    MATCH_KINDS,
    NEW_FORM_KEY,
    PERIODICITIES,
    PREFIX,
    TRANCHE_COLUMNS,
    TRIGGERS,
    TypedCall,
    call_from,
    date_problems,
    new_call,
    save_request,
    typed_from,
)
from ui.client import UiError, call, services
from ui.display import money_of, remember_outcome, show_form_problems
from ui.formatting import money, money_format, money_step


def amount_input(label: str, currency: str, **widget: Any) -> float:
    return st.number_input(
        f"{label} ({currency})",
        min_value=0.0,
        step=money_step(currency),
        format=money_format(currency),
        **widget,
    )


def percent_input(label: str, help_text: str = "", **widget: Any) -> float:
    return st.number_input(
        f"{label} (%)", min_value=0.0, max_value=100.0, step=0.5, help=help_text or None, **widget
    )


def enum_picker(label: str, options: dict[str, int], help_text: str, **widget: Any) -> list[int]:
    by_value = {v: k for k, v in options.items()}
    return st.multiselect(label, list(by_value), format_func=by_value.get, help=help_text, **widget)


def table(rows: list[dict[str, Any]], columns: tuple[str, ...], key: str, **config: Any) -> Any:
    """Rows as an editable table where rows can be added and deleted."""
    frame = pd.DataFrame(rows, columns=list(columns))
    edited = st.data_editor(
        frame, key=key, num_rows="dynamic", hide_index=True, column_config=config
    )
    return edited.to_dict("records")


def funders_part(
    typed: TypedCall, start: TypedCall, key: Any, organisations: dict[str, str]
) -> None:
    """Co-funders picked from the registry, each with its pledge."""
    labels = organisations | {o: o for o in start.pledges if o not in organisations}
    chosen = st.multiselect(
        "Co-funders",
        list(labels),
        format_func=labels.get,
        key=key("funders"),
        default=list(start.pledges),
        help="The organisations that pledge money to the pool.",
    )
    typed.pledges = {}
    for column, org in zip(st.columns(2) * len(chosen), chosen, strict=False):
        with column:
            typed.pledges[org] = amount_input(
                f"Pledge of {labels[org]}",
                typed.currency,
                key=key(f"pledge-{org}"),
                value=start.pledges.get(org, 0.0),
            )
    pool = sum(money_of(p, typed.currency).minor_units for p in typed.pledges.values())
    st.caption(f"Pool (the sum of pledges): {money(pool, typed.currency)}")


def typed_widgets(
    key: Any, start: TypedCall, organisations: dict[str, str], slots: dict[str, Any]
) -> TypedCall:
    """Every term of the call as typed from start, each with a slot under it for its problems."""

    def value(name: str) -> dict[str, Any]:
        return {"key": key(name), "value": getattr(start, name)}

    def default(name: str) -> dict[str, Any]:
        return {"key": key(name), "default": getattr(start, name)}

    typed = TypedCall()
    typed.title = st.text_input("Title", **value("title"), max_chars=200)
    slots["title"] = st.empty()
    typed.description = st.text_area("Description", **value("description"))
    slots["description"] = st.empty()
    left, middle, right = st.columns(3)
    with left:
        typed.currency = (
            st.text_input(
                "Currency", **value("currency"), max_chars=3, help="ISO 4217 code, such as EUR."
            )
            .strip()
            .upper()
        )
        slots["currency_code"] = st.empty()
    with middle:
        typed.min_award = amount_input("Minimum award", typed.currency, **value("min_award"))
        slots["min_award"] = st.empty()
    with right:
        typed.max_award = amount_input("Maximum award", typed.currency, **value("max_award"))
        slots["max_award"] = st.empty()
    funders_part(typed, start, key, organisations)
    slots["funders"] = st.empty()

    st.markdown("**Who may apply**")
    typed.applicant_kinds = enum_picker(
        "Kinds of applicant", KINDS, "None chosen: CSOs only.", **default("applicant_kinds")
    )
    typed.must_be_verified = st.checkbox(
        "Applicants must be verified in the registry", **value("must_be_verified")
    )
    typed.prevention_levels = enum_picker(
        "Prevention levels", LEVELS, "None chosen: any level.", **default("prevention_levels")
    )
    slots["eligibility"] = st.empty()

    st.markdown("**Budget rules**")
    left, middle, right = st.columns(3)
    with left:
        typed.min_match_percent = percent_input(
            "Minimum match funding", "Share of the project cost.", **value("min_match_percent")
        )
    with middle:
        typed.in_kind_cap_percent = percent_input(
            "In-kind cap", "Share of the match; 0 means no cap.", **value("in_kind_cap_percent")
        )
    with right:
        typed.min_monitoring_percent = percent_input(
            "Minimum for monitoring and evaluation", **value("min_monitoring_percent")
        )
    typed.match_kinds = enum_picker(
        "Match funding that counts", MATCH_KINDS, "None chosen: both.", **default("match_kinds")
    )
    slots["match_rule"] = st.empty()
    slots["min_monitoring_evaluation_bps"] = st.empty()

    st.markdown("**Assessment**")
    typed.criteria = table(
        start.criteria,
        CRITERION_COLUMNS,
        key("criteria-table"),
        Code=st.column_config.TextColumn(required=True, max_chars=32),
        Weight=st.column_config.NumberColumn(min_value=0, step=1, required=True),
        **{"Max score": st.column_config.NumberColumn(min_value=0, step=1, required=True)},
    )
    slots["criteria"] = st.empty()
    typed.reviews_per_application = st.number_input(
        "Reviews per application", min_value=0, step=1, **value("reviews_per_application")
    )
    slots["reviews_per_application"] = st.empty()

    st.markdown(
        "**Dates** (UTC: the call opens at the start of its first day and closes at the"
        " end of its last)"
    )
    left, middle, right = st.columns(3)
    for column, (name, label, slot) in zip(
        (left, middle, right),
        (
            ("opens_on", "Opens on", "opens_at"),
            ("closes_on", "Closes on", "closes_at"),
            ("decision_by", "Decisions by", "decision_date"),
        ),
        strict=True,
    ):
        with column:
            setattr(typed, name, st.date_input(label, format="YYYY-MM-DD", **value(name)))
            slots[slot] = st.empty()

    st.markdown("**Reporting and payment**")
    by_value = {v: k for k, v in PERIODICITIES.items()}
    typed.periodicity = st.radio(
        "Progress reports",
        list(by_value),
        format_func=by_value.get,
        key=key("periodicity"),
        index=list(by_value).index(start.periodicity) if start.periodicity else None,
        horizontal=True,
    )
    typed.final_evaluation_required = st.checkbox(
        "A final evaluation is required", **value("final_evaluation_required")
    )
    slots["reporting_duty"] = st.empty()
    typed.tranches = table(
        start.tranches,
        TRANCHE_COLUMNS,
        key("tranches-table"),
        Code=st.column_config.TextColumn(required=True, max_chars=32),
        **{
            "Share (%)": st.column_config.NumberColumn(min_value=0, max_value=100, required=True),
            "Trigger": st.column_config.SelectboxColumn(options=list(TRIGGERS), required=True),
        },
    )
    slots["tranche_plan"] = st.empty()
    return typed


def send(saved: pb.Call | None, wanted: pb.Call) -> pb.Call | None:
    """Create the call or save its changes; None when nothing changed."""
    request = save_request(saved, wanted)
    if request is None:
        return None
    grants = services().grants
    method = grants.CreateCall if saved is None else grants.UpdateCall
    return call(method, request)


@st.fragment
def call_form(saved: pb.Call | None, organisations: dict[str, str], on_saved: Any) -> None:
    """The form of a new call (saved None) or of a draft; on_saved(call) after it is saved."""
    generation = f"{saved.id}-{saved.etag}" if saved else st.session_state.get(NEW_FORM_KEY, 0)

    def key(name: str) -> str:
        return f"call-form-{generation}-{name}"

    status = st.empty()
    slots: dict[str, Any] = {}
    typed = typed_widgets(key, typed_from(saved) if saved else new_call(), organisations, slots)
    label = "Save changes" if saved else "Create call"
    error = None
    if st.button(label, type="primary", icon=":material/save:"):
        error, done = attempt(saved, typed)
        if done is not None:
            on_saved(done)
            st.rerun()
    show_form_problems(error, status, slots, PREFIX, AT_FIELDS)


def attempt(saved: pb.Call | None, typed: TypedCall) -> tuple[UiError | None, pb.Call | None]:
    """Check the dates, then send the form: the problem, or the call as saved."""
    problems = date_problems(typed)
    if problems:
        return UiError("Some values need fixing.", problems, "INVALID_ARGUMENT"), None
    try:
        done = send(saved, call_from(typed))
    except UiError as failure:
        return failure, None
    if done is None:
        return UiError("Nothing changed: there is nothing to save."), None
    if saved is None:
        st.session_state[NEW_FORM_KEY] = st.session_state.get(NEW_FORM_KEY, 0) + 1
    remember_outcome(f"“{done.title}” is saved as a draft.")
    return None, done
