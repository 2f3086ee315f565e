"""Refusals on the record over gRPC: acting on a share one may not see, is not party to in that
role, or that is no longer active is denied and recorded; corrections change values only;
erasure shows a fixed reason; consent stays sealed; a malformed token organisation is refused."""

from __future__ import annotations

import grpc
import pytest
from sqlalchemy import select

from nlc.infoshare.v1 import infoshare_pb2 as pb
from nlc.infoshare.v1 import purposes_pb2
from nlc.infoshare.v1 import shares_pb2 as spb
from services.common.auth import Role
from services.infoshare.handlers.sealing import unseal_version
from services.infoshare.orm.tables import share_contents
from tests.integration.infoshare.kit import (
    BOTH,
    CENTRE,
    POLICE,
    POLICE_DPO,
    POLICE_OFFICER,
    SOCIAL,
    SOCIAL_DPO,
    SOCIAL_OFFICER,
    User,
    active_agreement,
    attest_training,
    call,
    create_purpose,
    dpo,
    failure,
    flow,
    officer,
    purpose_name,
    terms,
    violated_fields,
)
from tests.integration.infoshare.table import (
    FIELDS,
    PURPOSE_CATEGORIES,
    SUBJECT,
    audit_of,
    open_table,
    send,
    send_request,
)
from tests.support.services import ServiceUnderTest


async def _last(svc: ServiceUnderTest, resource: str) -> tuple[str, str, str, str]:
    r = (await audit_of(svc, resource))[0]
    return r.action, r.actor_username, r.decision, r.reason


async def test_refusals_to_act_on_a_share_are_recorded(
    infoshare_service: ServiceUnderTest,
) -> None:
    svc = infoshare_service
    await open_table(svc)
    centre = officer(CENTRE)
    for who in (SOCIAL_DPO, POLICE_DPO, dpo(CENTRE), centre):
        await attest_training(svc, who)
    share = (await send(svc, POLICE)).share.name
    fix = pb.CorrectShareRequest(name=share, fields={"subject_name": "A"}, reason="typo")
    revoke = pb.RevokeShareRequest(name=share, reason="sent in error")
    reidentify = pb.ReidentifySubjectRequest(share=share, reason="court order")
    read = pb.FetchShareRequest(name=share, purpose="purposes/x-y")
    ack1 = pb.AcknowledgeShareRequest(name=share, content_version=1)
    ack2 = pb.AcknowledgeShareRequest(name=share, content_version=2)
    denied, missing, failed = "PERMISSION_DENIED", "NOT_FOUND", "FAILED_PRECONDITION"

    for method, request, who, code, reason in (
        ("CorrectShare", fix, POLICE_OFFICER, denied, "not_the_sender"),
        ("RevokeShare", revoke, POLICE_OFFICER, denied, "not_the_sender"),
        ("RevokeShare", revoke, centre, missing, "not_found"),
        ("FetchShare", read, centre, missing, "not_found"),
        ("AcknowledgeShare", ack1, SOCIAL_OFFICER, denied, "not_a_recipient"),
        ("AcknowledgeShare", ack2, POLICE_OFFICER, failed, "bad_content_version"),
        ("AcknowledgeShare", ack1, centre, missing, "not_found"),
        ("ReidentifySubject", reidentify, POLICE_DPO, denied, "not_the_sender"),
        ("ReidentifySubject", reidentify, dpo(CENTRE), missing, "not_found"),
    ):
        error = await failure(svc, method, request, who)
        assert error.code().name == code, method
        _, username, decision, why = await _last(svc, share)
        assert (username, decision, why) == (who.username, "denied", reason), method
        if code == "NOT_FOUND":
            assert (error.details() or "") == f"share {share.removeprefix('shares/')} not found"
            assert (await audit_of(svc, share))[0].purpose == ""

    await call(svc, "RevokeShare", revoke, SOCIAL_OFFICER)
    for method, request in (("RevokeShare", revoke), ("CorrectShare", fix)):
        error = await failure(svc, method, request, SOCIAL_OFFICER)
        assert error.code() == grpc.StatusCode.FAILED_PRECONDITION, method
        assert (await _last(svc, share))[2:] == ("denied", "revoked"), method


async def test_acknowledged_versions_count_from_one(infoshare_service: ServiceUnderTest) -> None:
    svc = infoshare_service
    await open_table(svc)
    share = (await send(svc, POLICE)).share.name
    for version in (0, -1):
        request = pb.AcknowledgeShareRequest(name=share, content_version=version)
        error = await failure(svc, "AcknowledgeShare", request, POLICE_OFFICER)
        assert error.code() == grpc.StatusCode.INVALID_ARGUMENT
        assert violated_fields(error) == ["content_version"]


