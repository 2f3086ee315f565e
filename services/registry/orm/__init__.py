"""SQLAlchemy Core tables of the registry schema, all on one MetaData."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from services.common.db import new_metadata

METADATA = new_metadata()


@dataclass(frozen=True)
class Stamp:
    """Who changes a row, and when."""

    at: datetime
    by: str
