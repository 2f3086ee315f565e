"""Funding: what the funder's pledges committed and paid, per call, and the awards it funds."""

from __future__ import annotations

from datetime import UTC

import altair as alt
import pandas as pd
import streamlit as st

from nlc.grants.v1 import awards_pb2 as pb
from nlc.grants.v1 import calls_pb2
from ui.client import PAGE_SIZE, services
from ui.display import amount, data_table, fetch, metrics, org_names, stamp
from ui.formatting import empty_state, major_units, money
from ui.grants import choose_call, funded_calls, own_organisation
from ui.ledger import figures, pledge_chart
from ui.paging import show_cut


def own_line(c: calls_pb2.Call, own: str) -> pb.FunderLedger:
    """The funder's line of c's ledger."""
    request = pb.GetLedgerRequest(call=c.name)
    ledger = fetch(services().grants.GetLedger, request, f"Loading the ledger of {c.title}…")
    return next((f for f in ledger.funders if f.funder == own), pb.FunderLedger())


def share_of(shares: list[pb.FunderShare], own: str) -> int:
    """The funder's part of shares, in minor units."""
    return sum(s.amount.minor_units for s in shares if s.funder == own)


def released(award: pb.Award) -> list[pb.Tranche]:
    return [t for t in award.tranches if t.state == pb.TRANCHE_STATE_RELEASED]


def moments(awards: list[pb.Award], own: str, currency: str) -> pd.DataFrame:
    """What the funder's money did, when: committed by awards, paid by released tranches."""
    committed = [("Committed", a.award_time, share_of(a.funder_shares, own)) for a in awards]
    paid = [
        ("Paid", t.release_time, share_of(t.funder_shares, own))
        for a in awards
        for t in released(a)
    ]
    return pd.DataFrame(
        [
            {
                "What": what,
                "When": when.ToDatetime(tzinfo=UTC),
                "Amount": major_units(units, currency),
            }
            for what, when, units in committed + paid
        ]
    )


def over_time(frame: pd.DataFrame, currency: str) -> alt.Chart:
    """Committed and paid, added up over time."""
    return (
        alt.Chart(frame.sort_values("When"))
        .transform_window(Total="sum(Amount)", groupby=["What"], sort=[{"field": "When"}])
        .mark_line(point=True, interpolate="step-after")
        .encode(
            x=alt.X("When:T", title=None),
            y=alt.Y("Total:Q", title=currency),
            color=alt.Color("What:N", title=None),
            tooltip=["What", alt.Tooltip("When:T"), alt.Tooltip("Total:Q", format=",.2f")],
        )
    )


st.title("Funding")
own = own_organisation()
calls = funded_calls()
if not calls:
    empty_state("Your organisation has pledged to no call yet.")
    st.stop()
lines = [(c, own_line(c, own)) for c in calls]
data_table([{"Call": c.title, **figures(f)} for c, f in lines], "my-pledges.csv")
for currency in sorted({c.currency_code for c in calls}):
    shown = [(c.title, f) for c, f in lines if c.currency_code == currency]
    st.altair_chart(pledge_chart(shown, currency), width="stretch")

st.subheader("One call")
chosen = choose_call(calls, "Your organisation has pledged to no call yet.")
line = {c.name: f for c, f in lines}[chosen.name]
metrics(figures(line))
request = pb.ListAwardsRequest(call=chosen.name, page_size=PAGE_SIZE)
reply = fetch(services().grants.ListAwards, request, "Loading awards…")
show_cut(reply, "awards of this call", "the others are not shown")
awards = list(reply.awards)
if not awards:
    empty_state("No award is decided in this call yet.")
    st.stop()
currency = chosen.currency_code
st.altair_chart(over_time(moments(awards, own, currency), currency), width="stretch")
grantees = org_names(a.grantee_organisation for a in awards)
data_table(
    [
        {
            "Grantee": grantees[a.grantee_organisation],
            "Award": amount(a.amount),
            "Your share": money(share_of(a.funder_shares, own), currency),
            "Paid from your share": money(
                sum(share_of(t.funder_shares, own) for t in released(a)), currency
            ),
            "Awarded": stamp(a.award_time),
            "Signed": stamp(a.sign_time),
        }
        for a in awards
    ],
    f"awards-{chosen.id}.csv",
)
