"""A call's terms as a manager types them (amounts in major units, shares in percent), turned
into the Call the grants service takes; a draft's edit sends only what changed, under the etag
it was read with."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import pandas as pd
from google.protobuf.field_mask_pb2 import FieldMask

from nlc.grants.v1 import calls_pb2 as pb
from nlc.registry.v1 import mandates_pb2, organisations_pb2
from ui.cells import text
from ui.display import choices, money_of, words
from ui.formatting import BPS_PER_PERCENT, major_units

# What the form edits (UpdateCall's mask paths), in the order the form shows them.
FIELDS = (
    "title", "description", "currency_code", "funders", "min_award", "max_award",
    "eligibility", "match_rule", "min_monitoring_evaluation_bps", "criteria",
    "reviews_per_application", "opens_at", "closes_at", "decision_date", "reporting_duty",
    "tranche_plan",
)  # fmt: skip
# Fields whose problems the form shows under them, with what a list item is called.
AT_FIELDS = dict.fromkeys(FIELDS, "Item") | {
    "funders": "Co-funder",
    "criteria": "Criterion",
    "tranche_plan": "Tranche",
}
PREFIX = "call."
KINDS = choices(organisations_pb2.OrganisationKind)
LEVELS = choices(mandates_pb2.PreventionLevel)
MATCH_KINDS = choices(pb.MatchKind)
PERIODICITIES = choices(mandates_pb2.ReportingPeriodicity)
TRIGGERS = choices(pb.TrancheTrigger)
CRITERION_COLUMNS = ("Code", "Title", "Guidance", "Weight", "Max score")
TRANCHE_COLUMNS = ("Code", "Share (%)", "Trigger")
CLOSING_TIME = time(23, 59, 59)
NEW_CALL_WEEKS_OPEN = 4
NEW_CALL_WEEKS_TO_DECIDE = 6
NEW_FORM_KEY = "nlc_new_call_form"


@dataclass
class TypedCall:
    """The form's values as typed: amounts in major units, shares in percent, dates in UTC."""

    title: str = ""
    description: str = ""
    currency: str = "EUR"
    pledges: dict[str, float] = field(default_factory=dict)
    min_award: float = 0.0
    max_award: float = 0.0
    applicant_kinds: list[int] = field(default_factory=list)
    must_be_verified: bool = True
    prevention_levels: list[int] = field(default_factory=list)
    min_match_percent: float = 0.0
    match_kinds: list[int] = field(default_factory=list)
    in_kind_cap_percent: float = 0.0
    min_monitoring_percent: float = 0.0
    criteria: list[dict[str, Any]] = field(default_factory=list)
    reviews_per_application: int = 1
    opens_on: date | None = None
    closes_on: date | None = None
    decision_by: date | None = None
    periodicity: int | None = None
    final_evaluation_required: bool = False
    tranches: list[dict[str, Any]] = field(default_factory=list)


def whole(value: Any) -> int:
    """A table cell as a whole number: 0 for a missing one."""
    return 0 if value is None or (isinstance(value, float) and math.isnan(value)) else int(value)


def bps(percent: Any) -> int:
    """A percentage as typed in basis points: 12.5 -> 1250; 0 for a missing one."""
    return 0 if percent is None or pd.isna(percent) else round(float(percent) * BPS_PER_PERCENT)


def day(stamp: Any) -> date:
    """The UTC date of a protobuf timestamp."""
    return stamp.ToDatetime(tzinfo=UTC).date()


def new_call() -> TypedCall:
    """A new call's starting values: open from today, one criterion, paid in full at signing."""
    today = datetime.now(UTC).date()
    return TypedCall(
        opens_on=today,
        closes_on=today + timedelta(weeks=NEW_CALL_WEEKS_OPEN),
        decision_by=today + timedelta(weeks=NEW_CALL_WEEKS_TO_DECIDE),
        criteria=[dict(zip(CRITERION_COLUMNS, ("impact", "Impact", "", 1, 5), strict=True))],
        tranches=[dict(zip(TRANCHE_COLUMNS, ("signing", 100.0, "On signing"), strict=True))],
    )


def criterion_row(x: pb.Criterion) -> dict[str, Any]:
    values = (x.code, x.title, x.guidance, x.weight, x.max_score)
    return dict(zip(CRITERION_COLUMNS, values, strict=True))


def tranche_row(p: pb.PlannedTranche) -> dict[str, Any]:
    trigger = words(pb.TrancheTrigger, p.trigger) if p.trigger else None
    return dict(zip(TRANCHE_COLUMNS, (p.code, p.share_bps / BPS_PER_PERCENT, trigger), strict=True))


