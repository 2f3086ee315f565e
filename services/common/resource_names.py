"""Resource names (`collection/{id}`) and ISO dates/timestamps at the API edge."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime

from google.protobuf.timestamp_pb2 import Timestamp

from services.common.errors import invalid, quoted


def new_id() -> str:
    return str(uuid.uuid4())


def make_name(collection: str, resource_id: str) -> str:
    return f"{collection}/{resource_id}"


def optional_name(collection: str, resource_id: str | None) -> str:
    """`collection/{id}`, or "" (the unset string field) when there is no id."""
    return make_name(collection, resource_id) if resource_id else ""


def parse_name(name: str, collection: str, *, field: str = "name") -> str:
    """The id in `collection/{id}`; INVALID_ARGUMENT naming the field when it is not one."""
    prefix = f"{collection}/"
    if not name:
        raise invalid(field, f"is required (expected '{collection}/{{id}}')")
    if not name.startswith(prefix):
        raise invalid(
            field, f"{quoted(name)} is not a {collection} name (expected '{collection}/{{id}}')"
        )
    resource_id = name[len(prefix) :]
    try:
        return str(uuid.UUID(resource_id))
    except ValueError:
        raise invalid(field, f"{quoted(resource_id)} is not a valid id") from None


def parse_optional_name(name: str, collection: str, *, field: str) -> str | None:
    return parse_name(name, collection, field=field) if name else None


def parse_date(value: str, *, field: str, required: bool = True) -> date | None:
    """An ISO calendar date ("2026-01-31"), or None when empty and optional."""
    if not value:
        if required:
            raise invalid(field, "is required (an ISO date such as 2026-01-31)")
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise invalid(field, f"{quoted(value)} is not an ISO date such as 2026-01-31") from None


def format_date(value: date | None) -> str:
    return value.isoformat() if value else ""


def to_timestamp(value: datetime | None) -> Timestamp | None:
    if value is None:
        return None
    ts = Timestamp()
    ts.FromDatetime(value if value.tzinfo else value.replace(tzinfo=UTC))
    return ts


def as_utc(value: datetime) -> datetime:
    """Datetimes read back from SQLite come without tzinfo; they were stored as UTC."""
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def parse_timestamp(value: Timestamp, *, field: str) -> datetime:
    """A protobuf Timestamp as an aware UTC datetime; INVALID_ARGUMENT when out of range."""
    try:
        return value.ToDatetime(tzinfo=UTC)
    except (ValueError, OverflowError):
        raise invalid(
            field, "is not a valid time (seconds within years 1-9999, nanos 0-999999999)"
        ) from None
