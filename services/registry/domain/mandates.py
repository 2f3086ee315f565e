"""A local government's prevention mandate: its terms, who may set it, and version rules."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime
from enum import StrEnum

from services.common.auth import Principal, Role
from services.common.errors import Conflict, FailedPrecondition, ViolationCollector, quoted
from services.common.vocabulary import PreventionLevel, ReportingPeriodicity
from services.registry.domain.organisations import OrganisationKind, is_email


class MandateSource(StrEnum):
    NATIONAL_LEGISLATION = "national_legislation"
    NATIONAL_STRATEGY = "national_strategy"
    COUNCIL_DECISION = "council_decision"
    PUBLIC_SAFETY_MANDATE = "public_safety_mandate"
    CRIME_PREVENTION_MANDATE = "crime_prevention_mandate"
    NONE = "none"


class MandateScope(StrEnum):
    ALL_FORMS = "all_forms"
    SPECIFIC_FORMS = "specific_forms"


class InstitutionalModel(StrEnum):
    SINGLE_LEAD_AGENCY = "single_lead_agency"
    SHARED_ACROSS_AGENCIES = "shared_across_agencies"
    CITY_WIDE_NETWORK = "city_wide_network"
    EXPERT_GROUP = "expert_group"


EDITOR_ROLES = (Role.NATIONAL_ADMIN, Role.PLATFORM_ADMIN)
SHORT_TEXT = 200
LONG_TEXT = 2000
MAX_FORMS = 50


@dataclass(frozen=True)
class FocalPoint:
    """The person a national body or partner contacts about prevention in the city."""

    person_name: str = ""
    role_title: str = ""
    email: str = ""
    phone: str = ""


@dataclass(frozen=True)
class ReportingObligation:
    """Which national body the city reports to, how often, and when its reporting year starts."""

    overseeing_body_id: str | None
    periodicity: ReportingPeriodicity | None
    fiscal_start_month: int = 1


@dataclass(frozen=True)
class MandateTerms:
    """Everything a caller states in one version of a mandate."""

    sources: tuple[MandateSource | None, ...]
    source_reference: str
    scope: MandateScope | None
    specific_forms: tuple[str, ...]
    prevention_levels: tuple[PreventionLevel | None, ...]
    institutional_model: InstitutionalModel | None
    lead_entity: str
    focal_point: FocalPoint
    reporting_obligation: ReportingObligation
    effective_from: date | None
    change_note: str


@dataclass(frozen=True)
class MandateVersion:
    """One recorded version of an organisation's mandate."""

    organisation_id: str
    version: int
    terms: MandateTerms
    created_at: datetime
    created_by: str
    recorded_at: datetime
    recorded_by: str


def _text(c: ViolationCollector, value: str, field: str, limit: int, *, required: bool) -> None:
    if required and not value.strip():
        c.add(field, "is required")
    elif len(value) > limit:
        c.add(field, f"must be at most {limit} characters")


def _enum_list(c: ViolationCollector, values: tuple[object, ...], field: str) -> None:
    if not values:
        c.add(field, "must list at least one value")
    for i, value in enumerate(values):
        if value is None:
            c.add(f"{field}[{i}]", "must be a known value, not UNSPECIFIED")
    if len(set(values)) != len(values):
        c.add(field, "must not repeat a value")


def _check_focal_point(c: ViolationCollector, fp: FocalPoint, field: str) -> None:
    _text(c, fp.person_name, f"{field}.person_name", SHORT_TEXT, required=False)
    _text(c, fp.role_title, f"{field}.role_title", SHORT_TEXT, required=False)
    _text(c, fp.phone, f"{field}.phone", 50, required=False)
    if fp.email and not is_email(fp.email):
        c.add(f"{field}.email", f"{quoted(fp.email)} is not an email address")


def _check_obligation(c: ViolationCollector, ob: ReportingObligation, field: str) -> None:
    if not ob.overseeing_body_id:
        c.add(f"{field}.overseeing_body", "is required (organisations/{id} of a national agency)")
    if ob.periodicity is None:
        c.add(f"{field}.periodicity", "is required")
    if not 0 <= ob.fiscal_start_month <= 12:
        c.add(f"{field}.fiscal_start_month", "must be a month from 1 to 12")


def check_terms(terms: MandateTerms, *, current_version: int, prefix: str = "mandate") -> None:
    """Raise InvalidArgument listing every problem with the terms of a new version."""
    c = ViolationCollector()
    _enum_list(c, terms.sources, f"{prefix}.sources")
    if MandateSource.NONE in terms.sources and len(terms.sources) > 1:
        c.add(f"{prefix}.sources", "NONE must be the only source when given")
    _text(c, terms.source_reference, f"{prefix}.source_reference", LONG_TEXT, required=False)
    if terms.scope is None:
        c.add(f"{prefix}.scope", "is required")
    elif terms.scope is MandateScope.SPECIFIC_FORMS and not terms.specific_forms:
        c.add(f"{prefix}.specific_forms", "must list the forms when scope is SPECIFIC_FORMS")
    elif terms.scope is MandateScope.ALL_FORMS and terms.specific_forms:
        c.add(f"{prefix}.specific_forms", "must be empty when scope is ALL_FORMS")
    if len(terms.specific_forms) > MAX_FORMS:
        c.add(f"{prefix}.specific_forms", f"must list at most {MAX_FORMS} forms")
    for i, form in enumerate(terms.specific_forms[:MAX_FORMS]):
        _text(c, form, f"{prefix}.specific_forms[{i}]", SHORT_TEXT, required=True)
    _enum_list(c, terms.prevention_levels, f"{prefix}.prevention_levels")
    if terms.institutional_model is None:
        c.add(f"{prefix}.institutional_model", "is required")
    _text(c, terms.lead_entity, f"{prefix}.lead_entity", SHORT_TEXT, required=False)
    _check_focal_point(c, terms.focal_point, f"{prefix}.focal_point")
    _check_obligation(c, terms.reporting_obligation, f"{prefix}.reporting_obligation")
    _text(c, terms.change_note, f"{prefix}.change_note", LONG_TEXT, required=current_version >= 1)
    c.raise_invalid("invalid mandate")


def normalised(terms: MandateTerms, *, today: date) -> MandateTerms:
    """The terms as stored: fiscal start month 1 when unset, effective today when no date."""
    ob = terms.reporting_obligation
    month = ob.fiscal_start_month or 1
    obligation = ReportingObligation(ob.overseeing_body_id, ob.periodicity, month)
    return replace(
        terms,
        reporting_obligation=obligation,
        effective_from=terms.effective_from or today,
        change_note=terms.change_note.strip(),
    )


def next_version(current_version: int, expected_version: int) -> int:
    """The number of the new version; Conflict when the caller did not see the current one."""
    if expected_version != current_version:
        raise Conflict(
            f"mandate is at version {current_version}, not {expected_version}; reload and retry"
        )
    return current_version + 1


def require_local_government(kind: OrganisationKind | None) -> None:
    """Only local governments hold a prevention mandate."""
    if kind is not OrganisationKind.LOCAL_GOVERNMENT:
        raise FailedPrecondition("only a local government has a prevention mandate")


def may_set_mandate(actor: Principal, organisation_id: str) -> bool:
    """City officers of the organisation itself, national admins and platform admins."""
    if actor.has_any(*EDITOR_ROLES):
        return True
    return actor.has_any(Role.CITY_OFFICER) and actor.org_id == organisation_id
