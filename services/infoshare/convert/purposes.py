"""Purposes and record types between protobuf and domain, and their `collection/{code}` names."""

from __future__ import annotations

import re
from collections.abc import Iterable

from nlc.infoshare.v1 import purposes_pb2 as pb
from services.common.enums import ProtoEnum
from services.common.errors import invalid, quoted
from services.common.field_parser import FieldParser
from services.common.resource_names import make_name, to_timestamp
from services.infoshare.convert import PURPOSES, RECORD_TYPES
from services.infoshare.domain.categories import DataCategory, LawfulBasis
from services.infoshare.domain.purpose_rules import PurposeDraft
from services.infoshare.domain.purposes import Purpose
from services.infoshare.domain.record_types import RecordType

CATEGORY = ProtoEnum(pb.DataCategory, "DATA_CATEGORY_", DataCategory)
LAWFUL_BASIS = ProtoEnum(pb.LawfulBasis, "LAWFUL_BASIS_", LawfulBasis)
_CODE = re.compile(r"[a-z][a-z0-9-]{0,63}")


def purpose_name(code: str) -> str:
    return make_name(PURPOSES, code)


def record_type_name(code: str) -> str:
    return make_name(RECORD_TYPES, code)


def parse_code_name(name: str, collection: str, *, field: str) -> str:
    """The code in `collection/{code}`; InvalidArgument naming field when it is not one."""
    expected = f"expected '{collection}/{{code}}'"
    if not name:
        raise invalid(field, f"is required ({expected})")
    code = name.removeprefix(f"{collection}/")
    if code == name or not _CODE.fullmatch(code):
        raise invalid(field, f"{quoted(name)} is not a {collection} name ({expected})")
    return code


def parse_purpose_name(name: str, *, field: str = "name") -> str:
    """The code of `purposes/{code}`."""
    return parse_code_name(name, PURPOSES, field=field)


def parse_record_type_name(name: str, *, field: str = "name") -> str:
    """The code of `recordTypes/{code}`."""
    return parse_code_name(name, RECORD_TYPES, field=field)


def categories_from_proto(
    parse: FieldParser, numbers: Iterable[int], field: str
) -> frozenset[DataCategory]:
    """The categories named; each unspecified or unknown one is a violation of field[i]."""
    found: set[DataCategory] = set()
    for i, number in enumerate(numbers):
        category = parse(CATEGORY.from_proto, number, field=f"{field}[{i}]")
        if category is None and number == 0:
            parse.add(f"{field}[{i}]", "choose a data category")
        if category is not None:
            found.add(category)
    return frozenset(found)


def purpose_draft_from_proto(
    parse: FieldParser, p: pb.Purpose, field: str = "purpose"
) -> PurposeDraft:
    """The purpose a CreatePurpose request asks for (rules run in the handler)."""
    return PurposeDraft(
        code=p.code.strip(),
        description=p.description,
        lawful_basis=parse(LAWFUL_BASIS.from_proto, p.lawful_basis, field=f"{field}.lawful_basis"),
        categories=categories_from_proto(parse, p.data_categories, f"{field}.data_categories"),
        retention_days=p.retention_days,
        consent_required=p.consent_required,
    )


def _categories(categories: Iterable[DataCategory]) -> list[int]:
    return [CATEGORY.to_proto(c) for c in sorted(categories, key=CATEGORY.to_proto)]


def purpose_to_proto(p: Purpose) -> pb.Purpose:
    return pb.Purpose(
        name=purpose_name(p.code),
        code=p.code,
        description=p.description,
        lawful_basis=LAWFUL_BASIS.to_proto(p.lawful_basis),
        data_categories=_categories(p.categories),
        retention_days=p.retention_days,
        consent_required=p.consent_required,
        create_time=to_timestamp(p.created_at),
        created_by=p.created_by,
    )


def record_type_to_proto(t: RecordType) -> pb.RecordType:
    return pb.RecordType(
        name=record_type_name(t.code),
        code=t.code,
        display_name=t.display_name,
        description=t.description,
        fields=[
            pb.RecordField(
                name=f.name,
                description=f.description,
                category=CATEGORY.to_proto(f.category),
                required=f.required,
            )
            for f in t.fields
        ],
    )