async def test_a_correction_changes_values_but_adds_no_field(
    infoshare_service: ServiceUnderTest,
) -> None:
    svc = infoshare_service
    await open_table(svc)
    partial = {k: v for k, v in FIELDS.items() if k != "health_notes"}
    share = (await send(svc, POLICE, fields=partial)).share.name
    request = pb.CorrectShareRequest(
        name=share, fields={"health_notes": "Now known", "observed_facts": "x"}, reason="more"
    )

    error = await failure(svc, "CorrectShare", request, SOCIAL_OFFICER)

    assert error.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert violated_fields(error) == ["fields[health_notes]"]
    assert "send a new share" in (error.details() or "")
    assert "Now known" not in (error.details() or "")


async def test_a_subject_erasure_shows_recipients_a_fixed_reason(
    infoshare_service: ServiceUnderTest,
) -> None:
    svc = infoshare_service
    await open_table(svc)
    await attest_training(svc, SOCIAL_DPO)
    share = (await send(svc, POLICE)).share.name
    words = "Letter from the subject's solicitor, ref 77"
    erase = pb.EraseSubjectRequest(subject_reference=SUBJECT, reason=words)

    await call(svc, "EraseSubject", erase, SOCIAL_DPO)

    seen = await call(svc, "GetShare", pb.GetShareRequest(name=share), POLICE_OFFICER)
    assert (seen.state, seen.state_reason) == (spb.SHARE_STATE_ERASED, "subject_erasure")
    erased = (await audit_of(svc, share))[0]
    assert (erased.action, erased.reason) == ("share.erase", f"subject_erasure: {words}")


async def test_consent_relied_on_is_sealed_and_noted_in_the_audit(
    infoshare_service: ServiceUnderTest,
) -> None:
    svc = infoshare_service
    await open_table(svc)
    code = "reintegration-support"
    await create_purpose(
        svc,
        code,
        categories=PURPOSE_CATEGORIES,
        lawful_basis=purposes_pb2.LAWFUL_BASIS_CONSENT,
        consent_required=True,
    )
    await active_agreement(
        svc,
        terms(
            {SOCIAL: BOTH, POLICE: BOTH},
            [code],
            [flow(SOCIAL, POLICE, *PURPOSE_CATEGORIES)],
            title="Reintegration",
        ),
    )
    untrained = User("consent-untrained", "consent-untrained", SOCIAL_OFFICER.roles, SOCIAL)
    request = send_request(POLICE, purpose=purpose_name(code))
    await failure(svc, "SendShare", request, untrained)
    assert (await audit_of(svc))[0].purpose == purpose_name(code)
    reference = "Consent form 17, filed 2026-02-01"
    request.consent.CopyFrom(pb.Consent(obtained=True, reference=reference))

    sent = await call(svc, "SendShare", request, SOCIAL_OFFICER)

    share = sent.share.name
    assert sent.decisions[0].outcome == spb.OUTCOME_DELIVERED
    entry = (await audit_of(svc, share))[0]
    assert (entry.action, entry.reason) == ("share.send", "consent recorded")
    deps = svc.running.deps
    share_id = share.removeprefix("shares/")
    async with deps.sessions() as session:
        sealed = list(await session.scalars(select(share_contents.c.ciphertext)))
        content = await unseal_version(session, deps.keyring, share_id, 1)
    assert all(reference.encode() not in bytes(c) for c in sealed)
    assert content.consent_reference == reference


SOME_SHARE = f"shares/{SOCIAL}"


@pytest.mark.parametrize(
    "method,request_",
    [
        ("SendShare", send_request(POLICE)),
        ("FetchShare", pb.FetchShareRequest(name=SOME_SHARE, purpose="purposes/ab")),
        ("AcknowledgeShare", pb.AcknowledgeShareRequest(name=SOME_SHARE, content_version=1)),
        ("RevokeShare", pb.RevokeShareRequest(name=SOME_SHARE, reason="x")),
        ("FindSubjectShares", pb.FindSubjectSharesRequest(subject_reference="someone")),
        ("EraseSubject", pb.EraseSubjectRequest(subject_reference="someone", reason="x")),
    ],
)
async def test_a_token_organisation_that_is_no_id_is_refused(
    infoshare_service: ServiceUnderTest, method: str, request_: object
) -> None:
    svc = infoshare_service
    await open_table(svc)
    role = Role.DATA_PROTECTION_OFFICER if "Subject" in method else Role.INFOSHARE_OFFICER
    odd = User("odd-org-sub", "odd-org", (role,), "x" * 300)

    error = await failure(svc, method, request_, odd)

    assert error.code() == grpc.StatusCode.PERMISSION_DENIED
    assert error.details() == "your token's organisation is not recognised"
