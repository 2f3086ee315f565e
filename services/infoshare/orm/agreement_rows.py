"""Rows of `agreements`, `agreement_versions` and `agreement_parties` to and from the domain, and
the governing version of every agreement an organisation is party to."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from datetime import date
from typing import Any

from sqlalchemy import and_, case, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from services.common.versioned import Stamp, insert_versioned, update_versioned
from services.infoshare.domain.agreement_workflow import Agreement, AgreementVersion, VersionStatus
from services.infoshare.domain.agreements import (
    AgreementInForce,
    AgreementState,
    AgreementTerms,
    DataFlow,
    Party,
    PartyRole,
)
from services.infoshare.domain.categories import DataCategory
from services.infoshare.orm.tables import agreement_parties, agreement_versions, agreements

STALE = "the agreement has changed since you read it; reload and retry"

# The version whose terms govern sharing: the one in force, else the newest proposal.
GOVERNING = case(
    (agreements.c.version_in_force > 0, agreements.c.version_in_force),
    else_=agreements.c.latest_version,
)


def terms_to_record(terms: AgreementTerms) -> dict[str, Any]:
    """Terms as JSON (signatures live in agreement_parties)."""
    return {
        "title": terms.title,
        "parties": [
            {"organisation_id": p.organisation_id, "role": p.role.value} for p in terms.parties
        ],
        "purposes": list(terms.purposes),
        "flows": [
            {
                "provider_id": f.provider_id,
                "recipient_id": f.recipient_id,
                "categories": sorted(c.value for c in f.categories),
            }
            for f in terms.flows
        ],
        "valid_from": terms.valid_from.isoformat(),
        "valid_until": terms.valid_until.isoformat(),
        "review_interval_months": terms.review_interval_months,
    }


def terms_from_record(data: dict[str, Any]) -> AgreementTerms:
    """Terms from their JSON (parties without signatures)."""
    return AgreementTerms(
        title=data["title"],
        parties=tuple(Party(p["organisation_id"], PartyRole(p["role"])) for p in data["parties"]),
        purposes=tuple(data["purposes"]),
        flows=tuple(
            DataFlow(
                f["provider_id"],
                f["recipient_id"],
                frozenset(DataCategory(c) for c in f["categories"]),
            )
            for f in data["flows"]
        ),
        valid_from=date.fromisoformat(data["valid_from"]),
        valid_until=date.fromisoformat(data["valid_until"]),
        review_interval_months=data["review_interval_months"],
    )


def agreement_from_row(row: Any) -> Agreement:
    return Agreement(
        id=row.id,
        state=AgreementState(row.state),
        version_in_force=row.version_in_force,
        latest_version=row.latest_version,
        review_date=row.review_date,
        last_reviewed_by=row.last_reviewed_by,
        last_reviewed_at=row.last_reviewed_at,
        state_reason=row.state_reason,
        review_due_announced_for=row.review_due_announced_for,
        row_version=row.version,
    )


def _with_signatures(terms: AgreementTerms, party_rows: Iterable[Any]) -> AgreementTerms:
    signed = {r.organisation_id: r for r in party_rows}
    parties = tuple(
        replace(
            p,
            signed_by=signed[p.organisation_id].signed_by,
            signed_at=signed[p.organisation_id].signed_at,
        )
        if p.organisation_id in signed
        else p
        for p in terms.parties
    )
    return replace(terms, parties=parties)


def version_from_row(row: Any, party_rows: Iterable[Any] = ()) -> AgreementVersion:
    return AgreementVersion(
        number=row.version,
        terms=_with_signatures(terms_from_record(row.terms), party_rows),
        status=VersionStatus(row.status),
        created_at=row.created_at,
        created_by=row.created_by,
        activated_at=row.activated_at,
    )


def _agreement_values(a: Agreement) -> dict[str, Any]:
    return {
        "state": a.state.value,
        "version_in_force": a.version_in_force,
        "latest_version": a.latest_version,
        "review_date": a.review_date,
        "last_reviewed_by": a.last_reviewed_by,
        "last_reviewed_at": a.last_reviewed_at,
        "state_reason": a.state_reason,
        "review_due_announced_for": a.review_due_announced_for,
    }


async def load_agreement(session: AsyncSession, agreement_id: str) -> Agreement | None:
    query = select(agreements).where(agreements.c.id == agreement_id)
    row = (await session.execute(query)).first()
    return agreement_from_row(row) if row else None


async def load_versions(
    session: AsyncSession, agreement_id: str, numbers: Iterable[int] | None = None
) -> list[AgreementVersion]:
    """The agreement's versions (those numbered, or all), oldest first, with signatures."""
    versions = select(agreement_versions).where(agreement_versions.c.agreement_id == agreement_id)
    parties = select(agreement_parties).where(agreement_parties.c.agreement_id == agreement_id)
    if numbers is not None:
        wanted = sorted(set(numbers))
        versions = versions.where(agreement_versions.c.version.in_(wanted))
        parties = parties.where(agreement_parties.c.version.in_(wanted))
    by_version: dict[int, list[Any]] = {}
    for p in await session.execute(parties):
        by_version.setdefault(p.version, []).append(p)
    rows = await session.execute(versions.order_by(agreement_versions.c.version))
    return [version_from_row(r, by_version.get(r.version, ())) for r in rows]


