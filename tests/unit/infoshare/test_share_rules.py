"""What a send and a correction must hold, consent, and a share's life; messages never quote
the values sent."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from services.common.errors import FailedPrecondition
from services.infoshare.domain import share_rules as rules
from services.infoshare.domain.categories import DataCategory as C
from services.infoshare.domain.categories import LawfulBasis
from services.infoshare.domain.purposes import Purpose
from services.infoshare.domain.record_types import RECORD_TYPES
from services.infoshare.domain.share_rules import Consent
from services.infoshare.domain.shares import ShareState

CASE = RECORD_TYPES["referral-case"]
PURPOSE = Purpose(
    "safeguarding-referral", "Refer", LawfulBasis.PUBLIC_TASK, frozenset({C.IDENTITY}), 30, False
)
SECRET = "Jane Canary-Doe"
GOOD = {"subject_name": SECRET, "referral_reason": "seen with recruiters"}
NOW = datetime(2026, 3, 2, 9, tzinfo=UTC)


def send(**overrides: object) -> list[rules.Violation]:
    args: dict[str, object] = {
        "sender_id": "social",
        "purpose": PURPOSE,
        "record_type": CASE,
        "recipients": ["police"],
        "subject_reference": "case-17",
        "fields": GOOD,
        "consent": Consent(),
    }
    args.update(overrides)
    return rules.send_violations(**args)  # type: ignore[arg-type]


def fields_of(violations: list[rules.Violation]) -> list[str]:
    return [v.field for v in violations]


def test_a_complete_request_has_no_violations() -> None:
    assert send() == []


def test_unknown_purpose_and_record_type_are_named() -> None:
    assert fields_of(send(purpose=None, record_type=None)) == ["purpose", "record_type"]


def test_recipients_must_be_given_distinct_and_not_the_sender() -> None:
    assert fields_of(send(recipients=[])) == ["recipients"]
    assert fields_of(send(recipients=["police", "social", "police"])) == [
        "recipients[1]",
        "recipients[2]",
    ]


def test_the_subject_reference_is_required_and_bounded() -> None:
    assert fields_of(send(subject_reference=" ")) == ["subject_reference"]
    assert fields_of(send(subject_reference="x" * 201)) == ["subject_reference"]
    assert send(subject_reference="x" * 200) == []


def test_every_field_must_belong_to_the_record_type() -> None:
    violations = send(fields={**GOOD, "shoe_size": "44"})
    assert fields_of(violations) == ["fields"]
    assert "shoe_size" in violations[0].description


def test_required_fields_must_be_present_and_not_blank() -> None:
    violations = send(fields={"subject_name": "  "})
    assert fields_of(violations) == ["fields.subject_name", "fields.referral_reason"]


def test_long_values_are_refused_without_quoting_them() -> None:
    violations = send(fields={**GOOD, "observed_facts": SECRET * 1000})
    assert fields_of(violations) == ["fields.observed_facts"]
    assert SECRET not in repr(violations)


def test_no_violation_quotes_a_value_or_the_subject_reference() -> None:
    violations = send(
        fields={"subject_name": SECRET + "\x00", "risk_assessment": ""},
        subject_reference=SECRET + "\x07",
    )
    assert violations and SECRET not in repr(violations)


def test_consent_is_needed_only_where_the_purpose_says_so() -> None:
    consent_purpose = Purpose(
        "reintegration", "Support", LawfulBasis.CONSENT, frozenset({C.IDENTITY}), 30, True
    )
    assert rules.consent_problem(PURPOSE, Consent()) is None
    assert rules.consent_problem(consent_purpose, Consent()) is not None
    assert rules.consent_problem(consent_purpose, Consent(True, "")) is not None
    assert rules.consent_problem(consent_purpose, Consent(True, "form 12")) is None


def test_a_correction_keeps_fields_it_does_not_name() -> None:
    merged, violations = rules.corrected_fields(CASE, GOOD, {"referral_reason": "new"})
    assert violations == []
    assert merged == {**GOOD, "referral_reason": "new"}


def test_a_correction_may_not_blank_a_required_field_or_name_an_unknown_one() -> None:
    _, blanked = rules.corrected_fields(CASE, GOOD, {"subject_name": ""})
    _, unknown = rules.corrected_fields(CASE, GOOD, {"shoe_size": "44"})
    _, empty = rules.corrected_fields(CASE, GOOD, {})
    assert (fields_of(blanked), fields_of(unknown), fields_of(empty)) == (
        ["fields.subject_name"],
        ["fields[shoe_size]"],
        ["fields"],
    )


def test_a_correction_may_not_add_a_field_the_share_did_not_have() -> None:
    merged, violations = rules.corrected_fields(
        CASE, GOOD, {"observed_facts": "new", "referral_reason": "other"}
    )
    assert fields_of(violations) == ["fields[observed_facts]"]
    assert "send a new share" in violations[0].description
    assert "observed_facts" not in merged


def test_reasons_are_required() -> None:
    assert fields_of(rules.reason_violations("")) == ["reason"]
    assert rules.reason_violations("wrong address") == []


def test_an_active_share_is_revoked_then_erased() -> None:
    assert rules.revoked(ShareState.ACTIVE) is ShareState.REVOKED
    assert rules.erased(ShareState.REVOKED) is ShareState.ERASED
    assert rules.erased(ShareState.ACTIVE) is ShareState.ERASED


def test_revoked_or_erased_shares_cannot_change() -> None:
    for state in (ShareState.REVOKED, ShareState.ERASED):
        with pytest.raises(FailedPrecondition):
            rules.revoked(state)
        with pytest.raises(FailedPrecondition):
            rules.check_active(state, "corrected")
    with pytest.raises(FailedPrecondition):
        rules.erased(ShareState.ERASED)


def test_content_is_unreadable_once_revoked_erased_or_past_retention() -> None:
    later = NOW + timedelta(days=1)
    assert rules.unreadable_reason(ShareState.ACTIVE, later, NOW) is None
    assert rules.unreadable_reason(ShareState.ACTIVE, NOW, NOW) == "retention_expired"
    assert rules.unreadable_reason(ShareState.REVOKED, later, NOW) == "revoked"
    assert rules.unreadable_reason(ShareState.ERASED, later, NOW) == "erased"


def test_acknowledging_a_version_between_the_last_one_and_the_current_one() -> None:
    assert rules.acknowledged(content_version=3, already=1, requested=3) == 3
    assert rules.acknowledged(content_version=3, already=3, requested=3) == 3
    for requested, already in ((4, 0), (1, 2)):
        with pytest.raises(FailedPrecondition):
            rules.acknowledged(content_version=3, already=already, requested=requested)


def test_an_acknowledged_version_counts_from_one() -> None:
    assert fields_of(rules.acknowledge_violations(0)) == ["content_version"]
    assert fields_of(rules.acknowledge_violations(-2)) == ["content_version"]
    assert rules.acknowledge_violations(1) == []
