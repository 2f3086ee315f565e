"""Obligations after sending, over gRPC: corrections and revocations reach every recipient on
its own subject, recipients acknowledge, retention and subject erasure crypto-shred content
(the audit proof stays), subject access lists every share, re-identification is the sending
DPO's logged act."""

from __future__ import annotations

from datetime import timedelta

import grpc
from sqlalchemy import func, select

from nlc.infoshare.v1 import infoshare_pb2 as pb
from nlc.infoshare.v1 import shares_pb2 as spb
from services.common.auth import SYSTEM
from services.common.rich_status import violations_of
from services.infoshare.handlers.retention import erase_expired
from services.infoshare.orm.tables import share_contents, share_keys
from services.infoshare.scheduler import run_pass
from tests.integration.infoshare.kit import (
    AUDITOR,
    BRIDGES,
    BRIDGES_DPO,
    BRIDGES_OFFICER,
    CENTRE,
    POLICE,
    POLICE_DPO,
    POLICE_OFFICER,
    SOCIAL_DPO,
    SOCIAL_OFFICER,
    attest_training,
    call,
    dpo,
    failure,
)
from tests.integration.infoshare.stream import notices
from tests.integration.infoshare.table import (
    FIELDS,
    SUBJECT,
    fetch,
    fetch_request,
    open_table,
    send,
)
from tests.support.services import ServiceUnderTest


def subjects(event: str) -> set[str]:
    """The subjects of one event to each recipient, POLICE and BRIDGES."""
    return {f"nlc.infoshare.share.{event}.{org_id}" for org_id in (POLICE, BRIDGES)}


async def sealed_rows(svc: ServiceUnderTest, share: str) -> tuple[int, int]:
    """(wrapped keys, sealed content versions) stored for share."""
    share_id = share.removeprefix("shares/")
    async with svc.running.deps.sessions() as session:
        keys = await session.scalar(
            select(func.count()).select_from(share_keys).where(share_keys.c.share_id == share_id)
        )
        contents = await session.scalar(
            select(func.count())
            .select_from(share_contents)
            .where(share_contents.c.share_id == share_id)
        )
    return int(keys or 0), int(contents or 0)


async def get(svc: ServiceUnderTest, share: str, who) -> spb.Share:
    return await call(svc, "GetShare", pb.GetShareRequest(name=share), who)


async def verify(svc: ServiceUnderTest) -> pb.VerifyAuditChainResponse:
    return await call(svc, "VerifyAuditChain", pb.VerifyAuditChainRequest(), AUDITOR)


async def test_a_correction_reaches_every_recipient_who_acknowledges_it(
    infoshare_service: ServiceUnderTest,
) -> None:
    svc = infoshare_service
    await open_table(svc)
    share = (await send(svc, POLICE, BRIDGES)).share.name
    delivered = await notices(svc, share)
    assert set(delivered) == subjects("delivered")
    acknowledged = await call(
        svc,
        "AcknowledgeShare",
        pb.AcknowledgeShareRequest(name=share, content_version=1),
        POLICE_OFFICER,
    )
    assert [d.acknowledged_version for d in acknowledged.deliveries] == [1]

    correction = pb.CorrectShareRequest(
        name=share,
        fields={"referral_reason": "Recruiting others online", "observed_facts": "Posts"},
        reason="Wrong reason recorded",
    )
    corrected = await call(svc, "CorrectShare", correction, SOCIAL_OFFICER)

    assert corrected.content_version == 2
    sent = await notices(svc, share)
    for subject in subjects("corrected"):
        assert sent[subject].content_version == 2
    assert sent[f"nlc.infoshare.share.corrected.{POLICE}"].recipient == f"organisations/{POLICE}"
    police = await fetch(svc, share, POLICE_OFFICER)
    assert dict(police.fields) == {
        **FIELDS,
        "referral_reason": "Recruiting others online",
        "observed_facts": "Posts",
    }
    bridges = await fetch(svc, share, BRIDGES_OFFICER)
    assert dict(bridges.fields) == {
        "subject_name": FIELDS["subject_name"],
        "referral_reason": "Recruiting others online",
    }
    behind = await get(svc, share, POLICE_OFFICER)
    assert (behind.content_version, behind.deliveries[0].acknowledged_version) == (2, 1)
    caught_up = await call(
        svc,
        "AcknowledgeShare",
        pb.AcknowledgeShareRequest(name=share, content_version=2),
        POLICE_OFFICER,
    )
    assert caught_up.deliveries[0].acknowledged_version == 2
    sender_view = await get(svc, share, SOCIAL_OFFICER)
    acks = {d.recipient: d.acknowledged_version for d in sender_view.deliveries}
    assert acks == {f"organisations/{POLICE}": 2, f"organisations/{BRIDGES}": 0}


