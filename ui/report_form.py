"""The progress report form: activities, indicator values with their breakdowns, support
requests and narrative; "Save draft" sends only the sections that changed, under the report's
etag, and "Submit report" saves what is left and hands the report in."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import streamlit as st
from google.protobuf.field_mask_pb2 import FieldMask

from nlc.common.v1 import common_pb2
from nlc.registry.v1 import frameworks_pb2
from nlc.reporting.v1 import plans_pb2
from nlc.reporting.v1 import reports_pb2 as pb
from services.reporting.domain.plans import Disaggregation
from services.reporting.domain.reports import CATEGORIES
from ui.client import UiError, call, services, show_error
from ui.display import amount, choices, fetch, money_of, remember_outcome, renamed, stamp, words
from ui.formatting import major_units, money_format, money_step

FIELD = "progress_report"
SECTIONS = ("activities", "indicators", "narrative", "support_requests")
EDITABLE = (pb.REPORT_STATE_DRAFT, pb.REPORT_STATE_RETURNED)
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


def plan_of(report: pb.ProgressReport) -> plans_pb2.ActionPlan | None:
    """The plan version the report follows; None for reports on a grant."""
    if not report.action_plan:
        return None
    name = f"{report.action_plan}/versions/{report.plan_version}"
    request = plans_pb2.GetActionPlanVersionRequest(name=name)
    return fetch(services().reporting.GetActionPlanVersion, request, "Loading the action plan…")


def budget_currency(plan: plans_pb2.ActionPlan | None, report: pb.ProgressReport) -> str:
    """The currency the plan budgets in (or that earlier amounts used); empty when none."""
    found = [a.budget.currency_code for a in plan.activities] if plan else []
    found += [s.amount.currency_code for s in report.support_requests]
    return next((c for c in found if c), "")


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


def comparable(report: pb.ProgressReport, section: str) -> list[bytes]:
    """A section of report in a form two reports can be compared by."""
    value = getattr(report, section)
    items = [value] if section == "narrative" else list(value)
    return [item.SerializeToString(deterministic=True) for item in items]


def changed_sections(saved: pb.ProgressReport, wanted: pb.ProgressReport) -> list[str]:
    """The sections of wanted that differ from what is saved."""
    return [s for s in SECTIONS if comparable(saved, s) != comparable(wanted, s)]


def update_request(
    saved: pb.ProgressReport, wanted: pb.ProgressReport, sections: list[str]
) -> pb.UpdateProgressReportRequest:
    """An update of the changed sections only, under the saved etag."""
    changes = pb.ProgressReport(name=saved.name, etag=saved.etag)
    for section in sections:
        if section == "narrative":
            changes.narrative.CopyFrom(wanted.narrative)
        else:
            getattr(changes, section).extend(getattr(wanted, section))
    return pb.UpdateProgressReportRequest(
        progress_report=changes, update_mask=FieldMask(paths=sections)
    )


def save(saved: pb.ProgressReport, wanted: pb.ProgressReport) -> pb.ProgressReport:
    """The report with what changed saved (as it was when nothing changed)."""
    sections = changed_sections(saved, wanted)
    if not sections:
        return saved
    request = update_request(saved, wanted, sections)
    return call(services().reporting.UpdateProgressReport, request)


def submit(saved: pb.ProgressReport, wanted: pb.ProgressReport) -> pb.ProgressReport:
    """Save what changed, then submit the report under the new etag."""
    current = save(saved, wanted)
    request = pb.SubmitProgressReportRequest(name=current.name, etag=current.etag)
    return call(services().reporting.SubmitProgressReport, request)


def submitted_text(report: pb.ProgressReport) -> str:
    timing = "on time" if report.on_time else "after the due date"
    return f"Report {report.cycle.rsplit('/', 1)[-1]} submitted {timing}; the reviewer is told."


def show_review(report: pb.ProgressReport) -> None:
    """Why the reviewer returned or reopened the report, with their comments."""
    if report.state == pb.REPORT_STATE_RETURNED and report.return_reason:
        lines = [f"**Returned by the reviewer:** {report.return_reason}"]
        lines += [f"- {c.anchor_code or 'Report'}: {c.text}" for c in report.comments]
        st.warning("\n".join(lines), icon=":material/undo:")
    if report.reopen_reason:
        st.info(
            f"**Reopened by the reviewer:** {report.reopen_reason}", icon=":material/lock_open:"
        )


def show_locked(report: pb.ProgressReport) -> None:
    """A report its writers cannot change now, and why."""
    state = words(pb.ReportState, report.state).lower()
    when = f" on {stamp(report.submit_time)}" if report.submit_time.seconds else ""
    st.info(f"This report is {state}{when}; it cannot be changed now.", icon=":material/lock:")


def report_form(report: pb.ProgressReport) -> None:
    """The form of one report; read-only unless it is a draft or returned."""
    if report.state not in EDITABLE:
        show_locked(report)
        return
    show_review(report)
    plan = plan_of(report)
    currency = budget_currency(plan, report)

    def key(name: str) -> str:
        return f"report-{report.id}-{report.etag}-{name}"

    typed = Typed(pb.ProgressReport(name=report.name))
    with st.form(key("form"), enter_to_submit=False):
        st.subheader("Activities")
        activity_inputs(typed, report, plan, key)
        st.subheader("Indicators")
        indicator_inputs(typed, report, plan, key)
        st.subheader("Support requested from the national level")
        support_inputs(typed, report, currency, key)
        st.subheader("Narrative")
        narrative_inputs(typed, report, key)
        left, right = st.columns(2)
        saving = left.form_submit_button("Save draft", icon=":material/save:")
        submitting = right.form_submit_button(
            "Submit report", type="primary", icon=":material/send:"
        )
    try:
        if saving:
            save(report, typed.report)
            remember_outcome("Draft saved.")
        elif submitting:
            remember_outcome(submitted_text(submit(report, typed.report)))
    except UiError as error:
        show_error(renamed(error, typed.labels))
        return
    if saving or submitting:
        st.rerun()
