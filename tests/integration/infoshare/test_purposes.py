"""Purposes and record types over real gRPC: a DPO creates a purpose, every infoshare role reads
them, nobody else sees anything; record types are the four standard ones."""

from __future__ import annotations

import grpc

from nlc.infoshare.v1 import infoshare_pb2 as pb
from nlc.infoshare.v1 import purposes_pb2
from tests.integration.infoshare.kit import (
    AUDITOR,
    OUTSIDER,
    POLICE_OFFICER,
    SOCIAL_DPO,
    SOCIAL_OFFICER,
    call,
    create_purpose,
    failure,
    violated_fields,
)
from tests.support.services import ServiceUnderTest

CONSENT = purposes_pb2.LAWFUL_BASIS_CONSENT
IDENTITY = purposes_pb2.DATA_CATEGORY_IDENTITY
HEALTH = purposes_pb2.DATA_CATEGORY_HEALTH


async def test_a_dpo_creates_a_purpose_every_role_reads_it(
    infoshare_service: ServiceUnderTest,
) -> None:
    svc = infoshare_service
    created = await create_purpose(
        svc,
        "reintegration-support",
        categories=[HEALTH, IDENTITY, IDENTITY],
        lawful_basis=CONSENT,
        consent_required=True,
        retention_days=730,
    )
    assert created.name == "purposes/reintegration-support"
    assert list(created.data_categories) == [IDENTITY, HEALTH]
    assert created.created_by == SOCIAL_DPO.sub
    assert created.create_time.ToDatetime().date() == svc.clock.now().date()

    get = pb.GetPurposeRequest(name=created.name)
    for who in (SOCIAL_OFFICER, POLICE_OFFICER, AUDITOR):
        assert await call(svc, "GetPurpose", get, who) == created
    listed = await call(svc, "ListPurposes", pb.ListPurposesRequest(), AUDITOR)
    assert list(listed.purposes) == [created]

    taken = await failure(
        svc, "CreatePurpose", pb.CreatePurposeRequest(purpose=created), SOCIAL_DPO
    )
    assert taken.code() == grpc.StatusCode.ALREADY_EXISTS
    records = await call(
        svc, "ListAuditRecords", pb.ListAuditRecordsRequest(resource=created.name), AUDITOR
    )
    assert [(r.action, r.actor_username) for r in records.records] == [
        ("purpose.create", SOCIAL_DPO.username)
    ]


async def test_only_a_dpo_creates_and_outsiders_see_nothing(
    infoshare_service: ServiceUnderTest,
) -> None:
    svc = infoshare_service
    for who in (SOCIAL_OFFICER, AUDITOR, OUTSIDER):
        error = await failure(
            svc,
            "CreatePurpose",
            pb.CreatePurposeRequest(purpose=purposes_pb2.Purpose(code="x-y")),
            who,
        )
        assert error.code() == grpc.StatusCode.PERMISSION_DENIED
    for method, request in [
        ("ListPurposes", pb.ListPurposesRequest()),
        ("ListRecordTypes", pb.ListRecordTypesRequest()),
    ]:
        error = await failure(svc, method, request, OUTSIDER)
        assert error.code() == grpc.StatusCode.PERMISSION_DENIED
    missing = await failure(
        svc, "GetPurpose", pb.GetPurposeRequest(name="purposes/never-made"), AUDITOR
    )
    assert missing.code() == grpc.StatusCode.NOT_FOUND


async def test_a_bad_purpose_names_every_problem(infoshare_service: ServiceUnderTest) -> None:
    svc = infoshare_service
    bad = purposes_pb2.Purpose(
        code="Bad Code",
        description="  ",
        lawful_basis=0,
        data_categories=[],
        retention_days=4000,
    )
    error = await failure(svc, "CreatePurpose", pb.CreatePurposeRequest(purpose=bad), SOCIAL_DPO)
    assert error.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert violated_fields(error) == [
        "purpose.code",
        "purpose.data_categories",
        "purpose.description",
        "purpose.lawful_basis",
        "purpose.retention_days",
    ]
    consent = purposes_pb2.Purpose(
        code="ok-code",
        description="Support",
        lawful_basis=CONSENT,
        data_categories=[IDENTITY, 0, 99],
        retention_days=30,
    )
    error = await failure(
        svc, "CreatePurpose", pb.CreatePurposeRequest(purpose=consent), SOCIAL_DPO
    )
    assert violated_fields(error) == ["purpose.data_categories[1]", "purpose.data_categories[2]"]
    consent.data_categories[:] = [IDENTITY]
    error = await failure(
        svc, "CreatePurpose", pb.CreatePurposeRequest(purpose=consent), SOCIAL_DPO
    )
    assert violated_fields(error) == ["purpose.consent_required"]


async def test_the_standard_record_types(infoshare_service: ServiceUnderTest) -> None:
    svc = infoshare_service
    listed = await call(svc, "ListRecordTypes", pb.ListRecordTypesRequest(), POLICE_OFFICER)
    assert [t.name for t in listed.record_types] == [
        "recordTypes/incident-report",
        "recordTypes/referral-case",
        "recordTypes/reintegration-plan",
        "recordTypes/trend-summary",
    ]
    referral = await call(
        svc, "GetRecordType", pb.GetRecordTypeRequest(name="recordTypes/referral-case"), AUDITOR
    )
    fields = {f.name: f for f in referral.fields}
    assert fields["health_notes"].category == HEALTH
    assert fields["subject_name"].required
    assert not fields["phone"].required
    unknown = await failure(
        svc, "GetRecordType", pb.GetRecordTypeRequest(name="recordTypes/diary"), AUDITOR
    )
    assert unknown.code() == grpc.StatusCode.NOT_FOUND
    malformed = await failure(
        svc, "GetRecordType", pb.GetRecordTypeRequest(name="purposes/diary"), AUDITOR
    )
    assert violated_fields(malformed) == ["name"]
