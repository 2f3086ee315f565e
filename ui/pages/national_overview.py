"""National overview: which places reported in which cycle, as a compliance matrix heatmap."""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from nlc.registry.v1 import jurisdictions_pb2
from nlc.reporting.v1 import cycles_pb2, national_pb2
from ui.client import PAGE_SIZE, UiError, call, services, show_error
from ui.display import data_table, words
from ui.formatting import empty_state, org_label
from ui.paging import show_cut

CYCLE_PREFIX = "reportingCycles/"
CELL_PX = 34
LABEL_PX = 260
# Legend order and colours: done, waiting for review, needing work, not due yet.
COLOURS = {
    cycles_pb2.COMPLIANCE_STATUS_ACCEPTED: "#1a9850",
    cycles_pb2.COMPLIANCE_STATUS_SUBMITTED: "#4575b4",
    cycles_pb2.COMPLIANCE_STATUS_RETURNED: "#fdae61",
    cycles_pb2.COMPLIANCE_STATUS_LATE: "#f46d43",
    cycles_pb2.COMPLIANCE_STATUS_MISSING: "#a50026",
    cycles_pb2.COMPLIANCE_STATUS_NOT_YET_DUE: "#d9d9d9",
}
KINDS = {
    "All reports": cycles_pb2.OBLIGATION_KIND_UNSPECIFIED,
    "Action plans": cycles_pb2.OBLIGATION_KIND_ACTION_PLAN,
    "Grants": cycles_pb2.OBLIGATION_KIND_GRANT,
}


def status_words(status: int) -> str:
    return words(cycles_pb2.ComplianceStatus, status)


def place_labels(rows: list[national_pb2.ComplianceRow]) -> list[str]:
    """Each row's place name, with its organisation's short id where two rows share a name."""
    names = [row.display_name for row in rows]
    return [
        f"{name} ({org_label(row.organisation)})" if names.count(name) > 1 else name
        for name, row in zip(names, rows, strict=True)
    ]


def heatmap(cells: pd.DataFrame, cycles: list[str]) -> alt.Chart:
    """Place-by-cycle rectangles coloured by status, with the statuses named in the legend."""
    scale = alt.Scale(domain=[status_words(s) for s in COLOURS], range=list(COLOURS.values()))
    return (
        alt.Chart(cells)
        .mark_rect(stroke="white", strokeWidth=2)
        .encode(
            x=alt.X("Cycle:O", sort=cycles, axis=alt.Axis(labelAngle=0, orient="top")),
            y=alt.Y("Place:N", title=None, sort=None, axis=alt.Axis(labelLimit=LABEL_PX)),
            color=alt.Color("Status:N", scale=scale, legend=alt.Legend(orient="bottom")),
            tooltip=["Place", "Cycle", "Status"],
        )
        .properties(height=alt.Step(CELL_PX))
    )


st.title("National overview")
st.caption("Who has reported, cycle by cycle, as the reporting service records it.")
try:
    with st.spinner("Loading countries…"):
        request = jurisdictions_pb2.ListJurisdictionsRequest(
            level=jurisdictions_pb2.JURISDICTION_LEVEL_COUNTRY
        )
        reply = call(services().registry.ListJurisdictions, request)
except UiError as error:
    show_error(error)
    st.stop()
countries = {j.name: j for j in reply.jurisdictions}
if not countries:
    empty_state("The registry holds no country yet.")
    st.stop()

place, kind, last = st.columns([2, 1, 1])
chosen = place.selectbox("Country", countries, format_func=lambda n: countries[n].display_name)
country = countries[chosen]
kind_label = kind.selectbox("Reports on", list(KINDS))
last_cycles = last.number_input("Last cycles", min_value=1, max_value=24, value=6)
try:
    with st.spinner("Loading the compliance matrix…"):
        request = national_pb2.GetComplianceMatrixRequest(
            jurisdiction=country.name,
            last_cycles=int(last_cycles),
            rows=national_pb2.MATRIX_ROWS_PLACES,
            kind=KINDS[kind_label],
            page_size=PAGE_SIZE,
        )
        matrix = call(services().reporting.GetComplianceMatrix, request)
except UiError as error:
    show_error(error)
    st.stop()

cells = pd.DataFrame(
    [
        {
            "Place": label,
            "Cycle": cell.cycle.removeprefix(CYCLE_PREFIX),
            "Status": status_words(cell.status),
        }
        for label, row in zip(place_labels(list(matrix.rows)), matrix.rows, strict=True)
        for cell in row.cells
        if cell.status
    ],
    columns=["Place", "Cycle", "Status"],
)
if cells.empty:
    empty_state(f"No reports are expected in {country.display_name} for these cycles yet.")
    st.stop()

totals = {t.status: t.count for t in matrix.totals}
for column, status in zip(st.columns(len(COLOURS)), COLOURS, strict=True):
    column.metric(status_words(status), totals.get(status, 0))
cycles = [c.removeprefix(CYCLE_PREFIX) for c in matrix.cycles]
st.altair_chart(heatmap(cells, cycles), width="stretch")
st.caption("A blank cell means no report is expected from that place for that cycle.")
show_cut(matrix, "places", "the others are not shown")

st.subheader("Matrix in words")
table = cells.pivot(index="Place", columns="Cycle", values="Status").rename_axis(columns=None)
table = table.reindex(columns=[c for c in cycles if c in table.columns]).reset_index()
data_table(table.fillna("—"), f"compliance-{country.code}.csv")
