"""Read side of the registry: plain selects returning view dataclasses."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, or_

from services.common.auth import Principal


def public_or_own(actor: Principal, public: ColumnElement[bool], owner: Any) -> Any:
    """Rows matching public, or owned (owner column) by the actor's organisation."""
    return or_(public, owner == actor.org_id) if actor.org_id else public
