"""Action plans between protobuf and domain: resources, versions, transitions, diffs, events."""

from __future__ import annotations

import re

from nlc.common.v1 import common_pb2
from nlc.registry.v1 import frameworks_pb2, mandates_pb2
from nlc.reporting.v1 import events_pb2
from nlc.reporting.v1 import plans_pb2 as pb
from services.common.enums import ProtoEnum
from services.common.errors import invalid, quoted
from services.common.field_parser import FieldParser
from services.common.proto_values import audit_info, money_from_proto, money_to_proto
from services.common.resource_names import (
    format_date,
    make_name,
    optional_name,
    parse_date,
    parse_name,
    parse_optional_name,
    to_timestamp,
)
from services.common.vocabulary import PreventionLevel
from services.reporting.convert import ACTION_PLANS, FRAMEWORKS, JURISDICTIONS, ORGANISATIONS
from services.reporting.convert.comments import comments_to_proto
from services.reporting.domain.plan_diff import Change, ChangeKind
from services.reporting.domain.plan_workflow import Transition
from services.reporting.domain.plans import (
    Activity,
    Aggregation,
    Direction,
    Disaggregation,
    Indicator,
    IndicatorLevel,
    PlanContent,
    PlanState,
    Target,
    TheoryOfChange,
)
from services.reporting.queries.plans import DiffView, PlanView

COLLECTION = ACTION_PLANS
VERSION_NUMBER = re.compile(r"[0-9]{1,7}")
FIELD = "action_plan"

PLAN_STATE = ProtoEnum(pb.PlanState, "PLAN_STATE_", PlanState)
AGGREGATION = ProtoEnum(pb.Aggregation, "AGGREGATION_", Aggregation)
CHANGE_KIND = ProtoEnum(pb.ChangeKind, "CHANGE_KIND_", ChangeKind)
LEVEL = ProtoEnum(frameworks_pb2.IndicatorLevel, "INDICATOR_LEVEL_", IndicatorLevel)
DIRECTION = ProtoEnum(frameworks_pb2.IndicatorDirection, "INDICATOR_DIRECTION_", Direction)
DISAGGREGATION = ProtoEnum(frameworks_pb2.Disaggregation, "DISAGGREGATION_", Disaggregation)
PREVENTION = ProtoEnum(mandates_pb2.PreventionLevel, "PREVENTION_LEVEL_", PreventionLevel)


def plan_name(plan_id: str) -> str:
    return make_name(COLLECTION, plan_id)


def version_name(plan_id: str, number: int) -> str:
    return f"{plan_name(plan_id)}/versions/{number}"


def parse_version_name(name: str, *, field: str = "name") -> tuple[str, int]:
    """The plan id and version number in `actionPlans/{id}/versions/{n}`."""
    head, sep, number = name.rpartition("/versions/")
    if not sep:
        expected = "expected 'actionPlans/{id}/versions/{n}'"
        raise invalid(field, f"{quoted(name)} is not an action plan version name ({expected})")
    plan_id = parse_name(head, COLLECTION, field=field)
    if not VERSION_NUMBER.fullmatch(number) or not 1 <= int(number) <= 1_000_000:
        raise invalid(field, f"{quoted(number)} is not a version number (1, 2, ...)")
    return plan_id, int(number)


# From the API ------------------------------------------------------------------------------


def _activity(parse: FieldParser, a: pb.PlanActivity, path: str) -> Activity:
    lead_field = f"{path}.lead_organisation"
    lead = parse(parse_optional_name, a.lead_organisation, ORGANISATIONS, field=lead_field)
    partners = [
        parse(parse_name, p, ORGANISATIONS, field=f"{path}.partner_organisations[{i}]")
        for i, p in enumerate(a.partner_organisations)
    ]
    return Activity(
        code=a.code.strip(),
        title=a.title.strip(),
        pillar_code=a.pillar_code.strip(),
        lead_org_id=lead,
        partner_org_ids=tuple(p for p in partners if p),
        start=parse(parse_date, a.start_date, field=f"{path}.start_date", required=False),
        end=parse(parse_date, a.end_date, field=f"{path}.end_date", required=False),
        budget=parse(money_from_proto, a.budget, field=f"{path}.budget")
        if a.HasField("budget")
        else None,
        prevention_level=parse(
            PREVENTION.from_proto, a.prevention_level, field=f"{path}.prevention_level"
        ),
    )


def _disaggregations(parse: FieldParser, x: pb.PlanIndicator, path: str) -> tuple:
    found = []
    for i, number in enumerate(x.disaggregations):
        value = parse(DISAGGREGATION.from_proto, number, field=f"{path}.disaggregations[{i}]")
        if value is None and number == 0:
            parse.add(f"{path}.disaggregations[{i}]", "choose sex or age group")
        if value is not None:
            found.append(value)
    return tuple(found)


def _indicator(parse: FieldParser, x: pb.PlanIndicator, path: str) -> Indicator:
    return Indicator(
        code=x.code.strip(),
        title=x.title.strip(),
        standard_code=x.standard_indicator.strip(),
        level=parse(LEVEL.from_proto, x.level, field=f"{path}.level"),
        unit=x.unit.strip(),
        baseline=x.baseline,
        baseline_date=parse(
            parse_date, x.baseline_date, field=f"{path}.baseline_date", required=False
        ),
        targets=tuple(Target(t.cycle.strip(), t.value) for t in x.targets),
        direction=parse(DIRECTION.from_proto, x.direction, field=f"{path}.direction"),
        disaggregations=_disaggregations(parse, x, path),
        data_source=x.data_source.strip(),
        aggregation=parse(AGGREGATION.from_proto, x.aggregation, field=f"{path}.aggregation")
        or Aggregation.SUM,
        activity_code=x.activity_code.strip(),
    )


