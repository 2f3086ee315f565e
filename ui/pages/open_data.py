"""360Giving export: the awards you may see, as 360Giving open data to download."""

from __future__ import annotations

import json

import streamlit as st

from nlc.grants.v1 import awards_pb2 as pb
from ui.client import services
from ui.display import data_table, fetch
from ui.formatting import date_text, empty_state, minor_units, money
from ui.grants import call_label, own_calls

EVERY_CALL = ""


def open_money(value: float, currency: str) -> str:
    """An open-data amount (a JSON number in major units) as the other pages show money."""
    return money(minor_units(value, currency), currency)


def preview_row(grant: dict) -> dict[str, object]:
    """One exported grant as the preview shows it."""
    return {
        "Grant": grant["title"],
        "Recipient": ", ".join(r["name"] for r in grant.get("recipientOrganization", [])),
        "Funders": ", ".join(f["name"] for f in grant.get("fundingOrganization", [])),
        "Awarded": open_money(grant["amountAwarded"], grant["currency"]),
        "Paid": open_money(grant.get("amountDisbursed", 0), grant["currency"]),
        "Award date": date_text(grant.get("awardDate")),
    }


st.title("360Giving export")
st.caption(
    "Every award with all its co-funders and their transactions, in the 360Giving standard."
    " Grantees whose names would put them at risk are withheld."
)
calls = {c.name: c for c in own_calls()}
chosen = st.selectbox(
    "Awards of",
    [EVERY_CALL, *calls],
    format_func=lambda n: call_label(calls[n]) if n else "every call listed here",
)
request = pb.Export360GivingRequest(call=chosen)
export = fetch(services().grants.Export360Giving, request, "Preparing the export…")
if not export.grant_count:
    empty_state("There is no award to export yet.")
    st.stop()

st.metric("Grants", export.grant_count)
name = f"360giving-{chosen.rsplit('/', 1)[-1] or 'all'}.json"
st.download_button(
    "Download 360Giving JSON",
    export.package_json,
    file_name=name,
    mime="application/json",
    type="primary",
    on_click="ignore",
    icon=":material/download:",
)
grants = json.loads(export.package_json).get("grants", [])
data_table([preview_row(g) for g in grants], name.replace(".json", ".csv"))
