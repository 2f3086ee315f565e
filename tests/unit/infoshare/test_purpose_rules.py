"""Rules of a new purpose and of a training attestation."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime

import pytest

from services.common.errors import InvalidArgument
from services.infoshare.domain.categories import DataCategory as C
from services.infoshare.domain.categories import LawfulBasis
from services.infoshare.domain.purpose_rules import PurposeDraft, checked_purpose
from services.infoshare.domain.training import check_attestation, is_current, valid_until

AT = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
TODAY = AT.date()
DRAFT = PurposeDraft(
    "safeguarding-referral", " Referrals ", LawfulBasis.PUBLIC_TASK, frozenset({C.FACT}), 365, False
)


def problems(draft: PurposeDraft) -> list[str]:
    with pytest.raises(InvalidArgument) as caught:
        checked_purpose(draft, at=AT, by="dpo")
    return sorted(v.field for v in caught.value.violations)


def test_a_good_purpose_is_stamped() -> None:
    purpose = checked_purpose(DRAFT, at=AT, by="dpo")
    assert (purpose.code, purpose.description, purpose.created_by) == (
        "safeguarding-referral",
        "Referrals",
        "dpo",
    )


@pytest.mark.parametrize(
    ("code", "ok"),
    [("ab", True), ("a-1", True), ("a" * 63, True), ("a", False), ("a" * 64, False),
     ("1ab", False), ("Ab", False), ("a_b", False), ("a b", False), ("-ab", False)],
)  # fmt: skip
def test_codes(code: str, ok: bool) -> None:
    if ok:
        checked_purpose(replace(DRAFT, code=code), at=AT, by="dpo")
    else:
        assert problems(replace(DRAFT, code=code)) == ["purpose.code"]


def test_every_problem_named() -> None:
    bad = PurposeDraft("X", "", None, frozenset(), 0, False)
    assert problems(bad) == [
        "purpose.code",
        "purpose.data_categories",
        "purpose.description",
        "purpose.lawful_basis",
        "purpose.retention_days",
    ]
    assert problems(replace(DRAFT, retention_days=3651)) == ["purpose.retention_days"]
    checked_purpose(replace(DRAFT, retention_days=3650), at=AT, by="dpo")


def test_consent_basis_requires_consent() -> None:
    consent = replace(DRAFT, lawful_basis=LawfulBasis.CONSENT)
    assert problems(consent) == ["purpose.consent_required"]
    checked_purpose(replace(consent, consent_required=True), at=AT, by="dpo")
    checked_purpose(replace(DRAFT, consent_required=True), at=AT, by="dpo")


def test_training_counts_for_365_days_and_never_from_the_future() -> None:
    assert is_current(date(2025, 3, 2), TODAY)
    assert not is_current(date(2025, 3, 1), TODAY)
    assert is_current(TODAY, TODAY)
    assert not is_current(date(2026, 3, 3), TODAY)
    assert valid_until(date(2026, 1, 15)) == date(2027, 1, 15)


def test_attestation_rules() -> None:
    check_attestation("GDPR basics", date(2025, 3, 2), TODAY)
    for course, day, field in [
        ("", TODAY, "course"),
        ("x" * 201, TODAY, "course"),
        ("GDPR\x00", TODAY, "course"),
        ("GDPR", date(2026, 3, 3), "completed_on"),
        ("GDPR", date(2025, 3, 1), "completed_on"),
    ]:
        with pytest.raises(InvalidArgument) as caught:
            check_attestation(course, day, TODAY)
        assert [v.field for v in caught.value.violations] == [field]
