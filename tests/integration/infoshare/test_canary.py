"""Canary values sent as field content and as the subject reference go through every share
action, and never appear in clear in a log line, a message on the NLC_INFOSHARE stream, or any
row of any table of the service's schema (kit tables included), as text or as bytes."""

from __future__ import annotations

import json
import logging
from datetime import timedelta
from typing import Any

import grpc
import pytest
from sqlalchemy import select

from nlc.infoshare.v1 import infoshare_pb2 as pb
from services.common.auth import SYSTEM
from services.common.kit_tables import KIT_METADATA
from services.infoshare.handlers.retention import erase_expired
from services.infoshare.orm import METADATA
from tests.integration.infoshare.kit import (
    BRIDGES,
    CENTRE,
    POLICE,
    POLICE_OFFICER,
    SOCIAL_DPO,
    SOCIAL_OFFICER,
    User,
    attest_training,
    call,
    failure,
)
from tests.integration.infoshare.stream import published
from tests.integration.infoshare.table import (
    fetch,
    fetch_request,
    open_table,
    send,
    send_request,
)
from tests.support.services import ServiceUnderTest

CANARY_FIELD = "Canary-Field-7f3a9c41"
CANARY_SUBJECT = "Canary-Subject-0b9e44d2"
CANARIES = (CANARY_FIELD, CANARY_SUBJECT)
FIELDS = {
    "subject_name": f"Name {CANARY_FIELD}",
    "referral_reason": f"Reason {CANARY_FIELD}",
    "health_notes": f"Health {CANARY_FIELD}",
}


def _forms(canary: str) -> list[str]:
    """The canary as sent, and as the service normalises subject references."""
    return [canary, canary.strip().casefold()]


def leaks(text: str) -> list[str]:
    return [form for c in CANARIES for form in _forms(c) if form in text]


def leaks_bytes(data: bytes) -> list[str]:
    found = []
    for c in CANARIES:
        for form in _forms(c):
            if form.encode() in data or form.encode("utf-16-le") in data:
                found.append(form)
    return found


def _value_leaks(value: Any) -> list[str]:
    if isinstance(value, bytes | bytearray | memoryview):
        return leaks_bytes(bytes(value))
    if isinstance(value, str):
        return leaks(value)
    if isinstance(value, dict | list):
        return leaks(json.dumps(value, ensure_ascii=False))
    return leaks(str(value)) if value is not None else []


async def exercise(svc: ServiceUnderTest) -> None:
    """Send, refuse, read, acknowledge, correct, look up, re-identify, erase, expire, and
    leave one share sealed at rest."""
    await open_table(svc, retention_days=30)
    await attest_training(svc, SOCIAL_DPO)
    canary = {"subject_reference": CANARY_SUBJECT, "fields": FIELDS}
    first = (await send(svc, POLICE, BRIDGES, CENTRE, **canary)).share.name
    second = (await send(svc, POLICE, **canary)).share.name
    await send(svc, BRIDGES, all_or_nothing=True, **canary)
    await fetch(svc, first, POLICE_OFFICER)
    await fetch(svc, first, SOCIAL_OFFICER)
    untrained = User("untrained-sub", "untrained", POLICE_OFFICER.roles, POLICE)
    await failure(svc, "FetchShare", fetch_request(first), untrained)
    await failure(svc, "FetchShare", fetch_request(first, "no-such-purpose"), POLICE_OFFICER)
    too_long = {"subject_name": CANARY_FIELD * 1000, "referral_reason": CANARY_FIELD + "\x00"}
    overlong = send_request(POLICE, subject_reference=CANARY_SUBJECT * 20, fields=too_long)
    bad = await failure(svc, "SendShare", overlong, SOCIAL_OFFICER)
    assert bad.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert leaks(bad.details() or "") == []
    await call(
        svc,
        "AcknowledgeShare",
        pb.AcknowledgeShareRequest(name=first, content_version=1),
        POLICE_OFFICER,
    )
    correction = pb.CorrectShareRequest(
        name=first, fields={"health_notes": f"Health now {CANARY_FIELD}"}, reason="More detail"
    )
    await call(svc, "CorrectShare", correction, SOCIAL_OFFICER)
    await fetch(svc, first, POLICE_OFFICER)
    lookup = pb.FindSubjectSharesRequest(subject_reference=CANARY_SUBJECT)
    await call(svc, "FindSubjectShares", lookup, SOCIAL_DPO)
    reidentify = pb.ReidentifySubjectRequest(share=second, reason="Court order")
    assert (await call(svc, "ReidentifySubject", reidentify, SOCIAL_DPO)).subject_reference == (
        CANARY_SUBJECT
    )
    revoke = pb.RevokeShareRequest(name=second, reason="Sent twice")
    await call(svc, "RevokeShare", revoke, SOCIAL_OFFICER)
    erase = pb.EraseSubjectRequest(subject_reference=CANARY_SUBJECT.upper(), reason="Request 9")
    await call(svc, "EraseSubject", erase, SOCIAL_DPO)
    await send(svc, POLICE, **canary)
    svc.clock.advance(timedelta(days=31))
    deps = svc.running.deps
    assert await erase_expired(deps.uow(SYSTEM), deps.keyring) == 1
    await send(svc, POLICE, subject_reference=f"{CANARY_SUBJECT} (2)", fields=FIELDS)


async def _rows_with_canaries(svc: ServiceUnderTest) -> list[str]:
    found = []
    async with svc.running.deps.sessions() as session:
        for table in [*METADATA.sorted_tables, *KIT_METADATA.sorted_tables]:
            for row in await session.execute(select(table)):
                for column, value in row._mapping.items():
                    found += [f"{table.name}.{column}: {form}" for form in _value_leaks(value)]
    return found


async def _stored_content(svc: ServiceUnderTest) -> int:
    async with svc.running.deps.sessions() as session:
        rows = await session.execute(select(METADATA.tables["share_contents"]))
        return len(rows.all())


async def test_canaries_never_appear_in_logs_events_or_rows(
    infoshare_service: ServiceUnderTest, caplog: pytest.LogCaptureFixture
) -> None:
    svc = infoshare_service
    caplog.set_level(logging.DEBUG)
    assert _value_leaks(FIELDS) and _value_leaks(CANARY_SUBJECT.lower().encode())

    await exercise(svc)

    assert await _stored_content(svc) > 0, "some content should still be sealed at rest"
    messages = await published(svc)
    assert any(m.subject.startswith("nlc.infoshare.share.delivered.") for m in messages)
    assert [m.subject for m in messages if leaks_bytes(m.data) or leaks(m.subject)] == []
    assert [m.subject for m in messages if leaks(json.dumps(m.headers))] == []
    assert await _rows_with_canaries(svc) == []
    assert caplog.records, "logs should have been captured"
    logged = [
        r.name
        for r in caplog.records
        if leaks(r.getMessage()) or leaks(json.dumps(r.__dict__, default=repr, ensure_ascii=False))
    ]
    assert logged == []
    assert leaks(caplog.text) == []
