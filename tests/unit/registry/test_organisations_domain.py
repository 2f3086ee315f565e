"""Organisation rules: details, verification workflow and who sees what."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from services.common.auth import Principal, Role
from services.common.errors import FailedPrecondition, InvalidArgument
from services.registry.domain.organisations import (
    REINSTATE,
    REJECT,
    SUSPEND,
    VERIFY,
    Details,
    Organisation,
    OrganisationKind,
    RegistrationNumber,
    VerificationState,
    can_edit,
    can_see,
    change_verification,
    check_details,
)

NOW = datetime(2026, 11, 22, 9, 0, tzinfo=UTC)
CSO = Details("Youth Bridges", OrganisationKind.CSO, None, "j1")


def who(*roles: str, org: str | None = None) -> Principal:
    return Principal("sub", "user", frozenset(roles), org)


def fields(exc: pytest.ExceptionInfo[InvalidArgument]) -> set[str]:
    return {v.field for v in exc.value.violations}


def test_valid_details_pass() -> None:
    check_details(
        Details(
            "Youth Bridges",
            OrganisationKind.CSO,
            None,
            None,
            (RegistrationNumber("charity-commission", "123"),),
            "https://youth.example.org/about",
            "info@youth.example.org",
        )
    )


def test_every_bad_field_is_named() -> None:
    bad = Details(
        "",
        None,
        None,
        None,
        (RegistrationNumber("", "1"), RegistrationNumber("tax", ""), RegistrationNumber("x", "1")),
        "ftp://example.org",
        "not-an-email",
    )
    with pytest.raises(InvalidArgument) as exc:
        check_details(bad)
    assert fields(exc) == {
        "organisation.display_name",
        "organisation.kind",
        "organisation.registration_numbers[0].scheme",
        "organisation.registration_numbers[1].value",
        "organisation.website",
        "organisation.contact_email",
    }


def test_duplicate_registration_numbers_are_refused() -> None:
    numbers = (RegistrationNumber("tax", "9"), RegistrationNumber("TAX", "9"))
    with pytest.raises(InvalidArgument) as exc:
        check_details(Details("A", OrganisationKind.CSO, None, None, numbers))
    assert fields(exc) == {"organisation.registration_numbers[1]"}


@pytest.mark.parametrize("url", ["example.org", "https://", "javascript:alert(1)", "http://a b"])
def test_websites_must_be_http_urls(url: str) -> None:
    with pytest.raises(InvalidArgument):
        check_details(Details("A", OrganisationKind.CSO, None, None, website=url))


def test_a_local_government_needs_a_jurisdiction() -> None:
    with pytest.raises(InvalidArgument) as exc:
        check_details(Details("City", OrganisationKind.LOCAL_GOVERNMENT, None, None))
    assert fields(exc) == {"organisation.jurisdiction"}


def test_pending_to_verified_to_suspended_and_back() -> None:
    org = Organisation("o", CSO)
    assert change_verification(org, VERIFY, "", NOW) is VerificationState.PENDING
    assert change_verification(org, SUSPEND, "fraud probe", NOW) is VerificationState.VERIFIED
    assert (org.verification_state, org.verification_reason) == (
        VerificationState.SUSPENDED,
        "fraud probe",
    )
    change_verification(org, REINSTATE, "cleared", NOW)
    assert org.verification_state is VerificationState.VERIFIED
    assert org.verification_time == NOW


def test_a_rejected_organisation_can_be_verified_on_review() -> None:
    org = Organisation("o", CSO)
    change_verification(org, REJECT, "no statutes", NOW)
    change_verification(org, VERIFY, "statutes supplied", NOW)
    assert org.verification_state is VerificationState.VERIFIED


@pytest.mark.parametrize("transition", [REJECT, SUSPEND])
def test_reject_and_suspend_need_a_reason(transition) -> None:
    org = Organisation("o", CSO, VerificationState.VERIFIED)
    org.verification_state = next(iter(transition.sources))
    with pytest.raises(InvalidArgument) as exc:
        change_verification(org, transition, "  ", NOW)
    assert fields(exc) == {"reason"}


@pytest.mark.parametrize(
    ("state", "transition"),
    [
        (VerificationState.PENDING, SUSPEND),
        (VerificationState.PENDING, REINSTATE),
        (VerificationState.VERIFIED, VERIFY),
        (VerificationState.REJECTED, REJECT),
        (VerificationState.SUSPENDED, VERIFY),
    ],
)
def test_wrong_transitions_name_the_current_state(state, transition) -> None:
    org = Organisation("o", CSO, state)
    with pytest.raises(FailedPrecondition, match=f"organisation is {state.value}"):
        change_verification(org, transition, "because", NOW)
    assert org.verification_state is state


def test_unverified_organisations_are_hidden_from_outsiders() -> None:
    pending = VerificationState.PENDING
    assert not can_see(who(Role.CITY_OFFICER, org="other"), "o", pending)
    assert can_see(who(Role.CSO_MEMBER, org="o"), "o", pending)
    assert can_see(who(Role.AUDITOR), "o", VerificationState.REJECTED)
    assert can_see(who(Role.FUNDER), "o", VerificationState.SUSPENDED)


def test_only_admins_and_members_edit() -> None:
    assert can_edit(who(Role.NATIONAL_ADMIN), "o")
    assert can_edit(who(Role.CSO_MEMBER, org="o"), "o")
    assert not can_edit(who(Role.AUDITOR), "o")


def test_control_characters_are_refused() -> None:
    bad = Details(
        "Null\x00Org", OrganisationKind.CSO, None, None, (RegistrationNumber("t", "\x1b"),)
    )
    with pytest.raises(InvalidArgument) as exc:
        check_details(bad)
    assert fields(exc) == {
        "organisation.display_name",
        "organisation.registration_numbers[0].value",
    }
    org = Organisation("o", CSO)
    with pytest.raises(InvalidArgument):
        change_verification(org, REJECT, "bad\x00reason", NOW)
    change_verification(org, REJECT, "line one\nline two", NOW)
