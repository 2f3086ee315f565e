"""Principal, roles and the current caller of a call."""

from __future__ import annotations

import asyncio

import pytest

from services.common.auth import (
    SYSTEM,
    Principal,
    Role,
    bind_principal,
    current_principal,
    principal_from_claims,
)
from services.common.errors import Unauthenticated

OFFICER = Principal("u-1", "olga", frozenset({Role.CITY_OFFICER}), "org-1")


def test_roles_are_the_keycloak_realm_role_names() -> None:
    assert Role.NATIONAL_ADMIN == "national-admin"
    assert Role.DATA_PROTECTION_OFFICER == "data-protection-officer"
    assert len(Role) == 11


def test_has_any_matches_any_one_role() -> None:
    assert OFFICER.has_any(Role.AUDITOR, Role.CITY_OFFICER)
    assert OFFICER.has_any("city-officer")
    assert not OFFICER.has_any(Role.AUDITOR, Role.FUNDER)
    assert not OFFICER.has_any()


def test_system_has_no_roles_and_no_organisation() -> None:
    assert SYSTEM.sub == "system"
    assert SYSTEM.roles == frozenset()
    assert SYSTEM.org_id is None


def test_there_is_no_caller_outside_a_call() -> None:
    with pytest.raises(Unauthenticated):
        current_principal()


def test_bind_principal_sets_the_caller_for_the_block_only() -> None:
    with bind_principal(OFFICER):
        assert current_principal() is OFFICER
    with pytest.raises(Unauthenticated):
        current_principal()


async def test_tasks_started_in_a_call_see_its_caller() -> None:
    with bind_principal(OFFICER):
        seen = await asyncio.create_task(asyncio.to_thread(current_principal))

    assert seen is OFFICER


def test_minimal_claims_give_a_principal_without_roles_or_organisation() -> None:
    principal = principal_from_claims({"sub": "u-9"})

    assert principal == Principal("u-9", "u-9", frozenset(), None)


def test_the_token_id_is_the_jti_claim() -> None:
    principal = principal_from_claims({"sub": "u-9", "jti": "3f0c-token"})

    assert principal.token_id == "3f0c-token"


def test_malformed_optional_claims_are_ignored() -> None:
    principal = principal_from_claims(
        {"sub": "u-9", "realm_access": ["x"], "org_id": ["a", "b"], "email": 5}
    )

    assert principal == Principal("u-9", "u-9", frozenset(), None)


def test_claims_without_subject_are_refused() -> None:
    with pytest.raises(Unauthenticated):
        principal_from_claims({"preferred_username": "x"})
