"""Training: attest a data-protection course and see whether one's training is current."""

from __future__ import annotations

from datetime import UTC, date, datetime

import streamlit as st

from nlc.infoshare.v1 import infoshare_pb2 as pb
from nlc.infoshare.v1 import shares_pb2
from ui.client import UiError, call, services, show_error
from ui.display import data_table, org_names, run_action, show_outcome, stamp
from ui.formatting import date_text, empty_state
from ui.session import current_user

COURSE_KEY = "training-course"
COMPLETED_KEY = "training-completed-on"


def attest() -> str:
    """Record the course in the form as completed on the date in the form."""
    completed: date = st.session_state[COMPLETED_KEY]
    request = pb.AttestTrainingRequest(
        course=st.session_state[COURSE_KEY], completed_on=completed.isoformat()
    )
    recorded = call(services().infoshare.AttestTraining, request)
    return f"Recorded; your training counts until {date_text(recorded.valid_until)}."


def show_standing(mine: list[shares_pb2.TrainingAttestation]) -> None:
    """Whether the latest attestation still counts today, as the service dated it."""
    today = datetime.now(UTC).date().isoformat()
    latest = max((a.valid_until for a in mine), default="")
    if latest and latest >= today:
        st.success(
            f"You are trained: your training counts until {date_text(latest)}.",
            icon=":material/verified:",
        )
    elif latest:
        st.error(
            f"You are not currently trained: your training lapsed on {date_text(latest)}. "
            "You cannot send or read shares until you attest a new course.",
            icon=":material/gpp_bad:",
        )
    else:
        st.error(
            "You are not trained: no training attested. "
            "You cannot send or read shares until you attest a course.",
            icon=":material/gpp_bad:",
        )


st.title("Training")
user = current_user()
show_outcome()
with st.form("attest-training"):
    st.text_input("Course", key=COURSE_KEY, placeholder="e.g. Data protection refresher")
    st.date_input("Completed on", key=COMPLETED_KEY, max_value=date.today(), format="YYYY-MM-DD")
    st.form_submit_button(
        "Attest training",
        type="primary",
        on_click=run_action,
        args=(attest,),
        icon=":material/school:",
    )
try:
    with st.spinner("Loading attestations…"):
        request = pb.ListTrainingAttestationsRequest()
        attestations = list(
            call(services().infoshare.ListTrainingAttestations, request).attestations
        )
        names = org_names(a.organisation for a in attestations if a.organisation)
except UiError as error:
    show_error(error)
    st.stop()
username = user.username if user else ""
show_standing([a for a in attestations if a.user == username])
if not attestations:
    empty_state("No training has been attested yet.")
    st.stop()
rows = [
    {
        "Person": a.user,
        "Organisation": names.get(a.organisation, ""),
        "Course": a.course,
        "Completed on": date_text(a.completed_on),
        "Counts until": date_text(a.valid_until),
        "Recorded": stamp(a.record_time),
    }
    for a in sorted(attestations, key=lambda a: a.completed_on, reverse=True)
]
data_table(rows, "training.csv")
