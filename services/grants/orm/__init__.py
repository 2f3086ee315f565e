"""SQLAlchemy Core tables of the grants schema, all on one MetaData."""

from __future__ import annotations

from services.common.db import new_metadata
from services.common.versioned import Stamp

METADATA = new_metadata()

__all__ = ["METADATA", "Stamp"]
