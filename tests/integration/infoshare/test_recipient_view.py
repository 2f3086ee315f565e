"""What a recipient sees over gRPC: its own delivery without the names of the fields it was not
allowed, and content only as far as the version of its agreement in force now still allows."""

from __future__ import annotations

import grpc

from nlc.infoshare.v1 import infoshare_pb2 as pb
from nlc.infoshare.v1 import purposes_pb2 as C
from nlc.infoshare.v1 import shares_pb2 as spb
from tests.integration.infoshare.kit import (
    BOTH,
    BRIDGES,
    BRIDGES_DPO,
    BRIDGES_OFFICER,
    POLICE,
    RECIPIENT,
    SOCIAL,
    SOCIAL_DPO,
    SOCIAL_OFFICER,
    attest_training,
    call,
    failure,
    flow,
    org,
    sign_all,
    terms,
)
from tests.integration.infoshare.table import (
    FIELDS,
    PURPOSE_CATEGORIES,
    REFERRAL,
    SUBJECT,
    audit_of,
    fetch,
    open_table,
    send,
)
from tests.support.services import ServiceUnderTest

DROPPED = ["observed_facts", "health_notes"]


def _bare(delivery: spb.Delivery) -> tuple[list[str], str, int]:
    return list(delivery.dropped_fields), delivery.explanation, delivery.denial_reason


async def test_a_recipient_never_sees_the_fields_it_was_not_allowed(
    infoshare_service: ServiceUnderTest,
) -> None:
    svc = infoshare_service
    await open_table(svc)
    for who in (SOCIAL_DPO, BRIDGES_DPO):
        await attest_training(svc, who)
    share = (await send(svc, POLICE, BRIDGES)).share.name

    got = await call(svc, "GetShare", pb.GetShareRequest(name=share), BRIDGES_OFFICER)
    fetched = await fetch(svc, share, BRIDGES_OFFICER)
    lookup = pb.FindSubjectSharesRequest(subject_reference=SUBJECT)
    found = await call(svc, "FindSubjectShares", lookup, BRIDGES_DPO)
    sender = await call(svc, "GetShare", pb.GetShareRequest(name=share), SOCIAL_OFFICER)
    sender_found = await call(svc, "FindSubjectShares", lookup, SOCIAL_DPO)

    for seen in (got, fetched.share, found.shares[0]):
        assert [d.recipient for d in seen.deliveries] == [org(BRIDGES)]
        assert _bare(seen.deliveries[0]) == ([], "", 0)
        assert seen.deliveries[0].outcome == spb.OUTCOME_MINIMISED
    for seen in (sender, sender_found.shares[0]):
        bridges = {d.recipient: d for d in seen.deliveries}[org(BRIDGES)]
        assert list(bridges.dropped_fields) == DROPPED
        assert bridges.explanation


async def _amend(svc: ServiceUnderTest, agreement: str, *bridges_categories: int) -> None:
    """Amend the table's agreement so SOCIAL sends BRIDGES only these categories; every party
    signs, so the new version is in force."""
    current = await call(svc, "GetAgreement", pb.GetAgreementRequest(name=agreement), SOCIAL_DPO)
    narrower = terms(
        {SOCIAL: BOTH, POLICE: BOTH, BRIDGES: RECIPIENT},
        [REFERRAL],
        [
            flow(SOCIAL, POLICE, *PURPOSE_CATEGORIES),
            flow(SOCIAL, BRIDGES, *bridges_categories),
            flow(POLICE, SOCIAL, C.DATA_CATEGORY_FACT),
        ],
    )
    request = pb.AmendAgreementRequest(name=agreement, terms=narrower, etag=current.etag)
    await sign_all(svc, await call(svc, "AmendAgreement", request, SOCIAL_DPO))


async def test_reading_follows_the_agreement_version_in_force_now(
    infoshare_service: ServiceUnderTest,
) -> None:
    svc = infoshare_service
    table = await open_table(svc)
    share = (await send(svc, POLICE, BRIDGES)).share.name
    before = await fetch(svc, share, BRIDGES_OFFICER)
    assert set(before.fields) == {"subject_name", "referral_reason"}

    await _amend(svc, table.agreement, C.DATA_CATEGORY_IDENTITY)

    narrowed = await fetch(svc, share, BRIDGES_OFFICER)
    assert dict(narrowed.fields) == {"subject_name": FIELDS["subject_name"]}
    assert narrowed.agreement_version == f"{table.agreement}/versions/2"
    read = (await audit_of(svc, share))[0]
    assert (read.action, read.decision, read.agreement_version) == (
        "share.fetch",
        "allowed",
        f"{table.agreement}/versions/2",
    )
    assert "referral_reason" in read.reason and FIELDS["referral_reason"] not in read.reason

    await _amend(svc, table.agreement, C.DATA_CATEGORY_FACT)

    error = await failure(
        svc,
        "FetchShare",
        pb.FetchShareRequest(name=share, purpose=f"purposes/{REFERRAL}"),
        BRIDGES_OFFICER,
    )
    assert error.code() == grpc.StatusCode.FAILED_PRECONDITION
    refused = (await audit_of(svc, share))[0]
    assert (refused.action, refused.decision, refused.reason, refused.agreement_version) == (
        "share.fetch",
        "denied",
        "no_allowed_fields",
        f"{table.agreement}/versions/3",
    )
    assert await fetch(svc, share, SOCIAL_OFFICER)
