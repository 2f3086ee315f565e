"""Pure parts of the data kit: names, headers, envelopes and UTC timestamps."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from google.protobuf.wrappers_pb2 import StringValue
from nats.aio.client import Client
from nats.aio.msg import Msg
from sqlalchemy.dialects import sqlite

from services.common.db import UtcDateTime, create_engine
from services.common.kit_tables import outbox
from services.common.messaging import EventEnvelope, stream_name
from services.common.outbox import event_headers

OCCURRED = datetime(2025, 3, 1, 9, 30, tzinfo=UTC)
ACK_REPLY = "$JS.ACK.NLC_SAMPLE.projector.2.7.3.1740821400000000000.0"


def delivered(headers: dict[str, str] | None) -> Msg:
    payload = StringValue(value="a").SerializeToString()
    return Msg(
        Client(), subject="nlc.sample.a.created", reply=ACK_REPLY, data=payload, headers=headers
    )


def test_stream_name_is_per_service():
    assert stream_name("registry") == "NLC_REGISTRY"
    assert stream_name("infoshare") == "NLC_INFOSHARE"


def test_event_headers_carry_id_type_and_time():
    assert event_headers("e-1", "nlc.registry.v1.X", OCCURRED) == {
        "Nats-Msg-Id": "e-1",
        "Nlc-Event-Type": "nlc.registry.v1.X",
        "Nlc-Occurred-At": "2025-03-01T09:30:00+00:00",
    }


def test_envelope_reads_the_relay_headers_and_delivery_count():
    event = EventEnvelope.from_msg(
        delivered(event_headers("e-1", "google.protobuf.StringValue", OCCURRED))
    )

    assert (event.id, event.event_type, event.occurred_at, event.deliveries) == (
        "e-1",
        "google.protobuf.StringValue",
        OCCURRED,
        2,
    )
    assert event.parse(StringValue).value == "a"


def test_envelope_without_msg_id_falls_back_to_stream_sequence():
    event = EventEnvelope.from_msg(delivered(None))

    assert event.id == "NLC_SAMPLE:7"
    assert event.occurred_at == datetime(2025, 3, 1, 9, 30, tzinfo=UTC)


def test_utc_datetime_stores_utc_and_reads_aware():
    column = UtcDateTime()
    dialect = sqlite.dialect()
    paris = timezone(timedelta(hours=1))

    stored = column.process_bind_param(datetime(2025, 3, 1, 10, 30, tzinfo=paris), dialect)
    assert stored == OCCURRED and stored.tzinfo == UTC
    assert column.process_result_value(datetime(2025, 3, 1, 9, 30), dialect) == OCCURRED
    with pytest.raises(ValueError, match="naive"):
        column.process_bind_param(datetime(2025, 3, 1, 9, 30), dialect)


def test_kit_constraints_follow_the_naming_convention():
    assert outbox.primary_key.name == "pk_outbox"


def test_unsupported_database_is_refused():
    with pytest.raises(ValueError, match="unsupported"):
        create_engine("mysql+aiomysql://localhost/db", schema="x")
