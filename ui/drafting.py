"""An application being written: what the applicant typed as an Application, what changed
since the last save, and saving it (a draft on the first change, then the changed fields)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import pandas as pd
import streamlit as st
from google.protobuf.field_mask_pb2 import FieldMask

from nlc.grants.v1 import applications_pb2 as pb
from nlc.grants.v1 import calls_pb2
from ui.cells import text
from ui.client import UiError, call, services
from ui.display import choices, money_of, words
from ui.formatting import major_units

# What the form edits (UpdateApplication's mask paths), and how the form calls each.
FIELDS = {
    "title": "title",
    "summary": "summary",
    "jurisdiction": "place",
    "prevention_levels": "prevention levels",
    "requested_amount": "requested amount",
    "budget_lines": "budget",
    "match_commitments": "match funding",
}
BUDGET_COLUMNS = ("Category", "Description", "Amount")
MATCH_COLUMNS = ("Source", "Kind", "Amount", "Reference", "State", "Evidence", "id")
FORMS_KEY = "nlc_application_forms"


CATEGORIES = choices(pb.BudgetCategory)
KINDS = choices(calls_pb2.MatchKind)


@dataclass
class Draft:
    """One application form between reruns: its call, what was last saved, how saving went."""

    form_id: str
    call: calls_pb2.Call
    saved: pb.Application | None = None
    saved_at: datetime | None = None
    saved_fields: tuple[str, ...] = ()
    error: UiError | None = None
    generation: int = 0

    def key(self, name: str) -> str:
        """The widget key of name in this form; a new generation starts the widgets afresh."""
        return f"draft-{self.form_id}-{self.generation}-{name}"

    @property
    def currency(self) -> str:
        return self.call.currency_code


def open_forms() -> dict[str, Draft]:
    """The application forms open in this session, by what they were opened for."""
    return st.session_state.setdefault(FORMS_KEY, {})


def budget_frame(app: pb.Application | None) -> pd.DataFrame:
    """The saved budget lines as the budget table shows them (amounts in major units)."""
    lines = app.budget_lines if app else []
    rows = [
        {
            "Category": words(pb.BudgetCategory, b.category) if b.category else None,
            "Description": b.description,
            "Amount": major_units(b.amount.minor_units, b.amount.currency_code),
        }
        for b in lines
    ]
    return pd.DataFrame(rows, columns=BUDGET_COLUMNS).astype({"Amount": "float"})


def budget_lines(frame: pd.DataFrame, currency: str) -> list[pb.BudgetLine]:
    """The budget table's rows as budget lines."""
    return [
        pb.BudgetLine(
            category=CATEGORIES.get(text(row["Category"]), 0),
            description=text(row["Description"]),
            amount=money_of(row["Amount"], currency),
        )
        for row in frame.to_dict("records")
    ]


def match_frame(app: pb.Application | None) -> pd.DataFrame:
    """The saved match commitments as the match table shows them (amounts in major units)."""
    found = app.match_commitments if app else []
    rows = [
        {
            "Source": m.source_name,
            "Kind": words(calls_pb2.MatchKind, m.kind) if m.kind else None,
            "Amount": major_units(m.amount.minor_units, m.amount.currency_code),
            "Reference": m.commitment_reference,
            "State": words(pb.MatchState, m.state),
            "Evidence": m.evidence_reference,
            "id": m.id,
        }
        for m in found
    ]
    return pd.DataFrame(rows, columns=MATCH_COLUMNS).astype({"Amount": "float"})


def commitments(
    frame: pd.DataFrame, saved: pb.Application | None, currency: str
) -> list[pb.MatchCommitment]:
    """The match table's rows as commitments; what the table does not edit stays as saved."""
    known = {m.id: m for m in saved.match_commitments} if saved else {}
    found = []
    for row in frame.to_dict("records"):
        m = pb.MatchCommitment()
        if text(row["id"]) in known:
            m.CopyFrom(known[text(row["id"])])
        m.source_name = text(row["Source"])
        m.kind = KINDS.get(text(row["Kind"]), 0)
        m.amount.CopyFrom(money_of(row["Amount"], currency))
        m.commitment_reference = text(row["Reference"])
        found.append(m)
    return found


def comparable(app: pb.Application | None, path: str) -> Any:
    """The value of path in app, in a form two applications can be compared by."""
    if app is None:
        app = pb.Application()
    value = getattr(app, path)
    if path in ("budget_lines", "match_commitments"):
        return [item.SerializeToString(deterministic=True) for item in value]
    if path == "requested_amount":
        return value.minor_units if app.HasField(path) else 0
    return list(value) if path == "prevention_levels" else value


def changed_paths(saved: pb.Application | None, wanted: pb.Application) -> list[str]:
    """The fields of wanted that differ from what was saved."""
    return [p for p in FIELDS if comparable(saved, p) != comparable(wanted, p)]


def save(draft: Draft, wanted: pb.Application) -> bool:
    """Save what changed: create the draft on the first change, then update the changed fields
    under the saved etag. True when something was saved; a refusal is kept in draft.error."""
    paths = changed_paths(draft.saved, wanted)
    if not paths:
        return False
    grants = services().grants
    try:
        if draft.saved is None:
            wanted.call = draft.call.name
            request = pb.CreateApplicationRequest(application=wanted)
            draft.saved = call(grants.CreateApplication, request)
        else:
            wanted.name, wanted.etag = draft.saved.name, draft.saved.etag
            mask = FieldMask(paths=paths)
            request = pb.UpdateApplicationRequest(application=wanted, update_mask=mask)
            draft.saved = call(grants.UpdateApplication, request)
    except UiError as error:
        draft.error = error
        return False
    draft.saved_at, draft.error = datetime.now(), None
    draft.saved_fields = tuple(FIELDS[p] for p in paths)
    return True


def submit(draft: Draft) -> bool:
    """Submit the saved draft under its etag and close its form; True when submitted, else
    draft.error says why."""
    if draft.saved is None:
        draft.error = UiError("Write the application first: nothing is saved yet.")
        return False
    request = pb.SubmitApplicationRequest(name=draft.saved.name, etag=draft.saved.etag)
    try:
        draft.saved = call(services().grants.SubmitApplication, request)
    except UiError as error:
        draft.error = error
        return False
    draft.error = None
    forms = open_forms()
    for key in [key for key, form in forms.items() if form is draft]:
        del forms[key]
    return True


def reload(draft: Draft) -> None:
    """Read the application as it is saved now and start the form's widgets from it."""
    assert draft.saved is not None
    request = pb.GetApplicationRequest(name=draft.saved.name)
    try:
        draft.saved = call(services().grants.GetApplication, request)
    except UiError as error:
        draft.error = error
        return
    draft.error, draft.saved_at = None, None
    draft.generation += 1
