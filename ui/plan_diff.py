"""What changed in a plan: the differences between two versions in words, and its review
history (who moved it where, when and why)."""

from __future__ import annotations

import json
import re
from typing import Any

import streamlit as st

from nlc.reporting.v1 import plans_pb2 as pb
from ui.client import PAGE_SIZE, services
from ui.display import fetch, stamp, words
from ui.formatting import MISSING, empty_state, money
from ui.paging import show_cut

ENTRY = re.compile(r"^(activities|indicators)\[([^\]]+)\](?:\.(.*))?$")
TARGET = re.compile(r"^targets\[([^\]]+)\]$")
ENTRY_WORDS = {"activities": "Activity", "indicators": "Indicator"}


def field_words(name: str) -> str:
    """'theory_of_change.goal' -> 'theory of change, goal'."""
    return name.replace(".", ", ").replace("_", " ")


def where(path: str) -> str:
    """A change's path in words: 'activities[A2].budget' -> 'Activity A2, budget';
    'indicators[I1].targets[2026-H1]' -> 'Indicator I1, target for 2026-H1'."""
    entry = ENTRY.match(path)
    if entry is None:
        return field_words(path).capitalize()
    kind, code, rest = entry.groups()
    head = f"{ENTRY_WORDS[kind]} {code}"
    if not rest:
        return head
    target = TARGET.match(rest)
    return f"{head}, {f'target for {target[1]}' if target else field_words(rest)}"


def value_words(value: Any) -> str:
    """A decoded JSON value as people read it: money formatted, lists joined, dates as typed."""
    if value is None or value == "" or value == []:
        return MISSING
    if isinstance(value, dict) and {"currency_code", "minor_units"} <= value.keys():
        return money(value["minor_units"], value["currency_code"])
    if isinstance(value, dict) and {"start_date", "end_date"} == value.keys():
        return f"{value['start_date'] or MISSING} to {value['end_date'] or MISSING}"
    if isinstance(value, dict):
        parts = (f"{field_words(k)}: {value_words(v)}" for k, v in value.items() if v)
        return "; ".join(parts)
    if isinstance(value, list):
        return "; ".join(value_words(v) for v in value)
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def json_words(text: str) -> str:
    """A change's before or after (JSON text, empty where the value does not exist) in words."""
    return value_words(json.loads(text)) if text else MISSING


def change_rows(changes: Any) -> list[dict[str, str]]:
    """One row per change: added, removed or changed; where; before; after."""
    return [
        {
            "Change": words(pb.ChangeKind, c.kind),
            "Where": where(c.path),
            "Before": json_words(c.before),
            "After": json_words(c.after),
        }
        for c in changes
    ]


def compared_version(plan: pb.ActionPlan) -> int:
    """The version to compare plan's current one with: the one in force, or the one before."""
    if 0 < plan.approved_version < plan.version:
        return plan.approved_version
    return plan.version - 1


def show_diff(plan: pb.ActionPlan) -> None:
    """The changes of plan's current version since the version in force (or the one before)."""
    earlier = compared_version(plan)
    if earlier < 1:
        st.subheader("Changes")
        empty_state("This is the plan's first version: there is no earlier one to compare with.")
        return
    st.subheader(f"Changes from version {earlier} to version {plan.version}")
    request = pb.DiffActionPlanVersionsRequest(name=plan.name, from_version=earlier)
    reply = fetch(services().reporting.DiffActionPlanVersions, request, "Comparing versions…")
    if reply.changes:
        st.table(change_rows(reply.changes))
    else:
        empty_state("Nothing changed between these versions.")


def transitions(plan: pb.ActionPlan) -> list[pb.PlanTransition]:
    """Every step of plan's review, oldest first."""
    request = pb.ListPlanTransitionsRequest(name=plan.name, page_size=PAGE_SIZE)
    reply = fetch(services().reporting.ListPlanTransitions, request, "Loading the history…")
    show_cut(reply, "steps of the plan's review", "the later steps are not listed")
    return list(reply.transitions)


def comment_lines(comments: Any) -> list[str]:
    """'Activity A1: text' for each comment ('Whole plan: text' without an anchor)."""
    found = []
    for c in comments:
        about = f"{words(pb.AnchorKind, c.anchor_kind)} {c.anchor_code}".strip()
        found.append(f"{about if c.anchor_code else 'Whole plan'}: {c.text}")
    return found


def show_history(steps: list[pb.PlanTransition]) -> None:
    """The review history as a table."""
    st.subheader("History")
    if not steps:
        empty_state("Nothing has happened to this plan yet.")
        return
    rows = [
        {
            "When": stamp(t.time),
            "Version": t.version,
            "From": words(pb.PlanState, t.from_state),
            "To": words(pb.PlanState, t.to_state),
            "By": t.actor_username,
            "Reason or note": t.reason or MISSING,
            "Comments": " · ".join(comment_lines(t.comments)) or MISSING,
        }
        for t in steps
    ]
    st.table(rows)


def show_change_request(steps: list[pb.PlanTransition]) -> None:
    """The reviewer's latest request for changes: reason and comments."""
    asked = [t for t in steps if t.to_state == pb.PLAN_STATE_CHANGES_REQUESTED]
    if not asked:
        return
    last = asked[-1]
    text = [
        f"**Changes requested** by {last.actor_username} on {stamp(last.time)}: {last.reason}",
        *(f"- {line}" for line in comment_lines(last.comments)),
    ]
    st.warning("\n".join(text), icon=":material/undo:")
