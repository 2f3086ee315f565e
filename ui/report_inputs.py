"""The inputs of the progress report form: each activity's status, spend and note, the support
requested and the narrative, gathered into the report the form sends."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import streamlit as st

from nlc.common.v1 import common_pb2
from nlc.reporting.v1 import plans_pb2
from nlc.reporting.v1 import reports_pb2 as pb
from ui.display import amount, choices, money_of
from ui.formatting import major_units, money_format, money_step

FIELD = "progress_report"
NARRATIVE = {
    "achievements": "Achievements",
    "challenges": "Challenges",
    "lessons": "Lessons learned",
}
NOT_SET = "Not set"
STATUSES = {NOT_SET: 0, **choices(pb.ActivityStatus)}
KINDS = {NOT_SET: 0, **choices(pb.SupportKind)}

Key = Callable[[str], str]


@dataclass
class Typed:
    """The report as the form holds it, and the form's label of each field path it sends."""

    report: pb.ProgressReport
    labels: dict[str, str] = field(default_factory=dict)


def major(value: common_pb2.Money | None) -> float | None:
    """A saved amount in major units for an amount input; None when unset."""
    if value is None or not value.currency_code:
        return None
    return major_units(value.minor_units, value.currency_code)


def amount_input(label: str, currency: str, saved: common_pb2.Money | None, key: str) -> float:
    """An amount typed in major units of currency, starting from saved."""
    return st.number_input(
        f"{label} ({currency})",
        min_value=0.0,
        value=major(saved),
        step=money_step(currency),
        format=money_format(currency),
        key=key,
    )


def index_of(options: dict[str, int], value: int) -> int:
    return list(options.values()).index(value) if value in options.values() else 0


def activity_inputs(
    typed: Typed, saved: pb.ProgressReport, plan: plans_pb2.ActionPlan | None, key: Key
) -> None:
    """Status, spend and a note per plan activity."""
    budgets = {a.code: a.budget for a in plan.activities} if plan else {}
    for i, a in enumerate(saved.activities):
        code, path = a.activity_code, f"{FIELD}.activities[{i}]"
        budget = budgets.get(code)
        currency = a.spend.currency_code or (budget.currency_code if budget else "")
        st.markdown(f"**{code}** · {a.title} · budget {amount(budget) if budget else '—'}")
        left, middle, right = st.columns([2, 2, 3])
        status = left.selectbox(
            f"Status of {code}",
            list(STATUSES),
            index=index_of(STATUSES, a.status),
            key=key(f"{code}-status"),
        )
        row = pb.ActivityProgress(activity_code=code, title=a.title, status=STATUSES[status])
        if currency:
            with middle:
                spent = amount_input(
                    f"Spend on {code}", currency, a.spend if a.HasField("spend") else None,
                    key(f"{code}-spend"),
                )  # fmt: skip
            if spent is not None:
                row.spend.CopyFrom(money_of(spent, currency))
        row.note = right.text_input(f"Note on {code}", value=a.note, key=key(f"{code}-note"))
        typed.report.activities.append(row)
        typed.labels |= {
            f"{path}.status": f"Status of {code}",
            f"{path}.spend.minor_units": f"Spend on {code}",
            f"{path}.spend": f"Spend on {code}",
            f"{path}.note": f"Note on {code}",
            path: f"Activity {code}",
        }


def narrative_inputs(typed: Typed, saved: pb.ProgressReport, key: Key) -> None:
    """What the period achieved, what got in the way, and what was learned."""
    for name, label in NARRATIVE.items():
        text = st.text_area(label, value=getattr(saved.narrative, name), key=key(name))
        setattr(typed.report.narrative, name, text.strip())
        typed.labels[f"{FIELD}.narrative.{name}"] = label


def request_inputs(
    saved: pb.SupportRequest, label: str, currency: str, key: Key
) -> pb.SupportRequest:
    """Kind, description and (for funding) amount of one support request, labelled label."""
    left, middle, right = st.columns([2, 5, 2])
    kind = left.selectbox(
        f"Kind of {label.lower()}", list(KINDS), index=index_of(KINDS, saved.kind), key=key("kind")
    )
    text = middle.text_input(label, value=saved.description, key=key("text"))
    asked = pb.SupportRequest(id=saved.id, kind=KINDS[kind], description=text.strip())
    if currency:
        with right:
            typed_amount = amount_input(
                f"Amount of {label.lower()}",
                currency,
                saved.amount if saved.HasField("amount") else None,
                key("amount"),
            )
        if typed_amount is not None:
            asked.amount.CopyFrom(money_of(typed_amount, currency))
    return asked


def support_inputs(typed: Typed, saved: pb.ProgressReport, currency: str, key: Key) -> None:
    """The saved requests (each can be removed) and one new request."""
    kept: list[tuple[pb.SupportRequest, str]] = []
    for n, s in enumerate(saved.support_requests, start=1):
        label = f"Request {n}"
        asked = request_inputs(s, label, currency, lambda name, n=n: key(f"ask{n}-{name}"))
        if not st.checkbox(f"Remove request {n}", key=key(f"ask{n}-remove")):
            kept.append((asked, label))
    st.markdown("**New request**")
    new = request_inputs(
        pb.SupportRequest(), "New request", currency, lambda name: key(f"new-{name}")
    )
    if new.kind or new.description or new.HasField("amount"):
        kept.append((new, "New request"))
    for i, (asked, label) in enumerate(kept):
        path = f"{FIELD}.support_requests[{i}]"
        typed.report.support_requests.append(asked)
        typed.labels |= {
            f"{path}.kind": f"Kind of {label.lower()}",
            f"{path}.description": label,
            f"{path}.amount.minor_units": f"Amount of {label.lower()}",
            f"{path}.amount": f"Amount of {label.lower()}",
            path: label,
        }
