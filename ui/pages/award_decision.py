"""Award decisions: award ranked applications, seeing what the pool has left before confirming."""

from __future__ import annotations

import hashlib
from functools import partial

import pandas as pd
import streamlit as st

from nlc.grants.v1 import applications_pb2, awards_pb2, calls_pb2
from nlc.grants.v1 import reviews_pb2 as pb
from ui.client import PAGE_SIZE, UiError, call, services, show_error
from ui.display import (
    amount,
    fetch,
    metrics,
    money_of,
    org_names,
    remember_outcome,
    renamed,
    run_action,
    show_outcome,
)
from ui.formatting import empty_state, major_units, minor_units, money, money_format
from ui.grants import choose_call, managed_calls
from ui.paging import show_cut


def close(c: calls_pb2.Call) -> str:
    """Close c to applications now, so its awards can be decided."""
    call(services().grants.CloseCall, calls_pb2.CloseCallRequest(name=c.name))
    return f"{c.title} is closed: no more applications; its awards can now be decided."


def offer_closing(c: calls_pb2.Call) -> None:
    """Awards wait for the call to close; the manager may close it early."""
    st.info(
        "Awards are decided once the call is closed. It closes by itself at its deadline, or you"
        " can close it now.",
        icon=":material/lock_clock:",
    )
    sure = st.checkbox("No more applications may be submitted to this call")
    st.button(
        "Close the call now",
        disabled=not sure,
        icon=":material/lock:",
        on_click=run_action,
        args=(partial(close, c),),
    )


def candidates(c: calls_pb2.Call) -> list[applications_pb2.Application]:
    """The call's submitted applications, best ranked first."""
    grants = services().grants
    request = applications_pb2.ListApplicationsRequest(
        call=c.name, state=applications_pb2.APPLICATION_STATE_SUBMITTED, page_size=PAGE_SIZE
    )
    submitted = fetch(grants.ListApplications, request, "Loading applications…")
    show_cut(submitted, "submitted applications", "the others cannot be awarded here")
    apps = submitted.applications
    ranking = fetch(grants.GetRanking, pb.GetRankingRequest(call=c.name), "Loading the ranking…")
    rank = {e.application: e for e in ranking.applications}
    return sorted(apps, key=lambda a: rank[a.name].rank if a.name in rank else len(rank) + 1)


def items_table(
    chosen: list[applications_pb2.Application], names: dict[str, str], currency: str
) -> pd.DataFrame:
    """The chosen applications with the amount to award each (what they asked, to start)."""
    frame = pd.DataFrame(
        [
            {
                "Application": a.title,
                "Applicant": names[a.applicant_organisation],
                "Asked": amount(a.requested_amount),
                "Award": major_units(a.requested_amount.minor_units, currency),
                "Withhold name": False,
            }
            for a in chosen
        ]
    )
    identity = hashlib.sha256(",".join(a.id for a in chosen).encode()).hexdigest()[:12]
    return st.data_editor(
        frame,
        key=f"items-{identity}",
        hide_index=True,
        disabled=["Application", "Applicant", "Asked"],
        column_config={
            "Award": st.column_config.NumberColumn(
                f"Award ({currency})", min_value=0, format=money_format(currency), required=True
            ),
            "Withhold name": st.column_config.CheckboxColumn(
                help="Leave the grantee's name out of open data, where naming it puts it at risk."
            ),
        },
    )


def decide(c: calls_pb2.Call, chosen: list, table: pd.DataFrame, final: bool, note: str) -> None:
    """DecideAwards for the chosen applications; its problems are named by application."""
    currency = c.currency_code
    items = [
        awards_pb2.AwardItem(
            application=a.name,
            amount=money_of(row["Award"], currency),
            withhold_grantee_name=bool(row["Withhold name"]),
        )
        for a, row in zip(chosen, table.to_dict("records"), strict=True)
    ]
    request = awards_pb2.DecideAwardsRequest(call=c.name, items=items, final_round=final, note=note)
    try:
        with st.spinner("Deciding…"):
            made = call(services().grants.DecideAwards, request).awards
    except UiError as error:
        show_error(renamed(error, {f"items[{i}]": a.title for i, a in enumerate(chosen)}))
        return
    remember_outcome(f"{len(made)} award(s) made: " + ", ".join(amount(a.amount) for a in made))
    st.rerun()


st.title("Award decisions")
show_outcome()
calls = [c for c in managed_calls() if c.state != calls_pb2.CALL_STATE_DRAFT]
chosen_call = choose_call(calls, "None of your calls has opened yet.")
currency = chosen_call.currency_code
if chosen_call.state == calls_pb2.CALL_STATE_OPEN:
    offer_closing(chosen_call)
    st.stop()

request = awards_pb2.GetLedgerRequest(call=chosen_call.name)
total = fetch(services().grants.GetLedger, request, "Loading the pool…").total
metrics(
    {
        "Pool": amount(total.pledged),
        "Committed": amount(total.committed),
        "Pool left": amount(total.available),
    },
    per_row=3,
)

apps = candidates(chosen_call)
if not apps:
    empty_state("No submitted application is waiting for a decision.")
    st.stop()
names = org_names(a.applicant_organisation for a in apps)
picked = st.multiselect(
    "Applications to award",
    apps,
    format_func=lambda a: f"{a.title} ({names[a.applicant_organisation]})",
    help="Listed best ranked first.",
)
if not picked:
    st.caption("Choose the applications to award; their amounts can be changed below.")
    st.stop()
table = items_table(picked, names, currency)
asked = sum(minor_units(v, currency) for v in table["Award"])
after = total.available.minor_units - asked
st.metric(
    "Pool left after this decision",
    money(after, currency),
    delta=f"-{money(asked, currency)}",
    delta_color="off",
)
if after < 0:
    st.warning("These awards add up to more than the pool has left.", icon=":material/warning:")
final = st.checkbox(
    "Final round: applications not awarded now are told they were not successful",
)
note = st.text_input("Note for the record (optional)")
if st.button("Decide awards", type="primary", icon=":material/gavel:"):
    decide(chosen_call, picked, table, final, note)
