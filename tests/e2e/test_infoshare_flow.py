"""Through `nlc up`: Social Services refers a person to the police and a youth charity under the
demo agreement; the police are notified with metadata only, read only what the agreement lets
them see, and the auditor finds the chain intact with both steps in it."""

from __future__ import annotations

import asyncio

import grpc
import nats
from nats.aio.msg import Msg

from nlc.infoshare.v1 import events_pb2, infoshare_pb2, infoshare_pb2_grpc, shares_pb2
from services.common.demo_ids import BRIDGES, POLICE
from tests.e2e.platform import Platform, access_token, bearer

PURPOSE = "purposes/safeguarding-referral"
TO_POLICE, TO_BRIDGES = f"organisations/{POLICE}", f"organisations/{BRIDGES}"
SUBJECT = "SOC-E2E-2026-0042"
REFERRAL = {
    "subject_name": "Jonas Veldt",
    "date_of_birth": "2008-11-02",
    "address": "14 Mill Lane, Riverton",
    "phone": "+00 555 0142",
    "referral_reason": "Repeatedly shares violent extremist videos with classmates.",
    "observed_facts": "Two teachers saw the videos on 4 and 11 March; the school logged both.",
    "risk_assessment": "Moderate; isolated since moving schools, responds well to his coach.",
    "health_notes": "Treated for anxiety since 2024.",
    "offending_history": "Caution for criminal damage, 2025.",
    "family_situation": "Lives with his father; older brother left home last year.",
}
NOTICE_DEADLINE_S = 30


async def _notice_for(notices: asyncio.Queue[Msg], share: str) -> Msg:
    """The first notice about share, skipping those about other (demo) shares."""
    while True:
        message = await notices.get()
        if events_pb2.ShareNotice.FromString(message.data).share == share:
            return message


async def test_a_referral_reaches_the_police_with_only_what_the_agreement_allows(
    platform: Platform,
) -> None:
    social = bearer(access_token(platform, "social"))
    police = bearer(access_token(platform, "police"))
    auditor = bearer(access_token(platform, "auditor"))
    notices: asyncio.Queue[Msg] = asyncio.Queue()
    connection = await nats.connect(platform.nats_url)
    await connection.subscribe(f"nlc.infoshare.share.delivered.{POLICE}", cb=notices.put)
    try:
        async with grpc.aio.insecure_channel(platform.infoshare_target) as channel:
            infoshare = infoshare_pb2_grpc.InfoshareServiceStub(channel)
            sent = await infoshare.SendShare(
                infoshare_pb2.SendShareRequest(
                    purpose=PURPOSE,
                    record_type="recordTypes/referral-case",
                    recipients=[TO_POLICE, TO_BRIDGES],
                    subject_reference=SUBJECT,
                    fields=REFERRAL,
                ),
                metadata=social,
                timeout=10,
            )
            decisions = {d.recipient: d for d in sent.decisions}
            assert set(decisions) == {TO_POLICE, TO_BRIDGES}
            # The demo agreement lets neither health notes nor the family situation go to police.
            police_decision = decisions[TO_POLICE]
            assert police_decision.outcome == shares_pb2.OUTCOME_MINIMISED
            assert {"health_notes", "family_situation"} <= set(police_decision.dropped_fields)
            assert police_decision.agreement_version.startswith("agreements/")
            assert decisions[TO_BRIDGES].outcome != shares_pb2.OUTCOME_DENIED

            message = await asyncio.wait_for(
                _notice_for(notices, sent.share.name), NOTICE_DEADLINE_S
            )
            notice = events_pb2.ShareNotice.FromString(message.data)
            assert (notice.recipient, notice.purpose) == (TO_POLICE, PURPOSE)
            for secret in (SUBJECT, *REFERRAL.values()):
                assert secret.encode() not in message.data

            content = await infoshare.FetchShare(
                infoshare_pb2.FetchShareRequest(name=sent.share.name, purpose=PURPOSE),
                metadata=police,
                timeout=10,
            )
            allowed = set(REFERRAL) - set(police_decision.dropped_fields)
            assert dict(content.fields) == {name: REFERRAL[name] for name in allowed}
            assert content.subject_pseudonym and SUBJECT not in content.subject_pseudonym
            assert content.agreement_version == police_decision.agreement_version

            verdict = await infoshare.VerifyAuditChain(
                infoshare_pb2.VerifyAuditChainRequest(), metadata=auditor, timeout=10
            )
            assert verdict.intact and verdict.first_broken_sequence == 0
            records = await infoshare.ListAuditRecords(
                infoshare_pb2.ListAuditRecordsRequest(resource=sent.share.name, page_size=50),
                metadata=auditor,
                timeout=10,
            )
    finally:
        await connection.close()
    steps = {(r.action, r.actor_username, r.decision) for r in records.records}
    assert ("share.send", "social", "minimised") in steps
    assert ("share.fetch", "police", "allowed") in steps
    assert verdict.records_checked >= len(records.records)
