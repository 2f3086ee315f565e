"""A purpose information may be shared for: its legal ground, what it may carry, how long."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from services.infoshare.domain.categories import DataCategory, LawfulBasis


@dataclass(frozen=True)
class Purpose:
    code: str
    description: str
    lawful_basis: LawfulBasis
    categories: frozenset[DataCategory]
    retention_days: int
    consent_required: bool
    created_at: datetime | None = None
    created_by: str = ""
