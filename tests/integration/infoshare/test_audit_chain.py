"""The audit chain over gRPC: actions leave records an auditor can page through, verification
finds a row altered or removed behind the service's back, and only auditors may look."""

from __future__ import annotations

import asyncio

import grpc
import jwt
from sqlalchemy import delete, select, update

from nlc.infoshare.v1 import infoshare_pb2
from services.infoshare.orm.tables import audit_chain, audit_chain_head
from tests.integration.infoshare.kit import (
    AUDITOR,
    OUTSIDER,
    POLICE_DPO,
    SOCIAL,
    SOCIAL_DPO,
    SOCIAL_OFFICER,
    attest_training,
    call,
    create_purpose,
    failure,
    officer,
    org,
    purpose_name,
    user,
)
from tests.support.services import ServiceUnderTest

LIST = infoshare_pb2.ListAuditRecordsRequest
VERIFY = infoshare_pb2.VerifyAuditChainRequest()


async def _records(svc: ServiceUnderTest, **filters: object) -> list:
    reply = await call(svc, "ListAuditRecords", LIST(page_size=500, **filters), AUDITOR)
    return list(reply.records)


async def _verdict(svc: ServiceUnderTest) -> infoshare_pb2.VerifyAuditChainResponse:
    return await call(svc, "VerifyAuditChain", VERIFY, AUDITOR)


async def _some_actions(svc: ServiceUnderTest) -> None:
    """Five recorded actions by officers and DPOs of two organisations."""
    await attest_training(svc, SOCIAL_OFFICER)
    await attest_training(svc, SOCIAL_DPO)
    await create_purpose(svc, "safeguarding-referral")
    await attest_training(svc, POLICE_DPO)
    await create_purpose(svc, "trend-analysis", by=POLICE_DPO)


async def _tamper(svc: ServiceUnderTest, statement: object) -> None:
    async with svc.running.engine.begin() as conn:
        await conn.execute(statement)


async def test_actions_are_recorded_newest_first_with_who_did_them(
    infoshare_service: ServiceUnderTest,
) -> None:
    svc = infoshare_service
    token = svc.idp.minter.access_token(
        sub=SOCIAL_DPO.sub,
        username=SOCIAL_DPO.username,
        roles=list(SOCIAL_DPO.roles),
        org_id=SOCIAL,
    )
    request = infoshare_pb2.AttestTrainingRequest(course="GDPR basics", completed_on="2026-02-01")
    await svc.stub.AttestTraining(request, metadata=[("authorization", f"Bearer {token}")])
    await create_purpose(svc, "safeguarding-referral")

    newest, oldest = await _records(svc)

    assert (newest.sequence, oldest.sequence) == (2, 1)
    assert (newest.action, oldest.action) == ("purpose.create", "training.attest")
    assert newest.resource == purpose_name("safeguarding-referral")
    assert newest.decision == oldest.decision == "recorded"
    assert oldest.actor_sub == SOCIAL_DPO.sub
    assert oldest.actor_username == "social-dpo"
    assert oldest.actor_organisation == org(SOCIAL)
    assert oldest.token_id == jwt.decode(token, options={"verify_signature": False})["jti"]
    assert oldest.time.ToDatetime() == svc.clock.now().replace(tzinfo=None)
    assert newest.previous_hash == oldest.hash and len(newest.hash) == 64


async def test_records_page_without_gaps_or_repeats_and_filter_by_resource(
    infoshare_service: ServiceUnderTest,
) -> None:
    svc = infoshare_service
    await _some_actions(svc)

    paged, token = [], ""
    while True:
        reply = await call(svc, "ListAuditRecords", LIST(page_size=2, page_token=token), AUDITOR)
        paged += [r.sequence for r in reply.records]
        token = reply.next_page_token
        if not token:
            break
        await attest_training(svc, officer(SOCIAL))
    about = await _records(svc, resource=purpose_name("trend-analysis"))

    assert paged == [5, 4, 3, 2, 1]
    assert [(r.action, r.actor_username) for r in about] == [("purpose.create", "police-dpo")]


