"""Training attestations over real gRPC, and the rule that an officer or DPO without training in
the last 12 months is refused, with the refusal recorded in the audit chain."""

from __future__ import annotations

from datetime import timedelta

import grpc
import pytest

from nlc.infoshare.v1 import infoshare_pb2 as pb
from services.common.auth import Principal
from services.common.errors import FailedPrecondition
from services.infoshare.handlers.gate import require_training
from tests.integration.infoshare.kit import (
    AUDITOR,
    POLICE_DPO,
    POLICE_OFFICER,
    SOCIAL_DPO,
    SOCIAL_OFFICER,
    TODAY,
    User,
    attest_training,
    call,
    failure,
    org,
    violated_fields,
)
from tests.support.services import ServiceUnderTest


def _principal(who: User) -> Principal:
    return Principal(who.sub, who.username, frozenset(who.roles), who.org_id, token_id="jti-1")


async def _listed(svc: ServiceUnderTest, who: User) -> list[tuple[str, str]]:
    found = await call(svc, "ListTrainingAttestations", pb.ListTrainingAttestationsRequest(), who)
    return [(a.user, a.completed_on) for a in found.attestations]


async def test_attest_and_list_own_or_organisation(infoshare_service: ServiceUnderTest) -> None:
    svc = infoshare_service
    made = await attest_training(svc, SOCIAL_OFFICER, completed_on="2026-01-15")
    assert made.user == SOCIAL_OFFICER.username
    assert made.organisation == org(SOCIAL_OFFICER.org_id or "")
    assert (made.completed_on, made.valid_until) == ("2026-01-15", "2027-01-15")
    await attest_training(svc, SOCIAL_DPO, completed_on="2025-06-01")
    await attest_training(svc, POLICE_OFFICER)

    assert await _listed(svc, SOCIAL_OFFICER) == [("social", "2026-01-15")]
    assert await _listed(svc, SOCIAL_DPO) == [
        ("social", "2026-01-15"),
        ("social-dpo", "2025-06-01"),
    ]
    assert await _listed(svc, POLICE_DPO) == [("police", (TODAY - timedelta(days=30)).isoformat())]
    refused = await failure(
        svc, "ListTrainingAttestations", pb.ListTrainingAttestationsRequest(), AUDITOR
    )
    assert refused.code() == grpc.StatusCode.PERMISSION_DENIED
    records = await call(
        svc,
        "ListAuditRecords",
        pb.ListAuditRecordsRequest(resource=f"users/{SOCIAL_OFFICER.sub}"),
        AUDITOR,
    )
    assert [(r.action, r.decision) for r in records.records] == [("training.attest", "recorded")]


async def test_an_attestation_must_be_recent_and_named(infoshare_service: ServiceUnderTest) -> None:
    svc = infoshare_service
    cases = [
        (pb.AttestTrainingRequest(course="GDPR", completed_on="2027-01-01"), ["completed_on"]),
        (pb.AttestTrainingRequest(course="GDPR", completed_on="2025-02-01"), ["completed_on"]),
        (pb.AttestTrainingRequest(course=" ", completed_on="2026-02-01"), ["course"]),
        (pb.AttestTrainingRequest(course="GDPR", completed_on="1 May"), ["completed_on"]),
        (pb.AttestTrainingRequest(), ["completed_on"]),
    ]
    for request, fields in cases:
        error = await failure(svc, "AttestTraining", request, POLICE_OFFICER)
        assert error.code() == grpc.StatusCode.INVALID_ARGUMENT
        assert violated_fields(error) == fields
    assert await _listed(svc, POLICE_OFFICER) == []


async def test_without_current_training_the_refusal_is_recorded(
    infoshare_service: ServiceUnderTest,
) -> None:
    svc = infoshare_service
    deps = svc.running.deps
    actor = _principal(POLICE_OFFICER)

    async def attempt() -> None:
        async with deps.uow(actor) as uow:
            await require_training(uow, deps.keyring, action="share.fetch", resource="shares/s1")

    with pytest.raises(FailedPrecondition) as refused:
        await attempt()
    assert [v.field for v in refused.value.violations] == ["training"]
    await attest_training(svc, POLICE_OFFICER, completed_on=TODAY.isoformat())
    await attempt()
    svc.clock.advance(timedelta(days=366))
    with pytest.raises(FailedPrecondition):
        await attempt()

    records = await call(
        svc, "ListAuditRecords", pb.ListAuditRecordsRequest(resource="shares/s1"), AUDITOR
    )
    assert [(r.action, r.decision, r.token_id) for r in records.records] == [
        ("share.fetch", "denied", "jti-1"),
        ("share.fetch", "denied", "jti-1"),
    ]
    assert all("training" in r.reason for r in records.records)