async def test_only_the_sender_corrects_or_revokes_and_only_recipients_acknowledge(
    infoshare_service: ServiceUnderTest,
) -> None:
    svc = infoshare_service
    await open_table(svc)
    share = (await send(svc, POLICE)).share.name
    correction = pb.CorrectShareRequest(name=share, fields={"phone": "1"}, reason="typo")
    revocation = pb.RevokeShareRequest(name=share, reason="sent in error")
    too_far = pb.AcknowledgeShareRequest(name=share, content_version=2)

    for method, request, who, code in (
        ("CorrectShare", correction, POLICE_OFFICER, grpc.StatusCode.PERMISSION_DENIED),
        ("RevokeShare", revocation, POLICE_OFFICER, grpc.StatusCode.PERMISSION_DENIED),
        ("RevokeShare", revocation, BRIDGES_OFFICER, grpc.StatusCode.NOT_FOUND),
        ("AcknowledgeShare", too_far, SOCIAL_OFFICER, grpc.StatusCode.PERMISSION_DENIED),
        ("AcknowledgeShare", too_far, POLICE_OFFICER, grpc.StatusCode.FAILED_PRECONDITION),
    ):
        error = await failure(svc, method, request, who)
        assert error.code() == code, method
    blank = pb.CorrectShareRequest(name=share, fields={"subject_name": " "}, reason="typo")
    error = await failure(svc, "CorrectShare", blank, SOCIAL_OFFICER)
    assert [f for f, _ in violations_of(error)] == ["fields.subject_name"]


async def test_a_revocation_reaches_every_recipient_and_ends_reading(
    infoshare_service: ServiceUnderTest,
) -> None:
    svc = infoshare_service
    await open_table(svc)
    share = (await send(svc, POLICE, BRIDGES)).share.name

    revoked = await call(
        svc,
        "RevokeShare",
        pb.RevokeShareRequest(name=share, reason="Sent in error"),
        SOCIAL_OFFICER,
    )

    assert (revoked.state, revoked.state_reason) == (spb.SHARE_STATE_REVOKED, "Sent in error")
    assert subjects("revoked") <= set(await notices(svc, share))
    for who in (POLICE_OFFICER, BRIDGES_OFFICER, SOCIAL_OFFICER):
        error = await failure(svc, "FetchShare", fetch_request(share), who)
        assert error.code() == grpc.StatusCode.FAILED_PRECONDITION
    again = await failure(
        svc, "RevokeShare", pb.RevokeShareRequest(name=share, reason="twice"), SOCIAL_OFFICER
    )
    assert again.code() == grpc.StatusCode.FAILED_PRECONDITION


async def test_content_past_retention_is_unreadable_then_shredded(
    infoshare_service: ServiceUnderTest,
) -> None:
    svc = infoshare_service
    await open_table(svc, retention_days=30)
    share = (await send(svc, POLICE, BRIDGES)).share.name
    kept = (await send(svc, POLICE, subject_reference="other")).share.name
    svc.clock.advance(timedelta(days=20))
    kept_later = (await send(svc, POLICE, subject_reference="later")).share.name
    assert await sealed_rows(svc, share) == (1, 1)

    svc.clock.advance(timedelta(days=10))
    error = await failure(svc, "FetchShare", fetch_request(share), POLICE_OFFICER)
    assert error.code() == grpc.StatusCode.FAILED_PRECONDITION
    assert "retention" in (error.details() or "")

    deps = svc.running.deps
    assert await erase_expired(deps.uow(SYSTEM), deps.keyring) == 2
    assert await erase_expired(deps.uow(SYSTEM), deps.keyring) == 0

    assert await sealed_rows(svc, share) == (0, 0)
    assert await sealed_rows(svc, kept) == (0, 0)
    assert await sealed_rows(svc, kept_later) == (1, 1)
    erased = await get(svc, share, POLICE_OFFICER)
    assert (erased.state, erased.state_reason) == (spb.SHARE_STATE_ERASED, "retention_expired")
    assert subjects("erased") <= set(await notices(svc, share))
    records = await call(
        svc, "ListAuditRecords", pb.ListAuditRecordsRequest(resource=share), AUDITOR
    )
    newest = records.records[0]
    assert (newest.action, newest.actor_username) == ("share.erase", "system")
    assert (await verify(svc)).intact
    svc.clock.advance(timedelta(days=20))
    assert await run_pass(deps) == (1, 0)
    assert await sealed_rows(svc, kept_later) == (0, 0)


