"""What a new purpose must be: a lower-case code, a description, a lawful basis, at least one
data category, a retention period; a purpose relying on consent requires consent."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from services.common.errors import ViolationCollector
from services.common.text import text_problem
from services.infoshare.domain.categories import DataCategory, LawfulBasis
from services.infoshare.domain.purposes import Purpose

CODE = re.compile(r"[a-z][a-z0-9-]{1,62}")
MAX_DESCRIPTION = 2_000
MAX_RETENTION_DAYS = 3_650


@dataclass(frozen=True)
class PurposeDraft:
    """A purpose as requested, before it is checked."""

    code: str
    description: str
    lawful_basis: LawfulBasis | None
    categories: frozenset[DataCategory]
    retention_days: int
    consent_required: bool


def checked_purpose(
    draft: PurposeDraft, *, at: datetime, by: str, field: str = "purpose"
) -> Purpose:
    """The purpose draft describes, created at at by by; InvalidArgument naming each problem."""
    e = ViolationCollector()
    if not CODE.fullmatch(draft.code):
        e.add(
            f"{field}.code",
            "must be 2-63 characters: a lower-case letter, then letters, digits or '-'",
        )
    problem = text_problem(draft.description, MAX_DESCRIPTION)
    if not draft.description.strip():
        e.add(f"{field}.description", "is required: say what the sharing is for")
    elif problem:
        e.add(f"{field}.description", problem)
    if draft.lawful_basis is None:
        e.add(f"{field}.lawful_basis", "is required: the legal ground the purpose relies on")
    if not draft.categories:
        e.add(f"{field}.data_categories", "name at least one data category")
    if not 1 <= draft.retention_days <= MAX_RETENTION_DAYS:
        e.add(f"{field}.retention_days", f"must be from 1 to {MAX_RETENTION_DAYS} days")
    if draft.lawful_basis is LawfulBasis.CONSENT and not draft.consent_required:
        e.add(f"{field}.consent_required", "must be true when the lawful basis is consent")
    e.raise_invalid("the purpose is not valid")
    assert draft.lawful_basis is not None
    return Purpose(
        code=draft.code,
        description=draft.description.strip(),
        lawful_basis=draft.lawful_basis,
        categories=draft.categories,
        retention_days=draft.retention_days,
        consent_required=draft.consent_required,
        created_at=at,
        created_by=by,
    )
