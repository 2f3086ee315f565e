"""The `mandates` head rows and `mandate_versions` history, mapped to domain mandate versions."""

from __future__ import annotations

from typing import Any

from sqlalchemy import (
    JSON,
    Column,
    Date,
    ForeignKey,
    Integer,
    PrimaryKeyConstraint,
    String,
    Table,
    Text,
    insert,
    select,
    update,
)
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from services.common.db import UtcDateTime
from services.common.enums import enum_tuple, enum_values
from services.common.errors import Conflict
from services.common.records import from_record, to_record
from services.registry.domain import mandates as domain
from services.registry.orm import METADATA

mandates = Table(
    "mandates",
    METADATA,
    Column("organisation_id", String(36), ForeignKey("organisations.id"), primary_key=True),
    Column("current_version", Integer, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("created_by", String(255), nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
    Column("updated_by", String(255), nullable=False),
)

mandate_versions = Table(
    "mandate_versions",
    METADATA,
    Column("organisation_id", String(36), ForeignKey("mandates.organisation_id"), nullable=False),
    Column("version", Integer, nullable=False),
    Column("sources", JSON, nullable=False),
    Column("source_reference", Text, nullable=False),
    Column("scope", String(32), nullable=False),
    Column("specific_forms", JSON, nullable=False),
    Column("prevention_levels", JSON, nullable=False),
    Column("institutional_model", String(32), nullable=False),
    Column("lead_entity", String(200), nullable=False),
    Column("focal_point", JSON, nullable=False),
    Column("overseeing_body_id", String(36), ForeignKey("organisations.id"), nullable=False),
    Column("periodicity", String(16), nullable=False),
    Column("fiscal_start_month", Integer, nullable=False),
    Column("effective_from", Date, nullable=False),
    Column("change_note", Text, nullable=False),
    Column("recorded_at", UtcDateTime, nullable=False),
    Column("recorded_by", String(255), nullable=False),
    PrimaryKeyConstraint("organisation_id", "version"),
)


def to_version(row: Any) -> domain.MandateVersion:
    """A domain mandate version from a history row joined with its head row."""
    terms = domain.MandateTerms(
        sources=enum_tuple(domain.MandateSource)(row.sources),
        source_reference=row.source_reference,
        scope=domain.MandateScope(row.scope),
        specific_forms=tuple(row.specific_forms),
        prevention_levels=enum_tuple(domain.PreventionLevel)(row.prevention_levels),
        institutional_model=domain.InstitutionalModel(row.institutional_model),
        lead_entity=row.lead_entity,
        focal_point=from_record(domain.FocalPoint, row.focal_point),
        reporting_obligation=domain.ReportingObligation(
            overseeing_body_id=row.overseeing_body_id,
            periodicity=domain.ReportingPeriodicity(row.periodicity),
            fiscal_start_month=row.fiscal_start_month,
        ),
        effective_from=row.effective_from,
        change_note=row.change_note,
    )
    return domain.MandateVersion(
        organisation_id=row.organisation_id,
        version=row.version,
        terms=terms,
        created_at=row.created_at,
        created_by=row.created_by,
        recorded_at=row.recorded_at,
        recorded_by=row.recorded_by,
    )


def _version_values(m: domain.MandateVersion) -> dict[str, Any]:
    t = m.terms
    ob = t.reporting_obligation
    return {
        "organisation_id": m.organisation_id,
        "version": m.version,
        "sources": enum_values(t.sources),
        "source_reference": t.source_reference,
        "scope": str(t.scope),
        "specific_forms": list(t.specific_forms),
        "prevention_levels": enum_values(t.prevention_levels),
        "institutional_model": str(t.institutional_model),
        "lead_entity": t.lead_entity,
        "focal_point": to_record(t.focal_point),
        "overseeing_body_id": ob.overseeing_body_id,
        "periodicity": str(ob.periodicity),
        "fiscal_start_month": ob.fiscal_start_month,
        "effective_from": t.effective_from,
        "change_note": t.change_note,
        "recorded_at": m.recorded_at,
        "recorded_by": m.recorded_by,
    }


async def append(session: AsyncSession, m: domain.MandateVersion) -> None:
    """Record version m.version; Conflict when another writer recorded it first."""
    stale = Conflict("the mandate was changed by someone else; reload and retry")
    if m.version == 1:
        try:
            await session.execute(
                insert(mandates).values(
                    organisation_id=m.organisation_id,
                    current_version=1,
                    created_at=m.recorded_at,
                    created_by=m.recorded_by,
                    updated_at=m.recorded_at,
                    updated_by=m.recorded_by,
                )
            )
        except IntegrityError:
            raise stale from None
    else:
        result = await session.execute(
            update(mandates)
            .where(
                mandates.c.organisation_id == m.organisation_id,
                mandates.c.current_version == m.version - 1,
            )
            .values(current_version=m.version, updated_at=m.recorded_at, updated_by=m.recorded_by)
        )
        if result.rowcount != 1:
            raise stale
    await session.execute(insert(mandate_versions).values(**_version_values(m)))


async def current_version(session: AsyncSession, organisation_id: str) -> int:
    """The latest recorded version of the organisation's mandate; 0 when there is none."""
    query = select(mandates.c.current_version).where(mandates.c.organisation_id == organisation_id)
    return (await session.scalar(query)) or 0
