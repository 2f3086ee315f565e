"""A call's pool as managers and funders see it: each pledge split into what is paid, what is
committed but not yet paid, and what is left."""

from __future__ import annotations

import altair as alt
import pandas as pd

from nlc.common.v1 import common_pb2
from nlc.grants.v1 import awards_pb2
from ui.display import amount
from ui.formatting import major_units

# The three parts add up to the pledge (the service keeps disbursed within committed).
PARTS = {"Paid": "#1a9850", "Committed, not yet paid": "#4575b4", "Available": "#a6d96a"}


def major(value: common_pb2.Money) -> float:
    """An amount in whole currency units, for charts."""
    return major_units(value.minor_units, value.currency_code)


def figures(f: awards_pb2.FunderLedger) -> dict[str, str]:
    """One ledger line in words."""
    return {
        "Pledged": amount(f.pledged),
        "Committed": amount(f.committed),
        "Paid": amount(f.disbursed),
        "Available": amount(f.available),
    }


def parts(label: str, f: awards_pb2.FunderLedger) -> list[dict[str, object]]:
    """One ledger line as the chart's three bar segments."""
    committed_unpaid = major(f.committed) - major(f.disbursed)
    values = (major(f.disbursed), committed_unpaid, major(f.available))
    return [
        {"Bar": label, "Part": part, "Amount": value}
        for part, value in zip(PARTS, values, strict=True)
    ]


def pledge_chart(lines: list[tuple[str, awards_pb2.FunderLedger]], currency: str) -> alt.Chart:
    """One bar per (label, ledger line), split into paid, committed and available."""
    frame = pd.DataFrame([row for label, f in lines for row in parts(label, f)])
    scale = alt.Scale(domain=list(PARTS), range=list(PARTS.values()))
    return (
        alt.Chart(frame)
        .mark_bar()
        .encode(
            x=alt.X("sum(Amount):Q", title=f"Pledge ({currency})"),
            y=alt.Y("Bar:N", title=None),
            color=alt.Color("Part:N", scale=scale, sort=list(PARTS), title=None),
            order=alt.Order("Part:N", sort="descending"),
            tooltip=["Bar", "Part", alt.Tooltip("Amount:Q", format=",.2f")],
        )
    )
