"""The infoshare demo, seeded once through the handlers, as the demo users see it over gRPC."""

from __future__ import annotations

from nlc.infoshare.v1 import agreements_pb2, infoshare_pb2, shares_pb2
from services.common.demo_ids import CENTRE, POLICE
from services.infoshare.demo import seed_demo
from tests.support.services import ServiceUnderTest

OPEN = agreements_pb2.SHARING_STATUS_OPEN
LAPSED = agreements_pb2.SHARING_STATUS_REVIEW_LAPSED
INBOX = infoshare_pb2.MAILBOX_INBOX
SENT = infoshare_pb2.MAILBOX_SENT
REFERRAL, TREND = "recordTypes/referral-case", "recordTypes/trend-summary"


async def _agreements(svc: ServiceUnderTest, username: str) -> dict[str, int]:
    listed = await svc.call(
        "ListAgreements", infoshare_pb2.ListAgreementsRequest(), as_user=username
    )
    return {a.terms.title: a.sharing_status for a in listed.agreements}


async def _shares(svc: ServiceUnderTest, username: str, mailbox: int) -> list[shares_pb2.Share]:
    request = infoshare_pb2.ListSharesRequest(mailbox=mailbox, page_size=50)
    return list((await svc.call("ListShares", request, as_user=username)).shares)


async def test_the_demo_seeds_once_an_open_table_a_lapsed_agreement_and_shares(
    infoshare_service: ServiceUnderTest,
) -> None:
    svc = infoshare_service
    assert await seed_demo(svc.running.deps) is True
    assert await seed_demo(svc.running.deps) is False

    assert await _agreements(svc, "social-dpo") == {
        "Riverton multi-agency safeguarding table": OPEN,
        "National prevention centre and Riverton Social Services: trend reporting": LAPSED,
    }
    assert set(await _agreements(svc, "bridges-dpo")) == {
        "Riverton multi-agency safeguarding table"
    }

    inbox = await _shares(svc, "police", INBOX)
    assert sorted(s.record_type for s in inbox) == [REFERRAL, TREND]
    referral = next(s for s in inbox if s.record_type == REFERRAL)
    content = await svc.call(
        "FetchShare",
        infoshare_pb2.FetchShareRequest(name=referral.name, purpose=referral.purpose),
        as_user="police",
    )
    assert "subject_name" in content.fields
    assert not {"health_notes", "family_situation"} & set(content.fields)

    sent = await _shares(svc, "social", SENT)
    trend = next(s for s in sent if s.record_type == TREND)
    outcomes = {d.recipient: d.outcome for d in trend.deliveries}
    assert outcomes == {
        f"organisations/{POLICE}": shares_pb2.OUTCOME_DELIVERED,
        f"organisations/{CENTRE}": shares_pb2.OUTCOME_DENIED,
    }
    assert len(sent) == 2  # the all-or-nothing referral was refused outright: nothing stored

    verdict = await svc.call(
        "VerifyAuditChain", infoshare_pb2.VerifyAuditChainRequest(), as_user="auditor"
    )
    assert verdict.intact
    records = await svc.call(
        "ListAuditRecords", infoshare_pb2.ListAuditRecordsRequest(page_size=200), as_user="auditor"
    )
    denials = {r.reason for r in records.records if r.decision == "denied"}
    assert {"review_lapsed", "all_or_nothing"} <= denials