async def test_a_bad_filter_or_page_token_is_refused(infoshare_service: ServiceUnderTest) -> None:
    svc = infoshare_service

    bad_resource = await failure(svc, "ListAuditRecords", LIST(resource="x" * 300), AUDITOR)
    bad_token = await failure(svc, "ListAuditRecords", LIST(page_token="forged"), AUDITOR)

    assert bad_resource.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert bad_token.code() == grpc.StatusCode.INVALID_ARGUMENT


async def test_an_untouched_chain_verifies(infoshare_service: ServiceUnderTest) -> None:
    svc = infoshare_service
    empty = await _verdict(svc)
    await _some_actions(svc)

    verdict = await _verdict(svc)

    assert (empty.intact, empty.records_checked) == (True, 0)
    assert (verdict.intact, verdict.records_checked, verdict.first_broken_sequence) == (True, 5, 0)


async def test_a_row_altered_in_the_database_is_reported_at_its_sequence(
    infoshare_service: ServiceUnderTest,
) -> None:
    svc = infoshare_service
    await _some_actions(svc)

    await _tamper(
        svc, update(audit_chain).where(audit_chain.c.sequence == 3).values(actor_username="x")
    )
    verdict = await _verdict(svc)

    assert not verdict.intact
    assert verdict.first_broken_sequence == 3
    assert verdict.problem


async def test_a_row_deleted_from_the_middle_or_the_end_is_detected(
    infoshare_service: ServiceUnderTest,
) -> None:
    svc = infoshare_service
    await _some_actions(svc)

    await _tamper(svc, delete(audit_chain).where(audit_chain.c.sequence == 5))
    tail = await _verdict(svc)
    await _tamper(svc, delete(audit_chain).where(audit_chain.c.sequence == 2))
    middle = await _verdict(svc)

    assert (tail.intact, tail.first_broken_sequence) == (False, 5)
    assert (middle.intact, middle.first_broken_sequence) == (False, 2)


async def test_a_head_wound_back_over_a_deleted_tail_is_detected_and_stops_recording(
    infoshare_service: ServiceUnderTest,
) -> None:
    svc = infoshare_service
    await _some_actions(svc)
    async with svc.running.engine.connect() as conn:
        previous = (
            await conn.execute(select(audit_chain.c.hash).where(audit_chain.c.sequence == 4))
        ).scalar_one()

    await _tamper(svc, delete(audit_chain).where(audit_chain.c.sequence == 5))
    await _tamper(svc, update(audit_chain_head).values(sequence=4, hash=previous))
    verdict = await _verdict(svc)
    attest = infoshare_pb2.AttestTrainingRequest(course="GDPR", completed_on="2026-02-01")
    refused = await failure(svc, "AttestTraining", attest, SOCIAL_OFFICER)
    again = await _verdict(svc)

    assert (verdict.intact, verdict.records_checked) == (False, 4)
    assert (verdict.first_broken_sequence, verdict.problem) == (5, "the chain head was altered")
    assert refused.code() == grpc.StatusCode.FAILED_PRECONDITION
    assert "audit chain" in refused.details()
    assert (again.intact, again.first_broken_sequence) == (False, 5)


async def test_concurrent_actions_link_into_one_unbroken_chain(
    infoshare_service: ServiceUnderTest,
) -> None:
    svc = infoshare_service
    people = [user(f"officer-{n}", "infoshare-officer", SOCIAL) for n in range(16)]

    await asyncio.gather(*(attest_training(svc, who) for who in people))
    verdict = await _verdict(svc)

    assert (verdict.intact, verdict.records_checked) == (True, 16)
    assert [r.sequence for r in await _records(svc)] == list(range(16, 0, -1))


async def test_only_auditors_may_list_or_verify(infoshare_service: ServiceUnderTest) -> None:
    svc = infoshare_service
    for who in (SOCIAL_OFFICER, SOCIAL_DPO, OUTSIDER):
        listing = await failure(svc, "ListAuditRecords", LIST(), who)
        verifying = await failure(svc, "VerifyAuditChain", VERIFY, who)

        assert listing.code() == verifying.code() == grpc.StatusCode.PERMISSION_DENIED