def content_from_proto(parse: FieldParser, p: pb.ActionPlan) -> PlanContent:
    """PlanContent of a request's action_plan (shape rules run later, with the read model)."""
    toc = p.theory_of_change
    return PlanContent(
        title=p.title.strip(),
        framework_id=parse(
            parse_optional_name, p.framework, FRAMEWORKS, field=f"{FIELD}.framework"
        ),
        period_start=parse(
            parse_date, p.period.start_date, field=f"{FIELD}.period.start_date", required=False
        ),
        period_end=parse(
            parse_date, p.period.end_date, field=f"{FIELD}.period.end_date", required=False
        ),
        theory_of_change=TheoryOfChange(
            goal=toc.goal.strip(),
            outcomes=tuple(s.strip() for s in toc.outcomes),
            outputs=tuple(s.strip() for s in toc.outputs),
            assumptions=tuple(s.strip() for s in toc.assumptions),
        ),
        activities=tuple(
            _activity(parse, a, f"{FIELD}.activities[{i}]") for i, a in enumerate(p.activities)
        ),
        indicators=tuple(
            _indicator(parse, x, f"{FIELD}.indicators[{i}]") for i, x in enumerate(p.indicators)
        ),
    )


# To the API --------------------------------------------------------------------------------


def _activity_to_proto(a: Activity) -> pb.PlanActivity:
    return pb.PlanActivity(
        code=a.code,
        title=a.title,
        pillar_code=a.pillar_code,
        lead_organisation=optional_name(ORGANISATIONS, a.lead_org_id),
        partner_organisations=[make_name(ORGANISATIONS, o) for o in a.partner_org_ids],
        start_date=format_date(a.start),
        end_date=format_date(a.end),
        budget=money_to_proto(a.budget),
        prevention_level=PREVENTION.to_proto(a.prevention_level),
    )


def _indicator_to_proto(x: Indicator) -> pb.PlanIndicator:
    return pb.PlanIndicator(
        code=x.code,
        title=x.title,
        standard_indicator=x.standard_code,
        level=LEVEL.to_proto(x.level),
        unit=x.unit,
        baseline=x.baseline,
        baseline_date=format_date(x.baseline_date),
        targets=[pb.IndicatorTarget(cycle=t.cycle, value=t.value) for t in x.targets],
        direction=DIRECTION.to_proto(x.direction),
        disaggregations=[DISAGGREGATION.to_proto(d) for d in x.disaggregations],
        data_source=x.data_source,
        aggregation=AGGREGATION.to_proto(x.aggregation),
        activity_code=x.activity_code,
    )


def plan_to_proto(view: PlanView) -> pb.ActionPlan:
    """The plan as its shown version says (the current one, or a frozen one)."""
    plan, version, c = view.plan, view.version, view.version.content
    toc = c.theory_of_change
    return pb.ActionPlan(
        name=plan_name(plan.id),
        id=plan.id,
        owner_organisation=make_name(ORGANISATIONS, plan.owner_org_id),
        jurisdiction=make_name(JURISDICTIONS, plan.jurisdiction_id),
        framework=optional_name(FRAMEWORKS, c.framework_id),
        title=c.title,
        period=common_pb2.DateRange(
            start_date=format_date(c.period_start), end_date=format_date(c.period_end)
        ),
        theory_of_change=pb.TheoryOfChange(
            goal=toc.goal,
            outcomes=toc.outcomes,
            outputs=toc.outputs,
            assumptions=toc.assumptions,
        ),
        activities=[_activity_to_proto(a) for a in c.activities],
        indicators=[_indicator_to_proto(x) for x in c.indicators],
        version=version.number,
        state=PLAN_STATE.to_proto(version.state),
        approved_version=plan.approved_version,
        reviewing_organisation=optional_name(ORGANISATIONS, plan.reviewing_org_id),
        submit_time=to_timestamp(version.submitted_at),
        approve_time=to_timestamp(version.approved_at),
        audit=audit_info(view.stamps),
        etag=view.etag,
    )


def transition_to_proto(t: Transition) -> pb.PlanTransition:
    return pb.PlanTransition(
        version=t.version_number,
        from_state=PLAN_STATE.to_proto(t.from_state),
        to_state=PLAN_STATE.to_proto(t.to_state),
        actor_sub=t.actor_sub,
        actor_username=t.actor_username,
        actor_organisation=optional_name(ORGANISATIONS, t.actor_org_id),
        time=to_timestamp(t.at),
        reason=t.reason,
        comments=comments_to_proto(t.comments),
    )


def _change_to_proto(c: Change) -> pb.PlanChange:
    return pb.PlanChange(
        path=c.path, kind=CHANGE_KIND.to_proto(c.kind), before=c.before, after=c.after
    )


def diff_to_proto(view: DiffView) -> pb.DiffActionPlanVersionsResponse:
    return pb.DiffActionPlanVersionsResponse(
        from_version=view.from_version,
        to_version=view.to_version,
        changes=[_change_to_proto(c) for c in view.changes],
    )


def plan_changed(view: PlanView, transition: Transition) -> events_pb2.PlanChanged:
    """Event for nlc.reporting.plan.<submitted|changes_requested|approved>."""
    return events_pb2.PlanChanged(
        action_plan=plan_to_proto(view), transition=transition_to_proto(transition)
    )
