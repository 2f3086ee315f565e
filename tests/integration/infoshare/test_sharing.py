"""Sending and reading over gRPC: a decision per recipient (delivered, minimised, denied with its
own reason), what a recipient may read, refusals on the record, and per-agreement pseudonyms."""

from __future__ import annotations

from datetime import timedelta

import grpc
import pytest

from nlc.infoshare.v1 import infoshare_pb2 as pb
from nlc.infoshare.v1 import purposes_pb2
from nlc.infoshare.v1 import shares_pb2 as spb
from services.common.rich_status import violations_of
from tests.integration.infoshare.kit import (
    BOTH,
    BRIDGES,
    BRIDGES_OFFICER,
    CENTRE,
    POLICE,
    POLICE_OFFICER,
    SOCIAL,
    SOCIAL_OFFICER,
    User,
    active_agreement,
    attest_training,
    call,
    create_purpose,
    failure,
    flow,
    officer,
    org,
    purpose_name,
    record_type_name,
    terms,
)
from tests.integration.infoshare.table import (
    FIELDS,
    PURPOSE_CATEGORIES,
    REFERRAL,
    audit_of,
    fetch,
    fetch_request,
    open_table,
    send,
    send_request,
)
from tests.support.services import ServiceUnderTest

C = purposes_pb2
DELIVERED, MINIMISED, DENIED = spb.OUTCOME_DELIVERED, spb.OUTCOME_MINIMISED, spb.OUTCOME_DENIED
ALL_OR_NOTHING = spb.DENIAL_REASON_ALL_OR_NOTHING


def outcomes(response: pb.SendShareResponse) -> dict[str, tuple[int, int, tuple[str, ...]]]:
    return {
        d.recipient: (d.outcome, d.denial_reason, tuple(d.dropped_fields))
        for d in response.decisions
    }


async def test_each_recipient_gets_its_own_decision(infoshare_service: ServiceUnderTest) -> None:
    svc = infoshare_service
    table = await open_table(svc)

    sent = await send(svc, POLICE, BRIDGES, CENTRE)

    assert outcomes(sent) == {
        org(POLICE): (DELIVERED, 0, ()),
        org(BRIDGES): (MINIMISED, 0, ("observed_facts", "health_notes")),
        org(CENTRE): (DENIED, spb.DENIAL_REASON_NOT_A_PARTY, ()),
    }
    versions = {d.recipient: d.agreement_version for d in sent.decisions}
    assert versions == {org(POLICE): table.version, org(BRIDGES): table.version, org(CENTRE): ""}
    assert all(d.explanation for d in sent.decisions)
    assert sent.share.name.startswith("shares/")
    assert (sent.share.sender, sent.share.state) == (org(SOCIAL), spb.SHARE_STATE_ACTIVE)
    assert sent.share.expire_time.ToDatetime() - sent.share.send_time.ToDatetime() == timedelta(
        days=365
    )
    denied = [d for d in sent.share.deliveries if d.outcome == DENIED]
    assert [d.recipient for d in denied] == [org(CENTRE)]


async def test_recipients_read_only_the_fields_their_agreement_allows(
    infoshare_service: ServiceUnderTest,
) -> None:
    svc = infoshare_service
    table = await open_table(svc)
    share = (await send(svc, POLICE, BRIDGES)).share.name

    police = await fetch(svc, share, POLICE_OFFICER)
    bridges = await fetch(svc, share, BRIDGES_OFFICER)
    sender = await fetch(svc, share, SOCIAL_OFFICER)

    assert dict(police.fields) == FIELDS
    assert dict(bridges.fields) == {k: FIELDS[k] for k in ("subject_name", "referral_reason")}
    assert dict(sender.fields) == FIELDS
    assert (police.agreement_version, sender.agreement_version) == (table.version, "")
    assert len(police.subject_pseudonym) == 64 and sender.subject_pseudonym == ""
    assert [d.recipient for d in bridges.share.deliveries] == [org(BRIDGES)]
    reads = [r for r in await audit_of(svc, share) if r.action == "share.fetch"]
    assert [(r.actor_username, r.decision) for r in reads] == [
        ("social", "allowed"),
        ("bridges", "allowed"),
        ("police", "allowed"),
    ]


async def test_nobody_else_may_see_or_read_a_share(infoshare_service: ServiceUnderTest) -> None:
    svc = infoshare_service
    await open_table(svc)
    share = (await send(svc, POLICE, CENTRE)).share.name
    centre = officer(CENTRE)
    await attest_training(svc, centre)

    for method, request in (
        ("GetShare", pb.GetShareRequest(name=share)),
        ("FetchShare", pb.FetchShareRequest(name=share, purpose=purpose_name(REFERRAL))),
    ):
        error = await failure(svc, method, request, centre)
        assert error.code() == grpc.StatusCode.NOT_FOUND
    inbox = await call(svc, "ListShares", pb.ListSharesRequest(mailbox=pb.MAILBOX_INBOX), centre)
    assert list(inbox.shares) == []
    police_inbox = await call(
        svc, "ListShares", pb.ListSharesRequest(mailbox=pb.MAILBOX_INBOX), POLICE_OFFICER
    )
    assert [s.name for s in police_inbox.shares] == [share]
    sent = await call(
        svc, "ListShares", pb.ListSharesRequest(mailbox=pb.MAILBOX_SENT), SOCIAL_OFFICER
    )
    assert [s.name for s in sent.shares] == [share]


