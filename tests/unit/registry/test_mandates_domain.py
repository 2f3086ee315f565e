"""Mandate rules: what a valid version looks like, who may set it, and version numbering."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from services.common.auth import Principal, Role
from services.common.errors import Conflict, FailedPrecondition, InvalidArgument
from services.registry.domain.mandates import (
    FocalPoint,
    InstitutionalModel,
    MandateScope,
    MandateSource,
    MandateTerms,
    PreventionLevel,
    ReportingObligation,
    ReportingPeriodicity,
    check_terms,
    may_set_mandate,
    next_version,
    normalised,
    require_local_government,
)
from services.registry.domain.organisations import OrganisationKind

CITY = "0b1c7a52-0000-4000-8000-000000000002"
NATIONAL = "0b1c7a52-0000-4000-8000-000000000001"


def terms(**changes: object) -> MandateTerms:
    base = MandateTerms(
        sources=(MandateSource.COUNCIL_DECISION,),
        source_reference="Council decision 2025/14",
        scope=MandateScope.ALL_FORMS,
        specific_forms=(),
        prevention_levels=(PreventionLevel.PRIMARY, PreventionLevel.SECONDARY),
        institutional_model=InstitutionalModel.CITY_WIDE_NETWORK,
        lead_entity="Office of the Mayor",
        focal_point=FocalPoint("Mira Holm", "Prevention coordinator", "mira@riverton.example"),
        reporting_obligation=ReportingObligation(NATIONAL, ReportingPeriodicity.SEMIANNUAL, 0),
        effective_from=None,
        change_note="",
    )
    return replace(base, **changes)


def fields(exc: pytest.ExceptionInfo[InvalidArgument]) -> set[str]:
    return {v.field for v in exc.value.violations}


def test_a_complete_first_version_is_valid() -> None:
    check_terms(terms(), current_version=0)


def test_none_must_be_the_only_source() -> None:
    with pytest.raises(InvalidArgument) as exc:
        check_terms(
            terms(sources=(MandateSource.NONE, MandateSource.COUNCIL_DECISION)), current_version=0
        )
    assert fields(exc) == {"mandate.sources"}


def test_sources_and_levels_must_be_given_and_distinct() -> None:
    with pytest.raises(InvalidArgument) as exc:
        check_terms(
            terms(sources=(), prevention_levels=(PreventionLevel.PRIMARY, PreventionLevel.PRIMARY)),
            current_version=0,
        )
    assert fields(exc) == {"mandate.sources", "mandate.prevention_levels"}


def test_scope_decides_whether_specific_forms_are_listed() -> None:
    with pytest.raises(InvalidArgument) as exc:
        check_terms(terms(scope=MandateScope.SPECIFIC_FORMS), current_version=0)
    assert fields(exc) == {"mandate.specific_forms"}
    with pytest.raises(InvalidArgument) as exc:
        check_terms(terms(specific_forms=("far-right extremism",)), current_version=0)
    assert fields(exc) == {"mandate.specific_forms"}
    check_terms(
        terms(scope=MandateScope.SPECIFIC_FORMS, specific_forms=("hate crime",)), current_version=0
    )


def test_every_problem_is_reported_with_its_field() -> None:
    bad = terms(
        sources=(None,),
        scope=None,
        institutional_model=None,
        focal_point=FocalPoint("Mira", email="not-an-email"),
        reporting_obligation=ReportingObligation(None, None, 13),
    )
    with pytest.raises(InvalidArgument) as exc:
        check_terms(bad, current_version=0)
    assert fields(exc) == {
        "mandate.sources[0]",
        "mandate.scope",
        "mandate.institutional_model",
        "mandate.focal_point.email",
        "mandate.reporting_obligation.overseeing_body",
        "mandate.reporting_obligation.periodicity",
        "mandate.reporting_obligation.fiscal_start_month",
    }


def test_a_change_note_is_required_after_the_first_version() -> None:
    with pytest.raises(InvalidArgument) as exc:
        check_terms(terms(change_note="  "), current_version=1)
    assert fields(exc) == {"mandate.change_note"}


def test_normalised_fills_fiscal_month_and_effective_date() -> None:
    stored = normalised(terms(), today=date(2026, 11, 22))
    assert stored.reporting_obligation.fiscal_start_month == 1
    assert stored.effective_from == date(2026, 11, 22)


def test_a_stale_expected_version_is_a_conflict() -> None:
    assert next_version(0, 0) == 1
    assert next_version(3, 3) == 4
    with pytest.raises(Conflict):
        next_version(3, 2)


def test_only_local_governments_hold_a_mandate() -> None:
    require_local_government(OrganisationKind.LOCAL_GOVERNMENT)
    with pytest.raises(FailedPrecondition):
        require_local_government(OrganisationKind.CSO)


def test_city_officers_set_only_their_own_mandate() -> None:
    officer = Principal("u1", "officer", frozenset({Role.CITY_OFFICER}), CITY)
    admin = Principal("u2", "admin", frozenset({Role.NATIONAL_ADMIN}), NATIONAL)
    cso = Principal("u3", "cso", frozenset({Role.CSO_MEMBER}), CITY)
    assert may_set_mandate(officer, CITY)
    assert not may_set_mandate(officer, NATIONAL)
    assert may_set_mandate(admin, CITY)
    assert not may_set_mandate(cso, CITY)
