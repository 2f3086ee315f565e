"""Frameworks: read the national frameworks, comment while they are in consultation, acknowledge
an adopted one for one's local government, and follow who has acknowledged it."""

from __future__ import annotations

from functools import partial

import streamlit as st

from nlc.registry.v1 import frameworks_pb2 as pb
from services.common.auth import Role
from ui.client import PAGE_SIZE, UiError, call, services
from ui.display import (
    data_table,
    fetch,
    metrics,
    org_names,
    renamed,
    run_action,
    show_outcome,
    stamp,
    words,
)
from ui.formatting import MISSING, date_text, empty_state
from ui.grants import own_organisation
from ui.paging import show_cut
from ui.session import current_user

NATIONAL = frozenset({Role.NATIONAL_ADMIN.value, Role.NATIONAL_REVIEWER.value})
WHOLE = ""
COMMENT_FIELDS = {"text": "Comment", "anchor_code": "About"}
COMMENT_TEXT_KEY = "framework-comment-text"
COMMENT_ANCHOR_KEY = "framework-comment-anchor"


def state_of(f: pb.Framework) -> str:
    return words(pb.FrameworkState, f.state)


def framework_row(f: pb.Framework) -> dict[str, object]:
    return {
        "Framework": f.title,
        "Kind": words(pb.FrameworkKind, f.kind),
        "State": state_of(f),
        "Version": f.etag,
        "Adopted": stamp(f.adopt_time),
        "Consultation closes": date_text(f.consultation_closes),
    }


def indicator_row(i: pb.StandardIndicator) -> dict[str, object]:
    return {
        "Code": i.code,
        "Indicator": i.title,
        "Pillar": i.pillar_code,
        "Level": words(pb.IndicatorLevel, i.level),
        "Unit": i.unit,
        "Good when": "higher" if i.direction == pb.INDICATOR_DIRECTION_UP else "lower",
        "By": ", ".join(words(pb.Disaggregation, d) for d in i.disaggregations) or MISSING,
    }


def distribution_row(d: pb.FrameworkDistribution) -> dict[str, object]:
    return {
        "Organisation": d.organisation_display_name,
        "Status": "Acknowledged" if d.HasField("acknowledge_time") else "Waiting",
        "Sent": stamp(d.distribute_time),
        "Acknowledged": stamp(d.acknowledge_time),
        "By": d.acknowledged_by or MISSING,
        "Days waiting": d.days_waiting,
    }


def distributions(f: pb.Framework) -> tuple[list[pb.FrameworkDistribution], int, int]:
    """Every local government f went to, with the acknowledged and waiting counts."""
    found: list[pb.FrameworkDistribution] = []
    token = ""
    while True:
        request = pb.ListFrameworkDistributionsRequest(
            framework=f.name, page_size=PAGE_SIZE, page_token=token
        )
        doing = "Loading acknowledgements…"
        reply = fetch(services().registry.ListFrameworkDistributions, request, doing)
        found.extend(reply.distributions)
        token = reply.next_page_token
        if not token:
            return found, reply.acknowledged_count, reply.pending_count


def acknowledge(f: pb.Framework, organisation: str) -> str:
    request = pb.AcknowledgeFrameworkRequest(framework=f.name, organisation=organisation)
    sent = call(services().registry.AcknowledgeFramework, request)
    return f"{sent.organisation_display_name} acknowledged “{f.title}”."


def comment(f: pb.Framework) -> str:
    request = pb.CommentOnFrameworkRequest(
        framework=f.name,
        anchor_code=st.session_state[COMMENT_ANCHOR_KEY],
        text=st.session_state[COMMENT_TEXT_KEY],
    )
    try:
        call(services().registry.CommentOnFramework, request)
    except UiError as error:
        raise renamed(error, COMMENT_FIELDS) from None
    st.session_state[COMMENT_TEXT_KEY] = ""
    return "Your comment is recorded."


def show_content(f: pb.Framework) -> None:
    """Summary, pillars and standard indicators, as the framework states them."""
    issuer = org_names([f.issuing_organisation])[f.issuing_organisation]
    st.subheader(f.title)
    st.caption(f"{words(pb.FrameworkKind, f.kind)} issued by {issuer} · {state_of(f)}")
    st.markdown(f.summary or "_No summary._")
    if f.document_url:
        st.link_button("Read the full document", f.document_url, icon=":material/description:")
    st.markdown("**Pillars**")
    for p in f.pillars:
        st.markdown(f"- **{p.code} {p.title}**: {p.description or MISSING}")
    if f.indicators:
        st.markdown("**Standard indicators**")
        st.table([indicator_row(i) for i in f.indicators])