async def test_all_or_nothing_refuses_rather_than_drops(infoshare_service: ServiceUnderTest):
    svc = infoshare_service
    await open_table(svc)

    sent = await send(svc, POLICE, BRIDGES, all_or_nothing=True)
    assert outcomes(sent) == {
        org(POLICE): (DELIVERED, 0, ()),
        org(BRIDGES): (
            DENIED,
            spb.DENIAL_REASON_ALL_OR_NOTHING,
            ("observed_facts", "health_notes"),
        ),
    }

    nobody = await send(svc, BRIDGES, all_or_nothing=True)
    assert nobody.share.name == ""
    assert [d.denial_reason for d in nobody.decisions] == [ALL_OR_NOTHING]
    sends = [r for r in await audit_of(svc) if r.action == "share.send"]
    assert [(r.decision, r.reason) for r in sends[:1]] == [("denied", "all_or_nothing")]


async def test_a_recipient_allowed_none_of_the_fields_is_denied(
    infoshare_service: ServiceUnderTest,
) -> None:
    svc = infoshare_service
    await open_table(svc)
    incident = await send(
        svc,
        BRIDGES,
        POLICE,
        record_type=record_type_name("incident-report"),
        fields={"incident_date": "2026-03-01", "description": "Leaflets"},
    )
    assert outcomes(incident) == {
        org(BRIDGES): (
            DENIED,
            spb.DENIAL_REASON_NO_ALLOWED_FIELDS,
            ("incident_date", "description"),
        ),
        org(POLICE): (DELIVERED, 0, ()),
    }


async def test_the_other_direction_and_other_purposes_are_not_covered(
    infoshare_service: ServiceUnderTest,
) -> None:
    svc = infoshare_service
    await open_table(svc)
    fact = {"incident_date": "2026-03-01", "description": "Graffiti"}
    to_bridges = pb.SendShareRequest(
        purpose=purpose_name(REFERRAL),
        record_type=record_type_name("incident-report"),
        recipients=[org(BRIDGES)],
        subject_reference="P-1",
        fields=fact,
    )
    police_to_bridges = await call(svc, "SendShare", to_bridges, POLICE_OFFICER)
    assert outcomes(police_to_bridges)[org(BRIDGES)][1] == spb.DENIAL_REASON_DIRECTION_NOT_COVERED

    await create_purpose(svc, "trend-analysis", categories=[C.DATA_CATEGORY_FACT])
    other = await send(svc, POLICE, purpose=purpose_name("trend-analysis"))
    assert outcomes(other)[org(POLICE)][1] == spb.DENIAL_REASON_PURPOSE_NOT_COVERED


async def test_a_lapsed_review_stops_sending_and_reading(infoshare_service: ServiceUnderTest):
    svc = infoshare_service
    table = await open_table(svc, review_interval_months=1)
    share = (await send(svc, POLICE)).share.name

    svc.clock.advance(timedelta(days=40))

    again = await send(svc, POLICE)
    assert outcomes(again)[org(POLICE)][:2] == (DENIED, spb.DENIAL_REASON_REVIEW_LAPSED)
    assert again.decisions[0].agreement_version == table.version
    error = await failure(svc, "FetchShare", fetch_request(share), POLICE_OFFICER)
    assert error.code() == grpc.StatusCode.FAILED_PRECONDITION
    assert "review" in (error.details() or "")
    last = (await audit_of(svc, share))[0]
    assert (last.action, last.decision, last.reason) == ("share.fetch", "denied", "review_lapsed")


async def test_an_expired_agreement_stops_sending(infoshare_service: ServiceUnderTest) -> None:
    svc = infoshare_service
    await open_table(svc, valid_until="2026-03-31", review_interval_months=1)
    svc.clock.advance(timedelta(days=30))

    sent = await send(svc, POLICE)
    assert outcomes(sent)[org(POLICE)][:2] == (DENIED, spb.DENIAL_REASON_EXPIRED)
    assert sent.share.name == ""


