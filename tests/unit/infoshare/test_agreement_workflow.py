"""The agreement workflow: signatures, activation, amendments, review, suspension, termination."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from services.common.errors import FailedPrecondition, InvalidArgument
from services.infoshare.domain import agreement_workflow as wf
from services.infoshare.domain.agreement_workflow import VersionStatus
from services.infoshare.domain.agreements import AgreementState, SharingStatus
from tests.unit.infoshare.test_agreement_rules import A, B, sample

AT = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
S = AgreementState


def signed_by_all() -> wf.Step:
    agreement, first = wf.propose("ag", sample(), "dpo-a", AT)
    step = wf.sign(agreement, first, None, organisation_id=A, version=1, by="dpo-a", at=AT)
    return wf.sign(
        step.agreement, step.changed[0], None, organisation_id=B, version=1, by="dpo-b", at=AT
    )


def test_active_only_after_the_last_signature() -> None:
    agreement, first = wf.propose("ag", sample(), "dpo-a", AT)
    assert (agreement.state, agreement.governing_version) == (S.PROPOSED, 1)
    assert (
        agreement.in_force(first.terms).sharing_status(AT.date())
        is SharingStatus.AWAITING_SIGNATURES
    )
    half = wf.sign(agreement, first, None, organisation_id=A, version=1, by="dpo-a", at=AT)
    assert half.activated is None and half.agreement.state is S.PROPOSED
    assert half.changed[0].unsigned() == [B]
    step = signed_by_all()
    assert step.activated is not None and step.activated.status is VersionStatus.IN_FORCE
    assert (step.agreement.state, step.agreement.version_in_force) == (S.ACTIVE, 1)
    assert step.agreement.review_date == date(2027, 3, 2)


@pytest.mark.parametrize(
    ("org", "version", "why"),
    [("org-x", 1, "not a party"), (A, 2, "not the latest"), (A, 1, "already signed")],
)
def test_refused_signatures(org: str, version: int, why: str) -> None:
    agreement, first = wf.propose("ag", sample(), "dpo-a", AT)
    half = wf.sign(agreement, first, None, organisation_id=A, version=1, by="dpo-a", at=AT)
    with pytest.raises(FailedPrecondition, match=why):
        wf.sign(
            half.agreement,
            half.changed[0],
            None,
            organisation_id=org,
            version=version,
            by="x",
            at=AT,
        )


def test_amendment_supersedes_the_old_version_once_signed() -> None:
    step = signed_by_all()
    v1 = step.activated
    assert v1 is not None
    amended = wf.amend(step.agreement, v1, sample(title="Wider"), "dpo-b", AT)
    assert amended.changed == () and amended.created is not None
    assert (amended.agreement.version_in_force, amended.agreement.latest_version) == (1, 2)
    assert amended.agreement.state is S.ACTIVE
    v2 = amended.created
    half = wf.sign(amended.agreement, v2, v1, organisation_id=B, version=2, by="dpo-b", at=AT)
    done = wf.sign(
        half.agreement, half.changed[0], v1, organisation_id=A, version=2, by="dpo-a", at=AT
    )
    assert [(v.number, v.status) for v in done.changed] == [
        (2, VersionStatus.IN_FORCE),
        (1, VersionStatus.SUPERSEDED),
    ]
    assert done.agreement.version_in_force == 2


def test_an_amendment_in_force_keeps_a_lapsed_review_until_reviewed() -> None:
    step = signed_by_all()
    v1 = step.activated
    assert v1 is not None
    lapsed_on = date(2027, 3, 3)
    later = datetime(2027, 3, 10, tzinfo=UTC)
    amended = wf.amend(step.agreement, v1, sample(title="Wider"), "dpo-b", later)
    assert amended.created is not None
    half = wf.sign(
        amended.agreement, amended.created, v1, organisation_id=B, version=2, by="b", at=later
    )
    done = wf.sign(
        half.agreement, half.changed[0], v1, organisation_id=A, version=2, by="a", at=later
    )
    assert done.agreement.version_in_force == 2
    assert done.agreement.review_date == date(2027, 3, 2)
    terms = done.changed[0].terms
    status = done.agreement.in_force(terms).sharing_status(lapsed_on)
    assert status is SharingStatus.REVIEW_LAPSED
    reviewed = wf.review(done.agreement, terms, next_review_date=None, by="b", at=later)
    assert reviewed.agreement.in_force(terms).sharing_status(lapsed_on) is SharingStatus.OPEN


def test_amending_an_unsigned_proposal_supersedes_it() -> None:
    agreement, first = wf.propose("ag", sample(), "dpo-a", AT)
    step = wf.amend(agreement, first, sample(title="Better"), "dpo-b", AT)
    assert [v.status for v in step.changed] == [VersionStatus.SUPERSEDED]
    assert step.agreement.governing_version == 2


def test_review_sets_the_next_date_within_validity() -> None:
    active = signed_by_all().agreement
    terms = sample()
    later = datetime(2027, 6, 1, tzinfo=UTC)
    reviewed = wf.review(active, terms, next_review_date=None, by="dpo-b", at=later).agreement
    assert reviewed.review_date == date(2027, 12, 31)
    assert (reviewed.last_reviewed_by, reviewed.last_reviewed_at) == ("dpo-b", later)
    for bad in (date(2027, 6, 1), date(2028, 1, 1)):
        with pytest.raises(InvalidArgument):
            wf.review(active, terms, next_review_date=bad, by="dpo-b", at=later)
    with pytest.raises(FailedPrecondition):
        wf.review(
            active, terms, next_review_date=None, by="dpo-b", at=datetime(2027, 12, 31, tzinfo=UTC)
        )


def test_suspend_resume_by_review_and_terminate_for_good() -> None:
    active = signed_by_all().agreement
    with pytest.raises(InvalidArgument):
        wf.suspend(active, " ")
    suspended = wf.suspend(active, "breach").agreement
    assert (suspended.state, suspended.state_reason) == (S.SUSPENDED, "breach")
    with pytest.raises(FailedPrecondition):
        wf.suspend(suspended, "again")
    resumed = wf.review(suspended, sample(), next_review_date=None, by="dpo", at=AT).agreement
    assert (resumed.state, resumed.state_reason) == (S.ACTIVE, "")
    ended = wf.terminate(resumed, "closed").agreement
    assert ended.state is S.TERMINATED
    for attempt in (
        lambda: wf.terminate(ended, "again"),
        lambda: wf.review(ended, sample(), next_review_date=None, by="dpo", at=AT),
        lambda: wf.amend(ended, signed_by_all().changed[0], sample(), "dpo", AT),
    ):
        with pytest.raises(FailedPrecondition):
            attempt()


def test_add_months_keeps_the_end_of_month() -> None:
    assert wf.add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert wf.add_months(date(2026, 11, 30), 3) == date(2027, 2, 28)
    assert wf.add_months(date(2026, 3, 2), 12) == date(2027, 3, 2)
