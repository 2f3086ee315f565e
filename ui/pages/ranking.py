"""Ranking: a call's competing applications by their reviewers' mean weighted score."""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from nlc.grants.v1 import reviews_pb2 as pb
from ui.client import services
from ui.display import data_table, fetch, org_names
from ui.formatting import empty_state
from ui.grants import choose_call, own_calls, own_organisation, runs
from ui.review_moderation import moderation_section

MILLI_PCT_PER_PCT = 1000


def score(entry: pb.RankedApplication) -> float:
    """The weighted score as a percentage of the maximum."""
    return entry.weighted_score_milli_pct / MILLI_PCT_PER_PCT


def score_chart(frame: pd.DataFrame) -> alt.Chart:
    """One bar per application, best first."""
    return (
        alt.Chart(frame)
        .mark_bar()
        .encode(
            x=alt.X("Score (%):Q", scale=alt.Scale(domain=[0, 100])),
            y=alt.Y("Application:N", sort=None, title=None),
            color=alt.Color("Reviewed:N", title=None),
            tooltip=["Rank", "Application", "Applicant", "Score (%)", "Reviews"],
        )
    )


st.title("Ranking")
chosen = choose_call(own_calls(), "Your organisation neither runs nor funds a call yet.")
request = pb.GetRankingRequest(call=chosen.name)
ranking = fetch(services().grants.GetRanking, request, "Loading the ranking…").applications
if not ranking:
    empty_state("No application to this call is submitted yet.")
    st.stop()

applicants = org_names(e.applicant_organisation for e in ranking)
rows = [
    {
        "Rank": e.rank,
        "Application": e.title,
        "Applicant": applicants[e.applicant_organisation],
        "Score (%)": round(score(e), 1),
        "Reviews": f"{e.reviews_done} of {e.reviews_needed}",
        "Moderated scores": e.moderated_scores,
        "Reviewed": "fully" if e.reviews_done >= e.reviews_needed else "waiting for reviews",
    }
    for e in ranking
]
st.caption("The score is the mean over submitted reviews, weighted by the call's criteria.")
st.altair_chart(score_chart(pd.DataFrame(rows)), width="stretch")
leader = ranking[0]
if leader.reviews_done:
    st.markdown(
        f"**First:** {leader.title} ({applicants[leader.applicant_organisation]}), "
        f"{score(leader):g}% with {leader.reviews_done} of {leader.reviews_needed} reviews."
    )
else:
    st.caption("No review is submitted yet.")
data_table(rows, f"ranking-{chosen.id}.csv")
if runs(chosen, own_organisation()):
    moderation_section(chosen, {e.application: e.title for e in ranking})
