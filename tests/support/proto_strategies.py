"""Hypothesis strategies that build arbitrary, mostly invalid, protobuf requests."""

from __future__ import annotations

import uuid

from google.protobuf.descriptor import Descriptor, FieldDescriptor
from google.protobuf.message import Message
from hypothesis import strategies as st

FD = FieldDescriptor

_NASTY_TEXT = st.sampled_from(
    [
        "",
        " ",
        "x" * 5000,
        "organisations/",
        "organisations/not-a-uuid",
        "jurisdictions/../../etc",
        "2026-02-30",
        "0000-00-00",
        "not an email",
        "javascript:alert(1)",
        "'; DROP TABLE organisations; --",
        "\x00\x01",
        "Ωμέγα ✓ 🙂",
    ]
)


def _resource_names() -> st.SearchStrategy[str]:
    collections = ["jurisdictions", "organisations", "frameworks", "coordinationBodies"]
    return st.builds(
        lambda c, u, suffix: f"{c}/{u}{suffix}",
        st.sampled_from(collections),
        st.uuids().map(str),
        st.sampled_from(["", "/mandate", "/comments/" + str(uuid.UUID(int=1))]),
    )


def _text() -> st.SearchStrategy[str]:
    return st.one_of(_NASTY_TEXT, _resource_names(), st.text(max_size=40))


def _scalar(field: FieldDescriptor) -> st.SearchStrategy[object]:
    kind = field.type
    if kind == FD.TYPE_STRING:
        return _text()
    if kind == FD.TYPE_BYTES:
        return st.binary(max_size=32)
    if kind == FD.TYPE_BOOL:
        return st.booleans()
    if kind == FD.TYPE_ENUM:
        numbers = [v.number for v in field.enum_type.values]
        return st.one_of(st.sampled_from(numbers), st.integers(-5, 1000))
    if kind in (FD.TYPE_FLOAT, FD.TYPE_DOUBLE):
        return st.floats(allow_nan=False, allow_infinity=False, width=32)
    if kind in (FD.TYPE_UINT32, FD.TYPE_FIXED32):
        return st.integers(0, 2**32 - 1)
    if kind in (FD.TYPE_UINT64, FD.TYPE_FIXED64):
        return st.integers(0, 2**63)
    if kind in (FD.TYPE_INT32, FD.TYPE_SINT32, FD.TYPE_SFIXED32):
        return st.integers(-(2**31), 2**31 - 1)
    return st.integers(-(2**63), 2**63 - 1)


def message_strategy(
    descriptor: Descriptor, cls: type[Message], depth: int = 3
) -> st.SearchStrategy:
    """Messages of `cls` whose fields are each either unset or filled with adversarial values."""
    field_strategies = {}
    for field in descriptor.fields:
        if field.type == FD.TYPE_MESSAGE:
            if depth <= 0 or field.message_type.GetOptions().map_entry:
                continue
            sub_cls = _message_class(cls, field)
            inner = message_strategy(field.message_type, sub_cls, depth - 1)
        else:
            inner = _scalar(field)
        value = st.lists(inner, max_size=3) if field.is_repeated else inner
        field_strategies[field.name] = st.one_of(st.none(), value)

    def build(values: dict[str, object]) -> Message:
        message = cls()
        for name, value in values.items():
            if value is None:
                continue
            target = getattr(message, name)
            field = descriptor.fields_by_name[name]
            if field.is_repeated:
                if field.type == FD.TYPE_MESSAGE:
                    for item in value:  # type: ignore[union-attr]
                        target.add().CopyFrom(item)
                else:
                    target.extend(value)  # type: ignore[arg-type]
            elif field.type == FD.TYPE_MESSAGE:
                target.CopyFrom(value)
            else:
                setattr(message, name, value)
        return message

    return st.fixed_dictionaries(field_strategies).map(build)


def _message_class(parent_cls: type[Message], field: FieldDescriptor) -> type[Message]:
    return (
        type(getattr(parent_cls(), field.name).add())
        if field.is_repeated
        else type(getattr(parent_cls(), field.name))
    )