async def test_reading_for_another_purpose_is_refused_on_the_record(
    infoshare_service: ServiceUnderTest,
) -> None:
    svc = infoshare_service
    await open_table(svc)
    await create_purpose(svc, "trend-analysis", categories=[C.DATA_CATEGORY_FACT])
    share = (await send(svc, POLICE)).share.name

    error = await failure(svc, "FetchShare", fetch_request(share, "trend-analysis"), POLICE_OFFICER)

    assert error.code() == grpc.StatusCode.FAILED_PRECONDITION
    assert "purpose mismatch" in (error.details() or "")
    assert [f for f, _ in violations_of(error)] == ["purpose"]
    last = (await audit_of(svc, share))[0]
    assert (last.action, last.decision, last.reason, last.purpose) == (
        "share.fetch",
        "denied",
        "purpose_mismatch",
        "purposes/trend-analysis",
    )


@pytest.mark.parametrize("method", ["SendShare", "FetchShare"])
async def test_without_current_training_nobody_sends_or_reads(
    infoshare_service: ServiceUnderTest, method: str
) -> None:
    svc = infoshare_service
    await open_table(svc)
    share = (await send(svc, POLICE)).share.name
    untrained = User("untrained-sub", "untrained", POLICE_OFFICER.roles, POLICE)
    stale = User("stale-sub", "stale", SOCIAL_OFFICER.roles, SOCIAL)
    await attest_training(svc, stale, completed_on="2025-03-20")
    svc.clock.advance(timedelta(days=20))
    request = send_request(POLICE) if method == "SendShare" else fetch_request(share)

    for who in (untrained, stale):
        error = await failure(svc, method, request, who)
        assert error.code() == grpc.StatusCode.FAILED_PRECONDITION
        assert [f for f, _ in violations_of(error)] == ["training"]
    refusals = [r for r in await audit_of(svc) if r.reason == "no_training"]
    assert sorted(r.actor_username for r in refusals) == ["stale", "untrained"]
    assert {r.decision for r in refusals} == {"denied"}


async def test_consent_is_required_where_the_purpose_says_so(infoshare_service: ServiceUnderTest):
    svc = infoshare_service
    await open_table(svc)
    await create_purpose(
        svc,
        "reintegration-support",
        categories=PURPOSE_CATEGORIES,
        lawful_basis=C.LAWFUL_BASIS_CONSENT,
        consent_required=True,
    )
    request = send_request(POLICE, purpose=purpose_name("reintegration-support"))

    error = await failure(svc, "SendShare", request, SOCIAL_OFFICER)

    assert error.code() == grpc.StatusCode.FAILED_PRECONDITION
    assert "consent required" in (error.details() or "")
    last = (await audit_of(svc))[0]
    assert (last.action, last.decision, last.reason) == ("share.send", "denied", "consent_required")
    request.consent.CopyFrom(pb.Consent(obtained=True, reference="Consent form 17"))
    sent = await call(svc, "SendShare", request, SOCIAL_OFFICER)
    assert outcomes(sent)[org(POLICE)][1] == spb.DENIAL_REASON_PURPOSE_NOT_COVERED


async def test_bad_requests_name_fields_but_never_quote_values(
    infoshare_service: ServiceUnderTest,
) -> None:
    svc = infoshare_service
    await open_table(svc)
    secret = "Ms Confidential Person"
    request = send_request(
        SOCIAL,
        POLICE,
        fields={"subject_name": secret * 600, "referral_reason": ""},
        subject_reference=secret * 20,
    )
    error = await failure(svc, "SendShare", request, SOCIAL_OFFICER)
    assert error.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert [f for f, _ in violations_of(error)] == [
        "recipients[0]",
        "subject_reference",
        "fields.subject_name",
        "fields.referral_reason",
    ]
    assert secret not in (error.details() or "")


async def test_pseudonyms_are_stable_within_an_agreement_and_differ_across(
    infoshare_service: ServiceUnderTest,
) -> None:
    svc = infoshare_service
    await open_table(svc)
    separate = terms(
        {SOCIAL: BOTH, CENTRE: BOTH},
        [REFERRAL],
        [flow(SOCIAL, CENTRE, *PURPOSE_CATEGORIES)],
        title="Social and the centre",
    )
    await active_agreement(svc, separate)
    centre = officer(CENTRE)
    await attest_training(svc, centre)

    first = (await send(svc, POLICE, CENTRE, subject_reference="Case 77")).share.name
    second = (await send(svc, POLICE, subject_reference=" case 77 ")).share.name
    other = (await send(svc, POLICE, subject_reference="Case 78")).share.name

    async def pseudonym(share: str, who: User) -> str:
        return (await call(svc, "GetShare", pb.GetShareRequest(name=share), who)).subject_pseudonym

    police_first = await pseudonym(first, POLICE_OFFICER)
    assert police_first == await pseudonym(second, POLICE_OFFICER)
    assert police_first != await pseudonym(first, centre)
    assert police_first != await pseudonym(other, POLICE_OFFICER)
    assert await pseudonym(first, SOCIAL_OFFICER) == ""