def typed_from(c: pb.Call) -> TypedCall:
    """What the form shows for a saved call."""
    e, m, currency = c.eligibility, c.match_rule, c.currency_code
    return TypedCall(
        title=c.title,
        description=c.description,
        currency=currency,
        pledges={f.organisation: major_units(f.pledge.minor_units, currency) for f in c.funders},
        min_award=major_units(c.min_award.minor_units, currency),
        max_award=major_units(c.max_award.minor_units, currency),
        applicant_kinds=list(e.applicant_kinds),
        must_be_verified=e.must_be_verified,
        prevention_levels=list(e.prevention_levels),
        min_match_percent=m.min_match_bps / BPS_PER_PERCENT,
        match_kinds=list(m.allowed_kinds),
        in_kind_cap_percent=m.in_kind_cap_bps / BPS_PER_PERCENT,
        min_monitoring_percent=c.min_monitoring_evaluation_bps / BPS_PER_PERCENT,
        criteria=[criterion_row(x) for x in c.criteria],
        reviews_per_application=c.reviews_per_application,
        opens_on=day(c.opens_at) if c.HasField("opens_at") else None,
        closes_on=day(c.closes_at) if c.HasField("closes_at") else None,
        decision_by=date.fromisoformat(c.decision_date) if c.decision_date else None,
        periodicity=c.reporting_duty.periodicity or None,
        final_evaluation_required=c.reporting_duty.final_evaluation_required,
        tranches=[tranche_row(p) for p in c.tranche_plan],
    )


def call_from(typed: TypedCall) -> pb.Call:
    """The Call the typed values describe: amounts in minor units, shares in basis points."""
    currency = typed.currency.strip().upper()
    c = pb.Call(
        title=typed.title.strip(),
        description=typed.description,
        currency_code=currency,
        funders=[
            pb.CallFunder(organisation=org, pledge=money_of(pledge, currency))
            for org, pledge in typed.pledges.items()
        ],
        min_award=money_of(typed.min_award, currency),
        max_award=money_of(typed.max_award, currency),
        eligibility=pb.Eligibility(
            applicant_kinds=typed.applicant_kinds,
            must_be_verified=typed.must_be_verified,
            prevention_levels=typed.prevention_levels,
        ),
        match_rule=pb.MatchRule(
            min_match_bps=bps(typed.min_match_percent),
            allowed_kinds=typed.match_kinds,
            in_kind_cap_bps=bps(typed.in_kind_cap_percent),
        ),
        min_monitoring_evaluation_bps=bps(typed.min_monitoring_percent),
        criteria=[
            pb.Criterion(
                code=text(row["Code"]).strip(),
                title=text(row["Title"]),
                guidance=text(row["Guidance"]),
                weight=whole(row["Weight"]),
                max_score=whole(row["Max score"]),
            )
            for row in typed.criteria
        ],
        reviews_per_application=typed.reviews_per_application,
        decision_date=typed.decision_by.isoformat() if typed.decision_by else "",
        reporting_duty=pb.ReportingDuty(
            periodicity=typed.periodicity or 0,
            final_evaluation_required=typed.final_evaluation_required,
        ),
        tranche_plan=[
            pb.PlannedTranche(
                code=text(row["Code"]).strip(),
                share_bps=bps(row["Share (%)"]),
                trigger=TRIGGERS.get(text(row["Trigger"]), 0),
            )
            for row in typed.tranches
        ],
    )
    if typed.opens_on:
        c.opens_at.FromDatetime(datetime.combine(typed.opens_on, time.min, UTC))
    if typed.closes_on:
        c.closes_at.FromDatetime(datetime.combine(typed.closes_on, CLOSING_TIME, UTC))
    return c


def date_problems(typed: TypedCall) -> dict[str, str]:
    """The dates' order, which the service checks only when the call opens."""
    problems = {}
    opens, closes, decision = typed.opens_on, typed.closes_on, typed.decision_by
    if opens and closes and closes <= opens:
        problems[f"{PREFIX}closes_at"] = "the closing date must be after the opening date"
    if closes and decision and decision < closes:
        problems[f"{PREFIX}decision_date"] = "decisions cannot come before the call closes"
    return problems


def comparable(c: pb.Call, path: str) -> Any:
    """The value of path in c, as two calls are compared by (opening and closing by date)."""
    value = getattr(c, path)
    if path in ("opens_at", "closes_at"):
        return day(value) if c.HasField(path) else None
    descriptor = pb.Call.DESCRIPTOR.fields_by_name[path]
    if descriptor.message_type is None:
        return list(value) if descriptor.is_repeated else value
    if descriptor.is_repeated:
        return [item.SerializeToString(deterministic=True) for item in value]
    return value.SerializeToString(deterministic=True) if c.HasField(path) else None


def changed_paths(saved: pb.Call, wanted: pb.Call) -> list[str]:
    """The fields of wanted that differ from what was saved."""
    return [p for p in FIELDS if comparable(saved, p) != comparable(wanted, p)]


def save_request(saved: pb.Call | None, wanted: pb.Call) -> Any:
    """CreateCall's request for a new call; UpdateCall's with the changed fields under saved's
    etag for a draft; None when nothing changed."""
    if saved is None:
        return pb.CreateCallRequest(call=wanted)
    paths = changed_paths(saved, wanted)
    if not paths:
        return None
    wanted.name, wanted.etag = saved.name, saved.etag
    return pb.UpdateCallRequest(call=wanted, update_mask=FieldMask(paths=paths))
