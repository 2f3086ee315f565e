"""Awards and tranches: sign a call's awards and release their tranches when they are due."""

from __future__ import annotations

from functools import partial

import streamlit as st

from nlc.grants.v1 import applications_pb2, calls_pb2
from nlc.grants.v1 import awards_pb2 as pb
from ui.client import PAGE_SIZE, call, services
from ui.display import amount, data_table, fetch, org_names, run_action, show_outcome, stamp, words
from ui.formatting import MISSING, empty_state
from ui.grants import choose_call, managed_calls
from ui.paging import show_cut

RELEASABLE = (pb.TRANCHE_STATE_PENDING, pb.TRANCHE_STATE_HELD)


def sign(award: pb.Award, title: str) -> str:
    """Record that the award for title is signed."""
    call(services().grants.SignAward, pb.SignAwardRequest(name=award.name))
    return f"The award for “{title}” is signed; tranches due on signing are released or held."


def release(award: pb.Award, tranche: pb.Tranche) -> str:
    """Release one tranche of award."""
    request = pb.ReleaseTrancheRequest(award=award.name, tranche_code=tranche.code)
    call(services().grants.ReleaseTranche, request)
    return f"Tranche {tranche.code} ({amount(tranche.amount)}) is released."


def show_tranches(award: pb.Award, funders: dict[str, str]) -> None:
    """The award's tranches, each with a button to release it while it is not released."""
    st.table(
        [
            {
                "Tranche": t.code,
                "Amount": amount(t.amount),
                "Released on": words(calls_pb2.TrancheTrigger, t.trigger).lower(),
                "State": words(pb.TrancheState, t.state),
                "Released": stamp(t.release_time),
                "Held because": t.hold_reason or MISSING,
                "Per funder": ", ".join(
                    f"{funders.get(s.funder, s.funder)} {amount(s.amount)}" for s in t.funder_shares
                ),
            }
            for t in award.tranches
        ]
    )
    for t in award.tranches:
        if t.state in RELEASABLE:
            st.button(
                f"Release tranche {t.code}",
                key=f"release-{award.id}-{t.code}",
                icon=":material/payments:",
                on_click=run_action,
                args=(partial(release, award, t),),
            )


st.title("Awards and tranches")
calls = [c for c in managed_calls() if c.state != calls_pb2.CALL_STATE_DRAFT]
chosen = choose_call(calls, "None of your calls has awards yet.")
grants = services().grants
request = pb.ListAwardsRequest(call=chosen.name, page_size=PAGE_SIZE)
decided = fetch(grants.ListAwards, request, "Loading awards…")
show_cut(decided, "awards of this call", "the others are not listed")
awards = list(decided.awards)
if not awards:
    empty_state("No award is decided for this call yet; decide them in Award decisions.")
    st.stop()
listed = applications_pb2.ListApplicationsRequest(call=chosen.name, page_size=PAGE_SIZE)
applied = fetch(grants.ListApplications, listed, "Loading applications…")
show_cut(applied, "applications to this call", "awards to the others show no title")
apps = applied.applications
titles = {a.name: a.title for a in apps}
grantees = org_names(a.grantee_organisation for a in awards)
funders = org_names(f.organisation for f in chosen.funders)
data_table(
    [
        {
            "Application": titles.get(a.application, a.application),
            "Grantee": grantees[a.grantee_organisation],
            "Award": amount(a.amount),
            "Awarded": stamp(a.award_time),
            "Signed": stamp(a.sign_time),
            "Released": ", ".join(
                t.code for t in a.tranches if t.state == pb.TRANCHE_STATE_RELEASED
            )
            or MISSING,
        }
        for a in awards
    ],
    f"awards-{chosen.id}.csv",
)
award = st.selectbox(
    "Award", awards, format_func=lambda a: titles.get(a.application, a.application)
)
st.subheader(titles.get(award.application, award.application))
st.caption(
    f"{grantees[award.grantee_organisation]} · {amount(award.amount)} · "
    + ", ".join(
        f"{funders.get(s.funder, s.funder)} {amount(s.amount)}" for s in award.funder_shares
    )
)
if not award.sign_time.seconds:
    st.button(
        "Record the award as signed",
        type="primary",
        icon=":material/signature:",
        on_click=run_action,
        args=(partial(sign, award, titles.get(award.application, award.application)),),
    )
show_tranches(award, funders)
show_outcome()
