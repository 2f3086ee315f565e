"""Agreements over real gRPC: proposed, active only once every party's DPO signed, amended with
the old version in force until the new one is signed, reviewed, suspended and terminated; seen
only by parties and auditors; every step in the audit chain and the events in the outbox."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta

import grpc

from nlc.infoshare.v1 import agreements_pb2 as apb
from nlc.infoshare.v1 import events_pb2, purposes_pb2
from nlc.infoshare.v1 import infoshare_pb2 as pb
from services.common.auth import SYSTEM
from services.infoshare.handlers.agreements import announce_reviews_due
from tests.integration.infoshare.kit import (
    AUDITOR,
    BOTH,
    BRIDGES,
    BRIDGES_DPO,
    POLICE,
    POLICE_DPO,
    POLICE_OFFICER,
    PROVIDER,
    RECIPIENT,
    SOCIAL,
    SOCIAL_DPO,
    TODAY,
    active_agreement,
    call,
    create_purpose,
    failure,
    flow,
    org,
    propose_agreement,
    sign_all,
    terms,
    violated_fields,
)
from tests.support.handler_kit import staged_events
from tests.support.services import ServiceUnderTest

IDENTITY = purposes_pb2.DATA_CATEGORY_IDENTITY
FACT = purposes_pb2.DATA_CATEGORY_FACT
HEALTH = purposes_pb2.DATA_CATEGORY_HEALTH


def _social_police(**kwargs) -> apb.AgreementTerms:
    return terms(
        {SOCIAL: BOTH, POLICE: RECIPIENT},
        ["safeguarding-referral"],
        [flow(SOCIAL, POLICE, IDENTITY, FACT)],
        **kwargs,
    )


async def _sign(svc: ServiceUnderTest, name: str, version: int, who) -> apb.Agreement:
    request = pb.SignAgreementRequest(name=name, version=version)
    return await call(svc, "SignAgreement", request, who)


async def _events(svc: ServiceUnderTest, subject: str) -> list[events_pb2.AgreementChanged]:
    staged = await staged_events(svc.running.deps.sessions)
    return [e.decode(events_pb2.AgreementChanged) for e in staged if e.subject == subject]


async def _chain(svc: ServiceUnderTest, resource: str) -> list[tuple[str, str, str]]:
    request = pb.ListAuditRecordsRequest(resource=resource, page_size=100)
    listed = await call(svc, "ListAuditRecords", request, AUDITOR)
    records = sorted(listed.records, key=lambda r: r.sequence)
    return [(r.action, r.actor_username, r.agreement_version) for r in records]


async def test_active_only_once_every_party_signed(infoshare_service: ServiceUnderTest) -> None:
    svc = infoshare_service
    await create_purpose(svc)
    proposed = await propose_agreement(svc, _social_police())
    assert proposed.state == apb.AGREEMENT_STATE_PROPOSED
    assert proposed.sharing_status == apb.SHARING_STATUS_AWAITING_SIGNATURES
    assert (proposed.version_in_force, proposed.latest_version) == (0, 1)

    half = await _sign(svc, proposed.name, 1, SOCIAL_DPO)
    assert half.state == apb.AGREEMENT_STATE_PROPOSED
    assert [p.signed_by for p in half.terms.parties] == [SOCIAL_DPO.sub, ""]
    again = await failure(
        svc, "SignAgreement", pb.SignAgreementRequest(name=proposed.name, version=1), SOCIAL_DPO
    )
    assert again.code() == grpc.StatusCode.FAILED_PRECONDITION
    assert await _events(svc, "nlc.infoshare.agreement.activated") == []

    active = await _sign(svc, proposed.name, 1, POLICE_DPO)
    assert active.state == apb.AGREEMENT_STATE_ACTIVE
    assert active.sharing_status == apb.SHARING_STATUS_OPEN
    assert active.version_in_force == 1
    assert active.review_date == TODAY.replace(year=TODAY.year + 1).isoformat()
    [event] = await _events(svc, "nlc.infoshare.agreement.activated")
    assert (event.agreement, event.version) == (active.name, 1)
    assert list(event.parties) == [org(SOCIAL), org(POLICE)]

    version = f"{active.name}/versions/1"
    assert await _chain(svc, active.name) == [
        ("agreement.propose", SOCIAL_DPO.username, version),
        ("agreement.sign", SOCIAL_DPO.username, version),
        ("agreement.sign", POLICE_DPO.username, version),
        ("agreement.activate", POLICE_DPO.username, version),
    ]


async def test_signing_names_the_latest_version(infoshare_service: ServiceUnderTest) -> None:
    svc = infoshare_service
    await create_purpose(svc)
    proposed = await propose_agreement(svc, _social_police())
    stale = await failure(
        svc, "SignAgreement", pb.SignAgreementRequest(name=proposed.name, version=2), SOCIAL_DPO
    )
    assert stale.code() == grpc.StatusCode.FAILED_PRECONDITION
    assert "latest version" in stale.details()
    missing = await failure(
        svc, "SignAgreement", pb.SignAgreementRequest(name=proposed.name), SOCIAL_DPO
    )
    assert missing.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert violated_fields(missing) == ["version"]
    officer = await failure(
        svc, "SignAgreement", pb.SignAgreementRequest(name=proposed.name, version=1), POLICE_OFFICER
    )
    assert officer.code() == grpc.StatusCode.PERMISSION_DENIED


async def test_only_parties_and_auditors_see_an_agreement(
    infoshare_service: ServiceUnderTest,
) -> None:
    svc = infoshare_service
    await create_purpose(svc)
    agreement = await active_agreement(svc, _social_police())
    get = pb.GetAgreementRequest(name=agreement.name)
    assert (await call(svc, "GetAgreement", get, POLICE_OFFICER)).name == agreement.name
    assert (await call(svc, "GetAgreement", get, AUDITOR)).name == agreement.name
    hidden = await failure(svc, "GetAgreement", get, BRIDGES_DPO)
    assert hidden.code() == grpc.StatusCode.NOT_FOUND
    for method, request in [
        ("SignAgreement", pb.SignAgreementRequest(name=agreement.name, version=1)),
        ("SuspendAgreement", pb.SuspendAgreementRequest(name=agreement.name, reason="x")),
        ("ListAgreementVersions", pb.ListAgreementVersionsRequest(parent=agreement.name)),
    ]:
        error = await failure(svc, method, request, BRIDGES_DPO)
        assert error.code() == grpc.StatusCode.NOT_FOUND, method

    listed = await call(svc, "ListAgreements", pb.ListAgreementsRequest(), BRIDGES_DPO)
    assert list(listed.agreements) == []
    listed = await call(svc, "ListAgreements", pb.ListAgreementsRequest(), POLICE_OFFICER)
    assert [a.name for a in listed.agreements] == [agreement.name]
    only = pb.ListAgreementsRequest(organisation=org(BRIDGES))
    assert list((await call(svc, "ListAgreements", only, AUDITOR)).agreements) == []
    only = pb.ListAgreementsRequest(organisation=org(POLICE))
    assert [a.name for a in (await call(svc, "ListAgreements", only, AUDITOR)).agreements] == [
        agreement.name
    ]


async def test_amendment_leaves_the_old_version_in_force_until_signed(
    infoshare_service: ServiceUnderTest,
) -> None:
    svc = infoshare_service
    await create_purpose(svc)
    agreement = await active_agreement(svc, _social_police())
    wider = terms(
        {SOCIAL: BOTH, POLICE: BOTH, BRIDGES: RECIPIENT},
        ["safeguarding-referral"],
        [flow(SOCIAL, POLICE, IDENTITY, FACT, HEALTH), flow(POLICE, BRIDGES, FACT)],
    )
    stale = await failure(
        svc,
        "AmendAgreement",
        pb.AmendAgreementRequest(name=agreement.name, terms=wider, etag="1"),
        POLICE_DPO,
    )
    assert stale.code() == grpc.StatusCode.ABORTED
    request = pb.AmendAgreementRequest(name=agreement.name, terms=wider, etag=agreement.etag)
    amended = await call(svc, "AmendAgreement", request, POLICE_DPO)
    assert (amended.version_in_force, amended.latest_version) == (1, 2)
    assert amended.state == apb.AGREEMENT_STATE_ACTIVE
    assert amended.sharing_status == apb.SHARING_STATUS_OPEN
    assert len(amended.terms.parties) == 2

    seen = await call(svc, "GetAgreement", pb.GetAgreementRequest(name=agreement.name), BRIDGES_DPO)
    assert seen.latest_version == 2
    await sign_all(svc, amended)
    final = await call(svc, "GetAgreement", pb.GetAgreementRequest(name=agreement.name), AUDITOR)
    assert final.version_in_force == 2
    assert len(final.terms.parties) == 3
    versions = await call(
        svc,
        "ListAgreementVersions",
        pb.ListAgreementVersionsRequest(parent=agreement.name),
        AUDITOR,
    )
    assert [(v.version, v.status) for v in versions.versions] == [
        (1, "superseded"),
        (2, "in_force"),
    ]
    assert all(p.signed_by for v in versions.versions for p in v.terms.parties)
    activated = await _events(svc, "nlc.infoshare.agreement.activated")
    assert [e.version for e in activated] == [1, 2]


async def test_amending_requires_the_etag(infoshare_service: ServiceUnderTest) -> None:
    svc = infoshare_service
    await create_purpose(svc)
    agreement = await active_agreement(svc, _social_police())
    request = pb.AmendAgreementRequest(name=agreement.name, terms=_social_police(title="Wider"))

    error = await failure(svc, "AmendAgreement", request, POLICE_DPO)

    assert error.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert violated_fields(error) == ["etag"]
    unchanged = await call(
        svc, "GetAgreement", pb.GetAgreementRequest(name=agreement.name), AUDITOR
    )
    assert unchanged.latest_version == 1


async def test_an_amendment_signed_by_all_leaves_a_lapsed_review_lapsed(
    infoshare_service: ServiceUnderTest,
) -> None:
    svc = infoshare_service
    await create_purpose(svc)
    agreement = await active_agreement(svc, _social_police(review_interval_months=3))
    svc.clock.advance(timedelta(days=100))
    get = pb.GetAgreementRequest(name=agreement.name)
    lapsed = await call(svc, "GetAgreement", get, SOCIAL_DPO)
    wider = _social_police(review_interval_months=3, title="Wider")
    request = pb.AmendAgreementRequest(name=agreement.name, terms=wider, etag=lapsed.etag)

    await sign_all(svc, await call(svc, "AmendAgreement", request, POLICE_DPO))
    amended = await call(svc, "GetAgreement", get, SOCIAL_DPO)

    assert amended.version_in_force == 2
    assert amended.review_date == agreement.review_date
    assert amended.sharing_status == apb.SHARING_STATUS_REVIEW_LAPSED
    review = pb.ReviewAgreementRequest(name=agreement.name)
    reviewed = await call(svc, "ReviewAgreement", review, POLICE_DPO)
    assert reviewed.sharing_status == apb.SHARING_STATUS_OPEN


async def test_an_amendment_signed_while_suspended_does_not_announce_activation(
    infoshare_service: ServiceUnderTest,
) -> None:
    svc = infoshare_service
    await create_purpose(svc)
    agreement = await active_agreement(svc, _social_police())
    suspend = pb.SuspendAgreementRequest(name=agreement.name, reason="Breach under review")
    suspended = await call(svc, "SuspendAgreement", suspend, SOCIAL_DPO)
    wider = _social_police(title="Wider")
    request = pb.AmendAgreementRequest(name=agreement.name, terms=wider, etag=suspended.etag)

    signed = await sign_all(svc, await call(svc, "AmendAgreement", request, POLICE_DPO))

    assert (signed.version_in_force, signed.state) == (2, apb.AGREEMENT_STATE_SUSPENDED)
    assert signed.sharing_status == apb.SHARING_STATUS_SUSPENDED
    assert [e.version for e in await _events(svc, "nlc.infoshare.agreement.activated")] == [1]
    actions = [action for action, _, _ in await _chain(svc, agreement.name)]
    assert actions.count("agreement.activate") == 2
    review = pb.ReviewAgreementRequest(name=agreement.name)
    await call(svc, "ReviewAgreement", review, SOCIAL_DPO)
    assert [e.version for e in await _events(svc, "nlc.infoshare.agreement.activated")] == [1, 2]


async def test_lapsed_review_stops_sharing_until_reviewed(
    infoshare_service: ServiceUnderTest,
) -> None:
    svc = infoshare_service
    await create_purpose(svc)
    agreement = await active_agreement(svc, _social_police(review_interval_months=3))
    svc.clock.advance(timedelta(days=100))
    get = pb.GetAgreementRequest(name=agreement.name)
    lapsed = await call(svc, "GetAgreement", get, SOCIAL_DPO)
    assert lapsed.sharing_status == apb.SHARING_STATUS_REVIEW_LAPSED

    past = pb.ReviewAgreementRequest(name=agreement.name, next_review_date="2026-01-01")
    error = await failure(svc, "ReviewAgreement", past, POLICE_DPO)
    assert error.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert violated_fields(error) == ["next_review_date"]

    request = pb.ReviewAgreementRequest(name=agreement.name, notes="Flows still needed")
    reviewed = await call(svc, "ReviewAgreement", request, POLICE_DPO)
    today = svc.clock.now().date()
    assert reviewed.sharing_status == apb.SHARING_STATUS_OPEN
    assert reviewed.review_date == (today.replace(month=today.month + 3)).isoformat()
    assert reviewed.last_reviewed_by == POLICE_DPO.sub
    chain = await _chain(svc, agreement.name)
    assert chain[-1][:2] == ("agreement.review", POLICE_DPO.username)


async def test_suspend_review_and_terminate(infoshare_service: ServiceUnderTest) -> None:
    svc = infoshare_service
    await create_purpose(svc)
    agreement = await active_agreement(svc, _social_police())
    no_reason = await failure(
        svc, "SuspendAgreement", pb.SuspendAgreementRequest(name=agreement.name), POLICE_DPO
    )
    assert violated_fields(no_reason) == ["reason"]

    request = pb.SuspendAgreementRequest(name=agreement.name, reason="Data breach under review")
    suspended = await call(svc, "SuspendAgreement", request, POLICE_DPO)
    assert suspended.state == apb.AGREEMENT_STATE_SUSPENDED
    assert suspended.sharing_status == apb.SHARING_STATUS_SUSPENDED
    assert suspended.state_reason == "Data breach under review"
    [event] = await _events(svc, "nlc.infoshare.agreement.suspended")
    assert event.reason == "Data breach under review"

    review = pb.ReviewAgreementRequest(name=agreement.name)
    resumed = await call(svc, "ReviewAgreement", review, SOCIAL_DPO)
    assert resumed.state == apb.AGREEMENT_STATE_ACTIVE
    assert len(await _events(svc, "nlc.infoshare.agreement.activated")) == 2

    end = pb.TerminateAgreementRequest(name=agreement.name, reason="Service closed")
    terminated = await call(svc, "TerminateAgreement", end, SOCIAL_DPO)
    assert terminated.sharing_status == apb.SHARING_STATUS_TERMINATED
    assert len(await _events(svc, "nlc.infoshare.agreement.terminated")) == 1
    for method, message in [
        ("TerminateAgreement", end),
        ("SuspendAgreement", request),
        ("ReviewAgreement", review),
        (
            "AmendAgreement",
            pb.AmendAgreementRequest(
                name=agreement.name, terms=_social_police(), etag=terminated.etag
            ),
        ),
    ]:
        error = await failure(svc, method, message, SOCIAL_DPO)
        assert error.code() == grpc.StatusCode.FAILED_PRECONDITION, method


async def test_terms_are_checked_field_by_field(infoshare_service: ServiceUnderTest) -> None:
    svc = infoshare_service
    await create_purpose(svc, categories=[IDENTITY, FACT])
    bad = terms(
        {SOCIAL: PROVIDER, POLICE: RECIPIENT},
        ["safeguarding-referral", "unknown-purpose"],
        [flow(SOCIAL, POLICE, HEALTH), flow(POLICE, SOCIAL, FACT), flow(SOCIAL, BRIDGES, FACT)],
        valid_from="2027-01-01",
        valid_until="2026-12-31",
        review_interval_months=40,
    )
    error = await failure(
        svc, "ProposeAgreement", pb.ProposeAgreementRequest(terms=bad), SOCIAL_DPO
    )
    assert error.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert violated_fields(error) == [
        "terms.flows[0].categories",
        "terms.flows[1].provider",
        "terms.flows[1].recipient",
        "terms.flows[2].recipient",
        "terms.purposes[1]",
        "terms.review_interval_months",
        "terms.valid_until",
    ]
    unreadable = apb.AgreementTerms(
        title="x",
        parties=[apb.Party(organisation="organisations/nope"), apb.Party(organisation=org(POLICE))],
        purposes=["purposes/Bad Code"],
    )
    error = await failure(
        svc, "ProposeAgreement", pb.ProposeAgreementRequest(terms=unreadable), SOCIAL_DPO
    )
    assert violated_fields(error) == [
        "terms.parties[0].organisation",
        "terms.parties[0].role",
        "terms.parties[1].role",
        "terms.purposes[0]",
        "terms.valid_from",
        "terms.valid_until",
    ]
    not_mine = terms({POLICE: BOTH, BRIDGES: BOTH}, ["safeguarding-referral"], [])
    error = await failure(
        svc, "ProposeAgreement", pb.ProposeAgreementRequest(terms=not_mine), SOCIAL_DPO
    )
    assert error.code() == grpc.StatusCode.PERMISSION_DENIED


async def test_review_due_is_announced_once_per_review_date(
    infoshare_service: ServiceUnderTest,
) -> None:
    svc = infoshare_service
    deps = svc.running.deps
    await create_purpose(svc)
    agreement = await active_agreement(svc, _social_police(review_interval_months=2))
    assert await announce_reviews_due(deps.uow(SYSTEM)) == 0
    svc.clock.advance(timedelta(days=40))
    assert await announce_reviews_due(deps.uow(SYSTEM)) == 1
    assert await announce_reviews_due(deps.uow(SYSTEM)) == 0
    [event] = await _events(svc, "nlc.infoshare.agreement.review_due")
    assert (event.agreement, event.review_date) == (agreement.name, "2026-05-02")

    await call(svc, "ReviewAgreement", pb.ReviewAgreementRequest(name=agreement.name), SOCIAL_DPO)
    svc.clock.set(datetime(2026, 6, 20, 9, 0))
    assert await announce_reviews_due(deps.uow(SYSTEM)) == 1
    assert len(await _events(svc, "nlc.infoshare.agreement.review_due")) == 2


async def test_simultaneous_last_signatures_activate_once(
    infoshare_service: ServiceUnderTest,
) -> None:
    svc = infoshare_service
    await create_purpose(svc)
    proposed = await propose_agreement(svc, _social_police())
    signers = (SOCIAL_DPO, POLICE_DPO)
    outcomes = await asyncio.gather(
        *(_sign(svc, proposed.name, 1, who) for who in signers), return_exceptions=True
    )
    for who, outcome in zip(signers, outcomes, strict=True):
        if isinstance(outcome, grpc.aio.AioRpcError):
            assert outcome.code() == grpc.StatusCode.ABORTED
            await _sign(svc, proposed.name, 1, who)
    final = await call(svc, "GetAgreement", pb.GetAgreementRequest(name=proposed.name), AUDITOR)
    assert final.state == apb.AGREEMENT_STATE_ACTIVE
    assert len(await _events(svc, "nlc.infoshare.agreement.activated")) == 1
    actions = [action for action, _, _ in await _chain(svc, proposed.name)]
    assert actions.count("agreement.activate") == 1
    assert actions.count("agreement.sign") == 2
