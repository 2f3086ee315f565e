"""Registry and grants event payloads as read-model rows (enums as lower-case strings)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from google.protobuf.internal.enum_type_wrapper import EnumTypeWrapper

from nlc.grants.v1 import awards_pb2, calls_pb2
from nlc.registry.v1 import frameworks_pb2, jurisdictions_pb2, mandates_pb2, organisations_pb2
from services.common.vocabulary import VerificationState


def id_of(name: str) -> str | None:
    """The id in `collection/{id}`, None for an empty name."""
    return name.rsplit("/", 1)[-1] if name else None


def _date(value: str) -> date | None:
    return date.fromisoformat(value) if value else None


def _enum(pb_enum: EnumTypeWrapper, number: int, prefix: str) -> str | None:
    """The lower-case stored value of a proto enum number; None for UNSPECIFIED and for numbers
    this build does not know (a newer producer's)."""
    try:
        return pb_enum.Name(number).removeprefix(prefix).lower() if number else None
    except ValueError:
        return None


def periodicity(number: int) -> str | None:
    return _enum(mandates_pb2.ReportingPeriodicity, number, "REPORTING_PERIODICITY_")


def jurisdiction_values(j: jurisdictions_pb2.Jurisdiction) -> dict[str, Any]:
    """Keyword arguments of upsert_jurisdiction (without as_of)."""
    return {
        "unit_id": j.id or id_of(j.name) or "",
        "parent_id": id_of(j.parent),
        "code": j.code[:32],
        "display_name": j.display_name[:200],
        "level": _enum(jurisdictions_pb2.JurisdictionLevel, j.level, "JURISDICTION_LEVEL_"),
        "valid_from": _date(j.valid_from),
        "valid_to": _date(j.valid_to),
    }


def organisation_row(o: organisations_pb2.Organisation, as_of: datetime) -> dict[str, Any]:
    state = _enum(organisations_pb2.VerificationState, o.verification_state, "VERIFICATION_STATE_")
    return {
        "id": o.id or id_of(o.name),
        "display_name": o.display_name[:200],
        "kind": _enum(organisations_pb2.OrganisationKind, o.kind, "ORGANISATION_KIND_"),
        "verification_state": state or VerificationState.PENDING.value,
        "jurisdiction_id": id_of(o.jurisdiction),
        "as_of": as_of,
    }


def mandate_row(m: mandates_pb2.Mandate, as_of: datetime) -> dict[str, Any]:
    duty = m.reporting_obligation
    return {
        "organisation_id": id_of(m.organisation),
        "version": m.version,
        "overseeing_org_id": id_of(duty.overseeing_body),
        "periodicity": periodicity(duty.periodicity),
        "fiscal_start_month": duty.fiscal_start_month if 1 <= duty.fiscal_start_month <= 12 else 1,
        "as_of": as_of,
    }


def _indicator(i: frameworks_pb2.StandardIndicator) -> dict[str, Any]:
    return {
        "code": i.code,
        "title": i.title,
        "pillar_code": i.pillar_code,
        "level": _enum(frameworks_pb2.IndicatorLevel, i.level, "INDICATOR_LEVEL_"),
        "unit": i.unit,
        "direction": _enum(frameworks_pb2.IndicatorDirection, i.direction, "INDICATOR_DIRECTION_"),
        "disaggregations": [
            _enum(frameworks_pb2.Disaggregation, d, "DISAGGREGATION_") for d in i.disaggregations
        ],
    }


def framework_row(f: frameworks_pb2.Framework, as_of: datetime) -> dict[str, Any]:
    return {
        "id": f.id or id_of(f.name),
        "title": f.title[:300],
        "state": _enum(frameworks_pb2.FrameworkState, f.state, "FRAMEWORK_STATE_") or "draft",
        "pillars": [{"code": p.code, "title": p.title} for p in f.pillars],
        "indicators": [_indicator(i) for i in f.indicators],
        "as_of": as_of,
    }


def call_row(c: calls_pb2.Call, as_of: datetime) -> dict[str, Any]:
    return {
        "id": c.id or id_of(c.name),
        "managing_org_id": id_of(c.managing_organisation),
        "title": c.title[:200],
        "as_of": as_of,
    }


def award_row(a: awards_pb2.Award, as_of: datetime) -> dict[str, Any]:
    """The award's row; award_time falls back to as_of when the event has none."""
    funders = dict.fromkeys(id_of(s.funder) for s in a.funder_shares if s.funder)
    return {
        "id": a.id or id_of(a.name),
        "call_id": id_of(a.call),
        "grantee_org_id": id_of(a.grantee_organisation),
        "funder_org_ids": list(funders),
        "periodicity": periodicity(a.reporting_duty.periodicity),
        "final_evaluation_required": a.reporting_duty.final_evaluation_required,
        "award_time": a.award_time.ToDatetime(tzinfo=UTC) if a.HasField("award_time") else as_of,
        "as_of": as_of,
    }
