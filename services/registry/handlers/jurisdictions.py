"""Jurisdiction use cases: create, update, split and merge, each with events and audit."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from services.common.clock import today
from services.common.errors import AlreadyExists, found, invalid
from services.common.resource_names import new_id
from services.common.text import has_control_characters
from services.common.uow import UnitOfWork
from services.registry.convert import jurisdictions as convert
from services.registry.domain import jurisdictions as domain
from services.registry.domain.jurisdictions import Jurisdiction, Level, NewPart
from services.registry.handlers import check_etag, stamp
from services.registry.orm import jurisdictions as store
from services.registry.queries.jurisdictions import JurisdictionView, get_jurisdiction, get_many

SUBJECT = "nlc.registry.jurisdiction"
MAX_REASON = 2000


@dataclass(frozen=True)
class CreateJurisdiction:
    code: str
    display_name: str
    level: Level | None
    parent_id: str | None
    valid_from: date | None = None
    valid_to: date | None = None
    jurisdiction_id: str | None = None


@dataclass(frozen=True)
class UpdateJurisdiction:
    jurisdiction_id: str
    display_name: str | None = None
    code: str | None = None
    etag: str = ""


@dataclass(frozen=True)
class SplitJurisdiction:
    jurisdiction_id: str
    effective_date: date
    parts: list[NewPart]
    reason: str = ""


@dataclass(frozen=True)
class MergeJurisdictions:
    jurisdiction_ids: list[str]
    effective_date: date
    merged: NewPart
    reason: str = ""


async def _load(session: AsyncSession, jurisdiction_id: str) -> Jurisdiction:
    return found(await store.load(session, jurisdiction_id), f"jurisdiction {jurisdiction_id}")


async def _ensure_codes_free(
    session: AsyncSession, codes: dict[str, str], except_id: str = ""
) -> None:
    for field_path, code in codes.items():
        if await store.code_taken(session, code, except_id=except_id or None):
            raise AlreadyExists(f"{field_path}: jurisdiction code {code} is already used")


def _check_reason(reason: str) -> None:
    if len(reason) > MAX_REASON:
        raise invalid("reason", f"must be at most {MAX_REASON} characters")
    if has_control_characters(reason, multiline=True):
        raise invalid("reason", "must not contain control characters")


async def create_jurisdiction(uow: UnitOfWork, cmd: CreateJurisdiction) -> JurisdictionView:
    """Add a unit to the tree."""
    async with uow:
        parent = None
        if cmd.parent_id is not None:
            parent = await store.load(uow.session, cmd.parent_id)
            if parent is None:
                raise invalid("jurisdiction.parent", "no such jurisdiction")
        unit = domain.new_jurisdiction(
            jurisdiction_id=cmd.jurisdiction_id or new_id(),
            code=cmd.code,
            display_name=cmd.display_name,
            level=cmd.level,
            parent=parent,
            valid_from=cmd.valid_from or today(uow.clock),
            valid_to=cmd.valid_to,
        )
        await _ensure_codes_free(uow.session, {"jurisdiction.code": unit.code})
        await store.add(uow.session, unit, stamp(uow))
        view = await get_jurisdiction(uow.session, unit.id)
        uow.emit(f"{SUBJECT}.created", convert.jurisdiction_changed(view))
        uow.audit(
            convert.jurisdiction_name(unit.id),
            "create",
            {"code": unit.code, "display_name": unit.display_name, "level": unit.level.value},
        )
        await uow.commit()
    return view


async def update_jurisdiction(uow: UnitOfWork, cmd: UpdateJurisdiction) -> JurisdictionView:
    """Rename and/or re-code a unit."""
    async with uow:
        unit = await _load(uow.session, cmd.jurisdiction_id)
        check_etag(cmd.etag, unit.version, f"jurisdiction {unit.code}")
        before = {"display_name": unit.display_name, "code": unit.code}
        domain.rename(unit, display_name=cmd.display_name, code=cmd.code)
        if cmd.code is not None:
            await _ensure_codes_free(uow.session, {"jurisdiction.code": unit.code}, unit.id)
        await store.save(uow.session, unit, stamp(uow))
        view = await get_jurisdiction(uow.session, unit.id)
        after = {"display_name": unit.display_name, "code": unit.code}
        changed = {k: [before[k], after[k]] for k in before if before[k] != after[k]}
        uow.emit(f"{SUBJECT}.updated", convert.jurisdiction_changed(view))
        uow.audit(convert.jurisdiction_name(unit.id), "update", {"changed": changed})
        await uow.commit()
    return view


async def split_jurisdiction(
    uow: UnitOfWork, cmd: SplitJurisdiction
) -> tuple[JurisdictionView, list[JurisdictionView]]:
    """Retire a unit and create its parts from the effective date."""
    _check_reason(cmd.reason)
    async with uow:
        original = await _load(uow.session, cmd.jurisdiction_id)
        ids = [new_id() for _ in cmd.parts]
        parts = domain.split(original, cmd.parts, cmd.effective_date, ids)
        codes = {f"parts[{i}].code": p.code for i, p in enumerate(parts)}
        await _ensure_codes_free(uow.session, codes)
        at = stamp(uow)
        await store.save(uow.session, original, at)
        for part in parts:
            await store.add(uow.session, part, at)
        retired = await get_jurisdiction(uow.session, original.id)
        created = await get_many(uow.session, ids)
        uow.emit(f"{SUBJECT}.split", convert.jurisdiction_split(retired, created, cmd.reason))
        details = {
            "effective_date": cmd.effective_date.isoformat(),
            "reason": cmd.reason,
            "parts": [convert.jurisdiction_name(i) for i in ids],
        }
        uow.audit(convert.jurisdiction_name(original.id), "split", details)
        for part in parts:
            uow.audit(
                convert.jurisdiction_name(part.id),
                "create",
                {"code": part.code, "split_from": convert.jurisdiction_name(original.id)},
            )
        await uow.commit()
    return retired, created


async def merge_jurisdictions(
    uow: UnitOfWork, cmd: MergeJurisdictions
) -> tuple[list[JurisdictionView], JurisdictionView]:
    """Retire several units and create the one that replaces them."""
    _check_reason(cmd.reason)
    async with uow:
        units = [await _load(uow.session, i) for i in cmd.jurisdiction_ids]
        merged = domain.merge(units, cmd.merged, cmd.effective_date, new_id())
        await _ensure_codes_free(uow.session, {"merged.code": merged.code})
        at = stamp(uow)
        for unit in units:
            await store.save(uow.session, unit, at)
        await store.add(uow.session, merged, at)
        retired = await get_many(uow.session, [u.id for u in units])
        result = await get_jurisdiction(uow.session, merged.id)
        uow.emit(f"{SUBJECT}.merged", convert.jurisdictions_merged(retired, result, cmd.reason))
        merged_name = convert.jurisdiction_name(merged.id)
        sources = [convert.jurisdiction_name(u.id) for u in units]
        for unit in units:
            uow.audit(
                convert.jurisdiction_name(unit.id),
                "merge",
                {
                    "effective_date": cmd.effective_date.isoformat(),
                    "reason": cmd.reason,
                    "merged_into": merged_name,
                },
            )
        uow.audit(merged_name, "create", {"code": merged.code, "merged_from": sources})
        await uow.commit()
    return retired, result
