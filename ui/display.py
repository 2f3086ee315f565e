"""Display pieces pages share: enum words, timestamps, money, organisation names, tables with
CSV, loading behind a spinner, and problems shown at the fields they concern."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from datetime import UTC
from typing import Any

import pandas as pd
import streamlit as st
from google.protobuf.timestamp_pb2 import Timestamp
from pandas.io.formats.style import Styler

from nlc.common.v1 import common_pb2
from nlc.registry.v1 import organisations_pb2
from nlc.registry.v1.organisations_pb2 import GetOrganisationRequest
from ui.client import PAGE_SIZE, UiError, call, services, show_error, under
from ui.formatting import MISSING, date_text, minor_units, money, org_label
from ui.paging import show_cut

ORG_NAMES_KEY = "nlc_org_names"
OUTCOME_KEY = "nlc_action_outcome"
ITEM_PATH = re.compile(r"^\[(\d+)\]\.?(.*)$")


def words(enum: Any, value: int) -> str:
    """An enum value in words: SHARING_STATUS_REVIEW_LAPSED -> 'Review lapsed'."""
    prefix = enum.Name(0).removesuffix("UNSPECIFIED")
    return enum.Name(value).removeprefix(prefix).replace("_", " ").capitalize()


def stamp(timestamp: Timestamp) -> str:
    """A protobuf timestamp as date_text shows it (UTC); a dash when unset."""
    if not (timestamp.seconds or timestamp.nanos):
        return date_text(None)
    return date_text(timestamp.ToDatetime(tzinfo=UTC))


def choices(enum: Any) -> dict[str, int]:
    """An enum's values by their words, without the unspecified one."""
    return {words(enum, v): v for v in enum.values() if v}


def money_of(major: float | None, currency: str) -> common_pb2.Money:
    """An amount typed in major units as the Money message services take."""
    return common_pb2.Money(currency_code=currency, minor_units=minor_units(major, currency))


def amount(value: common_pb2.Money) -> str:
    """A Money message in words: '1,234.56 EUR'; a dash when unset."""
    return money(value.minor_units, value.currency_code) if value.currency_code else MISSING


def metrics(figures: dict[str, str], per_row: int = 2) -> None:
    """Label -> value as metrics, per_row to a row (so long amounts stay readable)."""
    items = list(figures.items())
    for start in range(0, len(items), per_row):
        row = items[start : start + per_row]
        for column, (label, value) in zip(st.columns(per_row), row, strict=False):
            column.metric(label, value)


def fetch(stub_method: Callable[..., Any], request: Any, doing: str) -> Any:
    """stub_method(request) behind a spinner saying what it is doing; a refusal is shown and
    ends the page there."""
    try:
        with st.spinner(doing):
            return call(stub_method, request)
    except UiError as error:
        show_error(error)
        st.stop()


def field_problems(error: UiError | None, prefix: str, item: str = "Item") -> list[str]:
    """The problems error names under the field prefix, in words: for
    'application.budget_lines[2].category' under 'application.budget_lines' with item 'Line',
    'Line 3, category: …'."""
    if error is None:
        return []
    found = []
    for path, text in error.field_violations.items():
        if not under(path, (prefix,)):
            continue
        where = ITEM_PATH.match(path.removeprefix(prefix))
        if where is None:
            found.append(text)
            continue
        number, rest = int(where[1]) + 1, where[2].replace("_", " ").replace(".", " ")
        found.append(f"{item} {number}{f', {rest}' if rest else ''}: {text}")
    return found


def renamed(error: UiError, names: dict[str, str]) -> UiError:
    """error with field paths put in words by names: with {'items[0]': 'Mentors'},
    'items[0].amount' becomes 'Mentors, amount'."""

    def label(path: str) -> str:
        for head, name in names.items():
            if path == head:
                return name
            if path.startswith(f"{head}."):
                return f"{name}, {path.removeprefix(f'{head}.').replace('_', ' ')}"
        return path

    fields = {label(path): text for path, text in error.field_violations.items()}
    return UiError(error.message, fields, error.code)


def show_field_problems(error: UiError | None, prefix: str, item: str = "Item") -> None:
    """The problems of field prefix, right where the page calls this (under the field)."""
    for text in field_problems(error, prefix, item):
        st.error(text, icon=":material/error:")


def show_form_problems(
    error: UiError | None,
    status: Any,
    slots: Mapping[str, Any],
    prefix: str,
    at_fields: Mapping[str, str],
) -> None:
    """error's message in status (on top of the form), and under each field of at_fields (name →
    what one of its items is called) its own problems, in slots[name]."""
    with status.container():
        if error is not None:
            show_error(error, [prefix + name for name in at_fields])
    for name, item in at_fields.items():
        with slots[name].container():
            show_field_problems(error, prefix + name, item)


def registry_organisations() -> dict[str, str]:
    """The organisations the registry shows the caller, as name -> display name."""
    request = organisations_pb2.ListOrganisationsRequest(page_size=PAGE_SIZE)
    found = fetch(services().registry.ListOrganisations, request, "Loading organisations…")
    show_cut(found, "organisations", "the others cannot be chosen here")
    return {o.name: o.display_name for o in found.organisations}


def remembered(
    cache_key: str,
    names: Iterable[str],
    lookup: Callable[[str], str],
    fallback: Callable[[str], str],
) -> dict[str, str]:
    """Labels of resource names from lookup, remembered for the session under cache_key;
    fallback (not remembered) for a name the service does not show the caller."""
    known: dict[str, str] = st.session_state.setdefault(cache_key, {})
    labels = dict(known)
    for name in set(names) - known.keys():
        try:
            labels[name] = known[name] = lookup(name) or fallback(name)
        except UiError:
            labels[name] = fallback(name)
    return labels


def org_names(names: Iterable[str]) -> dict[str, str]:
    """Display names of organisations from the registry (their short label when hidden)."""

    def lookup(name: str) -> str:
        request = GetOrganisationRequest(name=name)
        return call(services().registry.GetOrganisation, request).display_name

    return remembered(ORG_NAMES_KEY, names, lookup, org_label)


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
        remember_outcome(action())
    except UiError as error:
        remember_outcome(error)


def remember_outcome(outcome: str | UiError) -> None:
    """Keep outcome for show_outcome on the next run."""
    st.session_state[OUTCOME_KEY] = outcome


def show_outcome() -> None:
    """What the last run_action said, once, where the page calls this."""
    outcome = st.session_state.pop(OUTCOME_KEY, None)
    if isinstance(outcome, UiError):
        show_error(outcome)
    elif outcome:
        st.success(outcome, icon=":material/check_circle:")
