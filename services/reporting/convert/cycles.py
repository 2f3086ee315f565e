"""Cycles, obligations, expected reports and reminder digests as protobuf resources and events,
and their resource names."""

from __future__ import annotations

from datetime import date

from nlc.common.v1 import common_pb2
from nlc.registry.v1 import mandates_pb2
from nlc.reporting.v1 import cycles_pb2 as pb
from nlc.reporting.v1 import events_pb2
from services.common.enums import ProtoEnum
from services.common.errors import invalid, quoted
from services.common.resource_names import format_date, make_name, optional_name
from services.common.vocabulary import ReportingPeriodicity
from services.reporting.convert import (
    ACTION_PLANS,
    AWARDS,
    CALLS,
    CYCLES,
    JURISDICTIONS,
    OBLIGATIONS,
    ORGANISATIONS,
    PROGRESS_REPORTS,
)
from services.reporting.domain.compliance import ComplianceStatus
from services.reporting.domain.cycles import Cycle, CycleState, cycle_from_code, cycle_state
from services.reporting.domain.obligations import ExpectedReport, Obligation, ObligationKind
from services.reporting.domain.reminders import Digest, Reminder, ReminderKind

REMINDERS_DIGESTED = "nlc.reporting.reminder.digested"

PERIODICITY = ProtoEnum(
    mandates_pb2.ReportingPeriodicity, "REPORTING_PERIODICITY_", ReportingPeriodicity
)
CYCLE_STATE = ProtoEnum(pb.CycleState, "CYCLE_STATE_", CycleState)
OBLIGATION_KIND = ProtoEnum(pb.ObligationKind, "OBLIGATION_KIND_", ObligationKind)
COMPLIANCE_STATUS = ProtoEnum(pb.ComplianceStatus, "COMPLIANCE_STATUS_", ComplianceStatus)
REMINDER_KIND = ProtoEnum(pb.ReminderKind, "REMINDER_KIND_", ReminderKind)


def cycle_name(code: str) -> str:
    return make_name(CYCLES, code)


def obligation_name(obligation_id: str) -> str:
    return make_name(OBLIGATIONS, obligation_id)


def digest_name(org_id: str, day: date) -> str:
    return f"{make_name(ORGANISATIONS, org_id)}/reminderDigests/{day.isoformat()}"


def parse_cycle_name(name: str, *, field: str) -> str:
    """The code in `reportingCycles/{code}`; INVALID_ARGUMENT naming field when it is none."""
    prefix = f"{CYCLES}/"
    if not name.startswith(prefix):
        raise invalid(field, f"{quoted(name)} is not a {CYCLES} name (e.g. '{CYCLES}/2026-H1')")
    code = name[len(prefix) :]
    try:
        return cycle_from_code(code).code
    except ValueError:
        raise invalid(field, f"{quoted(code)} is not a cycle code such as 2026-H1") from None


def cycle_to_proto(cycle: Cycle, today: date) -> pb.ReportingCycle:
    return pb.ReportingCycle(
        name=cycle_name(cycle.code),
        code=cycle.code,
        periodicity=PERIODICITY.to_proto(cycle.periodicity),
        fiscal_start_month=cycle.fiscal_start_month,
        period=common_pb2.DateRange(
            start_date=format_date(cycle.period_start), end_date=format_date(cycle.period_end)
        ),
        open_date=format_date(cycle.open_on),
        due_date=format_date(cycle.due_on),
        grace_days=cycle.grace_days,
        lock_date=format_date(cycle.lock_on),
        state=CYCLE_STATE.to_proto(cycle_state(cycle, today)),
    )


def obligation_to_proto(o: Obligation) -> pb.ReportingObligation:
    return pb.ReportingObligation(
        name=obligation_name(o.id),
        id=o.id,
        kind=OBLIGATION_KIND.to_proto(o.kind),
        organisation=optional_name(ORGANISATIONS, o.organisation_id),
        jurisdiction=optional_name(JURISDICTIONS, o.jurisdiction_id),
        reviewing_organisation=optional_name(ORGANISATIONS, o.reviewing_org_id),
        action_plan=optional_name(ACTION_PLANS, o.plan_id),
        award=optional_name(AWARDS, o.award_id),
        call=optional_name(CALLS, o.call_id),
        periodicity=PERIODICITY.to_proto(o.periodicity),
        fiscal_start_month=o.fiscal_start_month,
        start_date=format_date(o.start_on),
        end_date=format_date(o.end_on),
        final_evaluation_required=o.final_evaluation_required,
    )


def expected_to_proto(e: ExpectedReport, today: date) -> pb.ExpectedReport:
    return pb.ExpectedReport(
        obligation=obligation_name(e.obligation_id),
        cycle=cycle_name(e.cycle_code),
        organisation=optional_name(ORGANISATIONS, e.organisation_id),
        jurisdiction=optional_name(JURISDICTIONS, e.jurisdiction_id),
        due_date=format_date(e.due_on),
        lock_date=format_date(e.lock_on),
        report=optional_name(PROGRESS_REPORTS, e.report_id),
        status=COMPLIANCE_STATUS.to_proto(e.status(today)),
        kind=OBLIGATION_KIND.to_proto(e.kind),
    )


def reminder_to_proto(r: Reminder) -> pb.Reminder:
    return pb.Reminder(
        obligation=obligation_name(r.obligation_id),
        cycle=cycle_name(r.cycle_code),
        due_date=format_date(r.due_on),
        kind=REMINDER_KIND.to_proto(r.kind),
        days_to_due=r.days_to_due,
    )


def digest_to_proto(d: Digest) -> pb.ReminderDigest:
    return pb.ReminderDigest(
        name=digest_name(d.organisation_id, d.day),
        organisation=optional_name(ORGANISATIONS, d.organisation_id),
        day=format_date(d.day),
        reminders=[reminder_to_proto(r) for r in d.reminders],
    )


def reminders_digested(d: Digest) -> events_pb2.RemindersDigested:
    """Event for nlc.reporting.reminder.digested."""
    return events_pb2.RemindersDigested(digest=digest_to_proto(d))
