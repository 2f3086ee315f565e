"""Display pieces pages share: enum words, timestamps, organisation names, tables with CSV."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import UTC
from typing import Any

import pandas as pd
import streamlit as st
from google.protobuf.timestamp_pb2 import Timestamp
from pandas.io.formats.style import Styler

from nlc.registry.v1.organisations_pb2 import GetOrganisationRequest
from ui.client import UiError, call, services, show_error
from ui.formatting import date_text, org_label

ORG_NAMES_KEY = "nlc_org_names"
OUTCOME_KEY = "nlc_action_outcome"


def words(enum: Any, value: int) -> str:
    """An enum value in words: SHARING_STATUS_REVIEW_LAPSED -> 'Review lapsed'."""
    prefix = enum.Name(0).removesuffix("UNSPECIFIED")
    return enum.Name(value).removeprefix(prefix).replace("_", " ").capitalize()


def stamp(timestamp: Timestamp) -> str:
    """A protobuf timestamp as date_text shows it (UTC); a dash when unset."""
    if not (timestamp.seconds or timestamp.nanos):
        return date_text(None)
    return date_text(timestamp.ToDatetime(tzinfo=UTC))


def org_names(names: Iterable[str]) -> dict[str, str]:
    """Display names of organisations from the registry, remembered for the session; the short
    label (not remembered) for one the registry does not show the caller."""
    known: dict[str, str] = st.session_state.setdefault(ORG_NAMES_KEY, {})
    labels = dict(known)
    for name in set(names) - known.keys():
        try:
            reply = call(services().registry.GetOrganisation, GetOrganisationRequest(name=name))
        except UiError:
            labels[name] = org_label(name)
            continue
        labels[name] = known[name] = reply.display_name or org_label(name)
    return labels


def short(name: str) -> str:
    """The last segment of a resource name: 'purposes/safeguarding-referral' -> its code."""
    return name.rsplit("/", 1)[-1]


def data_table(table: list[dict[str, Any]] | Styler, file_name: str, **options: Any) -> Any:
    """Rows (or a styled frame) as a sortable table with a CSV download; options go to
    st.dataframe, whose selection state it returns."""
    shown = table if isinstance(table, Styler) else pd.DataFrame(table)
    frame = table.data if isinstance(table, Styler) else shown
    event = st.dataframe(shown, hide_index=True, **options)
    st.download_button(
        "Download CSV",
        frame.to_csv(index=False),
        file_name=file_name,
        mime="text/csv",
        on_click="ignore",
        icon=":material/download:",
    )
    return event


def run_action(action: Callable[[], str]) -> None:
    """A button callback: run action and keep what it says, or its UiError, for show_outcome."""
    try:
        st.session_state[OUTCOME_KEY] = action()
    except UiError as error:
        st.session_state[OUTCOME_KEY] = error


def show_outcome() -> None:
    """What the last run_action said, once, where the page calls this."""
    outcome = st.session_state.pop(OUTCOME_KEY, None)
    if isinstance(outcome, UiError):
        show_error(outcome)
    elif outcome:
        st.success(outcome, icon=":material/check_circle:")
