"""SQLAlchemy Core tables of the infoshare schema, all on one MetaData."""

from __future__ import annotations

from services.common.db import new_metadata

METADATA = new_metadata()