def show_acknowledgement(f: pb.Framework) -> None:
    """Whether the officer's organisation has acknowledged f, and the button to do so."""
    own = own_organisation()
    mine = next((d for d in distributions(f)[0] if d.organisation == own), None)
    if mine is None:
        st.info("This framework was not sent to your organisation.", icon=":material/info:")
    elif mine.HasField("acknowledge_time"):
        st.success(
            f"Acknowledged on {stamp(mine.acknowledge_time)} by {mine.acknowledged_by}.",
            icon=":material/task_alt:",
        )
    else:
        st.warning(
            f"Not yet acknowledged: sent to {mine.organisation_display_name} "
            f"{mine.days_waiting} day(s) ago.",
            icon=":material/pending_actions:",
        )
        st.button(
            "Acknowledge receipt",
            type="primary",
            on_click=run_action,
            args=(partial(acknowledge, f, own),),
            icon=":material/task_alt:",
        )


def show_distribution(f: pb.Framework) -> None:
    """Which local governments have acknowledged f and which are still waiting."""
    st.subheader("Acknowledgements")
    sent, acknowledged, waiting = distributions(f)
    metrics({"Acknowledged": str(acknowledged), "Waiting": str(waiting)})
    if not sent:
        empty_state("This framework was sent to no local government.")
        return
    data_table([distribution_row(d) for d in sent], f"acknowledgements-{f.id}.csv")


def show_comments(f: pb.Framework, open_for_comments: bool) -> None:
    """The consultation's comments, and a form to add one while it is open."""
    st.subheader("Consultation comments")
    request = pb.ListFrameworkCommentsRequest(framework=f.name, page_size=PAGE_SIZE)
    found = fetch(services().registry.ListFrameworkComments, request, "Loading comments…")
    show_cut(found, "comments", "the others are not listed")
    names = org_names(c.organisation for c in found.comments if c.organisation)
    rows = [
        {
            "When": stamp(c.create_time),
            "Organisation": names.get(c.organisation, MISSING),
            "Author": c.author_username,
            "About": c.anchor_code or "General",
            "Comment": c.text,
        }
        for c in found.comments
    ]
    if rows:
        st.table(rows)
    else:
        empty_state("No comment yet.")
    if not open_for_comments:
        return
    anchors = {WHOLE: "General", **{p.code: f"{p.code} {p.title}" for p in f.pillars}}
    anchors |= {i.code: f"{i.code} {i.title}" for i in f.indicators}
    with st.form("framework-comment"):
        st.selectbox("About", list(anchors), format_func=anchors.get, key=COMMENT_ANCHOR_KEY)
        st.text_area("Comment", key=COMMENT_TEXT_KEY)
        st.form_submit_button(
            "Send comment", on_click=run_action, args=(partial(comment, f),), icon=":material/send:"
        )


st.title("Frameworks")
st.caption(
    "National strategies, action plans, legislation and guidance: comment while they are in "
    "consultation, and acknowledge each adopted one your organisation receives."
)
show_outcome()
request = pb.ListFrameworksRequest(page_size=PAGE_SIZE)
listed = fetch(services().registry.ListFrameworks, request, "Loading frameworks…")
frameworks = {f.id: f for f in reversed(listed.frameworks)}
if not frameworks:
    empty_state("No national framework is published yet.")
    st.stop()
data_table([framework_row(f) for f in frameworks.values()], "frameworks.csv")
show_cut(listed, "frameworks (oldest first)", "later ones are not listed")

chosen = frameworks[
    st.selectbox(
        "Framework",
        list(frameworks),
        format_func=lambda i: f"{frameworks[i].title} ({state_of(frameworks[i]).lower()})",
        key="framework",
        bind="query-params",
    )
]
show_content(chosen)
user = current_user()
roles = user.roles if user else frozenset()
if chosen.state == pb.FRAMEWORK_STATE_ADOPTED:
    if Role.CITY_OFFICER.value in roles:
        show_acknowledgement(chosen)
    if roles & NATIONAL:
        show_distribution(chosen)
if chosen.state != pb.FRAMEWORK_STATE_DRAFT:
    show_comments(chosen, chosen.state == pb.FRAMEWORK_STATE_CONSULTATION)
