"""The indicator inputs of the progress report form: a value (or why there is none) per plan
indicator, with the breakdowns the plan asks for."""

from __future__ import annotations

import streamlit as st

from nlc.registry.v1 import frameworks_pb2
from nlc.reporting.v1 import plans_pb2
from nlc.reporting.v1 import reports_pb2 as pb
from services.reporting.domain.plans import Disaggregation
from services.reporting.domain.reports import CATEGORIES
from ui.display import words
from ui.report_inputs import FIELD, Key, Typed


def dimension_of(value: int) -> Disaggregation:
    """The domain dimension of a Disaggregation enum value."""
    return Disaggregation[frameworks_pb2.Disaggregation.Name(value).removeprefix("DISAGGREGATION_")]


def breakdown_inputs(
    saved: pb.IndicatorActual, dimensions: list[int], key: Key
) -> list[pb.DisaggregatedValue]:
    """One input per category of each dimension the plan asks for; the parts typed."""
    known = {(p.dimension, p.category): p.value for p in saved.breakdown}
    code, parts = saved.indicator_code, []
    for dimension in dimensions:
        name = words(frameworks_pb2.Disaggregation, dimension)
        categories = CATEGORIES[dimension_of(dimension)]
        st.caption(f"{code} by {name.lower()} (the parts add up to the value)")
        for column, category in zip(st.columns(len(categories)), categories, strict=True):
            value = column.number_input(
                f"{code} {name.lower()} {category}",
                value=known.get((dimension, category)),
                key=key(f"{code}-{dimension}-{category}"),
            )
            if value is not None:
                parts.append(
                    pb.DisaggregatedValue(dimension=dimension, category=category, value=value)
                )
    return parts


def indicator_inputs(
    typed: Typed, saved: pb.ProgressReport, plan: plans_pb2.ActionPlan | None, key: Key
) -> None:
    """A value (or why there is none) per plan indicator, with the breakdowns it asks for."""
    asks = {i.code: list(i.disaggregations) for i in plan.indicators} if plan else {}
    for i, x in enumerate(saved.indicators):
        code, path = x.indicator_code, f"{FIELD}.indicators[{i}]"
        st.markdown(
            f"**{code}** · {x.title} · baseline {x.baseline:g}, target {x.target:g} {x.unit}"
        )
        left, right = st.columns([2, 5])
        value = left.number_input(
            f"Value of {code} ({x.unit})",
            value=x.value if x.has_value else None,
            key=key(f"{code}-value"),
        )
        gap = right.text_input(
            f"Why {code} has no value",
            value=x.gap_explanation,
            key=key(f"{code}-gap"),
            help="Only when you leave the value empty.",
        )
        row = pb.IndicatorActual()
        row.CopyFrom(x)
        row.has_value, row.value, row.gap_explanation = value is not None, value or 0.0, gap.strip()
        row.ClearField("breakdown")
        row.breakdown.extend(breakdown_inputs(x, asks.get(code, []), key))
        typed.report.indicators.append(row)
        typed.labels |= {
            f"{path}.value": f"Value of {code}",
            f"{path}.gap_explanation": f"Why {code} has no value",
            f"{path}.breakdown": f"Breakdown of {code}",
            path: f"Indicator {code}",
        }
