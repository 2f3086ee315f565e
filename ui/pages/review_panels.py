"""Review panels: join the panel of a call, so its managers can assign you applications."""

from __future__ import annotations

from functools import partial

import pandas as pd
import streamlit as st

from nlc.grants.v1 import calls_pb2
from nlc.grants.v1 import reviews_pb2 as pb
from ui.client import call, services
from ui.display import run_action, show_outcome
from ui.formatting import date_text, empty_state
from ui.grants import call_label, visible_calls

TAKING_REVIEWERS = (calls_pb2.CALL_STATE_OPEN, calls_pb2.CALL_STATE_CLOSED)


def join(c: calls_pb2.Call) -> str:
    """Put the caller on the panel of c (joining twice changes nothing)."""
    call(services().grants.RegisterReviewer, pb.RegisterReviewerRequest(call=c.name))
    return (
        f"You are on the review panel of {c.title}. Its managers can now assign you applications."
    )


st.title("Review panels")
st.caption(
    "Join the panel of a call you can review for. You are never given an application from your"
    " own organisation, and you can declare other conflicts from My reviews."
)
show_outcome()
calls = [c for c in visible_calls() if c.state in TAKING_REVIEWERS]
if not calls:
    empty_state("No call is being reviewed at the moment.")
    st.stop()
for c in calls:
    with st.container(border=True):
        st.markdown(f"#### {call_label(c)}")
        st.caption(f"{c.description} · decisions expected {date_text(c.decision_date)}")
        criteria = [
            {"Criterion": k.title, "Weight": k.weight, "Scores": f"0 to {k.max_score}"}
            for k in c.criteria
        ]
        if criteria:
            st.dataframe(pd.DataFrame(criteria), hide_index=True)
        st.button(
            "Join the review panel",
            key=f"join-{c.id}",
            icon=":material/group_add:",
            on_click=run_action,
            args=(partial(join, c),),
        )