async def load_version(
    session: AsyncSession, agreement_id: str, number: int
) -> AgreementVersion | None:
    found = await load_versions(session, agreement_id, [number])
    return found[0] if found else None


async def insert_agreement(session: AsyncSession, agreement: Agreement, stamp: Stamp) -> Agreement:
    """Insert agreement at row version 1."""
    values = _agreement_values(agreement)
    await insert_versioned(session, agreements, agreement.id, values, stamp)
    return replace(agreement, row_version=1)


async def save_agreement(session: AsyncSession, agreement: Agreement, stamp: Stamp) -> Agreement:
    """Write agreement over its stored row version; Conflict when someone changed it first."""
    values = _agreement_values(agreement)
    await update_versioned(
        session, agreements, agreement.id, agreement.row_version, values, stamp, stale=STALE
    )
    return replace(agreement, row_version=agreement.row_version + 1)


async def insert_version(session: AsyncSession, agreement_id: str, v: AgreementVersion) -> None:
    """A new version and one unsigned row per party."""
    await session.execute(
        insert(agreement_versions).values(
            agreement_id=agreement_id,
            version=v.number,
            terms=terms_to_record(v.terms),
            status=v.status.value,
            created_at=v.created_at,
            created_by=v.created_by,
            activated_at=v.activated_at,
        )
    )
    await session.execute(
        insert(agreement_parties),
        [
            {
                "agreement_id": agreement_id,
                "version": v.number,
                "organisation_id": p.organisation_id,
                "role": p.role.value,
                "signed_by": p.signed_by,
                "signed_at": p.signed_at,
            }
            for p in v.terms.parties
        ],
    )


async def save_version(session: AsyncSession, agreement_id: str, v: AgreementVersion) -> None:
    """Write v's status and signatures (the agreement row's version guards concurrent writers)."""
    key = and_(
        agreement_versions.c.agreement_id == agreement_id, agreement_versions.c.version == v.number
    )
    values = {"status": v.status.value, "activated_at": v.activated_at}
    await session.execute(update(agreement_versions).where(key).values(**values))
    for p in v.terms.parties:
        party = and_(
            agreement_parties.c.agreement_id == agreement_id,
            agreement_parties.c.version == v.number,
            agreement_parties.c.organisation_id == p.organisation_id,
        )
        signature = {"signed_by": p.signed_by, "signed_at": p.signed_at}
        await session.execute(update(agreement_parties).where(party).values(**signature))


def _in_force_query() -> Any:
    return select(
        agreements.c.id,
        agreements.c.state,
        agreements.c.review_date,
        agreement_versions.c.version,
        agreement_versions.c.terms,
    ).join(
        agreement_versions,
        and_(
            agreement_versions.c.agreement_id == agreements.c.id,
            agreement_versions.c.version == GOVERNING,
        ),
    )


def _in_force(row: Any) -> AgreementInForce:
    return AgreementInForce(
        agreement_id=row.id,
        version=row.version,
        state=AgreementState(row.state),
        review_date=row.review_date,
        terms=terms_from_record(row.terms),
    )


async def agreements_for_party(
    session: AsyncSession, organisation_id: str
) -> list[AgreementInForce]:
    """Every agreement whose governing version names organisation_id as a party (terms without
    signatures), oldest first."""
    query = (
        _in_force_query()
        .join(
            agreement_parties,
            and_(
                agreement_parties.c.agreement_id == agreements.c.id,
                agreement_parties.c.version == agreement_versions.c.version,
                agreement_parties.c.organisation_id == organisation_id,
            ),
        )
        .order_by(agreements.c.created_at, agreements.c.id)
    )
    return [_in_force(row) for row in await session.execute(query)]


async def load_in_force(session: AsyncSession, agreement_id: str) -> AgreementInForce | None:
    """The governing version of one agreement (terms without signatures), or None."""
    query = _in_force_query().where(agreements.c.id == agreement_id)
    row = (await session.execute(query)).first()
    return _in_force(row) if row else None