async def test_subject_access_lists_every_share_about_the_subject(
    infoshare_service: ServiceUnderTest,
) -> None:
    svc = infoshare_service
    await open_table(svc)
    for who in (SOCIAL_DPO, POLICE_DPO, BRIDGES_DPO):
        await attest_training(svc, who)
    first = (await send(svc, POLICE, BRIDGES)).share.name
    second = (await send(svc, POLICE, subject_reference=f"  {SUBJECT.lower()} ")).share.name
    await send(svc, POLICE, subject_reference="somebody else")
    request = pb.FindSubjectSharesRequest(subject_reference=SUBJECT)

    social = await call(svc, "FindSubjectShares", request, SOCIAL_DPO)
    police = await call(svc, "FindSubjectShares", request, POLICE_DPO)
    bridges = await call(svc, "FindSubjectShares", request, BRIDGES_DPO)

    assert {s.name for s in social.shares} == {first, second}
    assert {s.name for s in police.shares} == {first, second}
    assert [s.name for s in bridges.shares] == [first]
    assert [len(s.deliveries) for s in bridges.shares] == [1]
    centre = dpo(CENTRE)
    await attest_training(svc, centre)
    assert list((await call(svc, "FindSubjectShares", request, centre)).shares) == []


async def test_erasing_a_subject_shreds_what_the_organisation_sent(
    infoshare_service: ServiceUnderTest,
) -> None:
    svc = infoshare_service
    await open_table(svc)
    await attest_training(svc, SOCIAL_DPO)
    await attest_training(svc, POLICE_DPO)
    first = (await send(svc, POLICE, BRIDGES)).share.name
    second = (await send(svc, POLICE, subject_reference=SUBJECT.lower())).share.name
    other = (await send(svc, POLICE, subject_reference="somebody else")).share.name
    await call(svc, "RevokeShare", pb.RevokeShareRequest(name=second, reason="x"), SOCIAL_OFFICER)
    erase = pb.EraseSubjectRequest(subject_reference=SUBJECT, reason="Erasure request 2026/7")

    nothing = await call(svc, "EraseSubject", erase, POLICE_DPO)
    erased = await call(svc, "EraseSubject", erase, SOCIAL_DPO)

    assert list(nothing.erased_shares) == []
    assert sorted(erased.erased_shares) == sorted([first, second])
    for share in (first, second):
        assert await sealed_rows(svc, share) == (0, 0)
        assert (await get(svc, share, SOCIAL_OFFICER)).state == spb.SHARE_STATE_ERASED
    assert await sealed_rows(svc, other) == (1, 1)
    assert subjects("erased") <= set(await notices(svc, first))
    error = await failure(svc, "FetchShare", fetch_request(first), POLICE_OFFICER)
    assert error.code() == grpc.StatusCode.FAILED_PRECONDITION
    assert list((await call(svc, "EraseSubject", erase, SOCIAL_DPO)).erased_shares) == []
    verdict = await verify(svc)
    assert verdict.intact and verdict.records_checked > 0


async def test_reidentification_is_the_sending_dpos_logged_act(
    infoshare_service: ServiceUnderTest,
) -> None:
    svc = infoshare_service
    await open_table(svc)
    for who in (SOCIAL_DPO, POLICE_DPO, BRIDGES_DPO):
        await attest_training(svc, who)
    share = (await send(svc, POLICE)).share.name
    request = pb.ReidentifySubjectRequest(share=share, reason="Court order 55/2026")

    found = await call(svc, "ReidentifySubject", request, SOCIAL_DPO)

    assert found.subject_reference == SUBJECT
    last = (await call(svc, "ListAuditRecords", pb.ListAuditRecordsRequest(), AUDITOR)).records[0]
    assert (last.action, last.resource, last.actor_username, last.reason) == (
        "subject.reidentify",
        share,
        SOCIAL_DPO.username,
        "Court order 55/2026",
    )
    for who, code in (
        (POLICE_DPO, grpc.StatusCode.PERMISSION_DENIED),
        (BRIDGES_DPO, grpc.StatusCode.NOT_FOUND),
    ):
        assert (await failure(svc, "ReidentifySubject", request, who)).code() == code
    unexplained = pb.ReidentifySubjectRequest(share=share)
    error = await failure(svc, "ReidentifySubject", unexplained, SOCIAL_DPO)
    assert [f for f, _ in violations_of(error)] == ["reason"]
    assert SUBJECT not in (error.details() or "")
