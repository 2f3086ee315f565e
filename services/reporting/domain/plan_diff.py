"""What changed between two versions of a plan, path by path, with values as JSON text.

Paths: "title", "framework", "period", "theory_of_change.outcomes", "activities[A2].budget",
"activities[A3]" (a whole activity added or removed), "indicators[I1].targets[2026-H1]".
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from services.reporting.domain.plans import PlanContent, content_to_record

# Stored field names shown under their API names.
API_NAMES = {
    "framework_id": "framework",
    "lead_org_id": "lead_organisation",
    "partner_org_ids": "partner_organisations",
    "start": "start_date",
    "end": "end_date",
    "standard_code": "standard_indicator",
}
THEORY_FIELDS = ("goal", "outcomes", "outputs", "assumptions")


class ChangeKind(StrEnum):
    ADDED = "added"
    REMOVED = "removed"
    CHANGED = "changed"


@dataclass(frozen=True)
class Change:
    """One difference; before/after are JSON text, empty on the side where it does not exist."""

    path: str
    kind: ChangeKind
    before: str
    after: str


def _json(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False)


def _compare(path: str, before: Any, after: Any) -> list[Change]:
    if before == after:
        return []
    return [Change(path, ChangeKind.CHANGED, _json(before), _json(after))]


def _keyed(path: str, before: dict[str, Any], after: dict[str, Any]) -> list[Change]:
    """Entries matched by key (after's order, then removed ones): added and removed ones whole,
    changed ones through _entry."""
    changes: list[Change] = []
    for key in list(after) + [k for k in before if k not in after]:
        at = f"{path}[{key}]"
        if key not in before:
            changes.append(Change(at, ChangeKind.ADDED, "", _json(after[key])))
        elif key not in after:
            changes.append(Change(at, ChangeKind.REMOVED, _json(before[key]), ""))
        elif isinstance(after[key], dict):
            changes.extend(_entry(at, before[key], after[key]))
        else:
            changes.extend(_compare(at, before[key], after[key]))
    return changes


def _entry(path: str, old: dict[str, Any], new: dict[str, Any]) -> list[Change]:
    """An activity or indicator field by field; targets cycle by cycle."""
    changes: list[Change] = []
    for name in new:
        shown = f"{path}.{API_NAMES.get(name, name)}"
        if name == "targets":
            changes += _keyed(shown, _targets(old[name]), _targets(new[name]))
        elif name != "code":
            changes += _compare(shown, old[name], new[name])
    return changes


def _targets(targets: list[dict[str, Any]]) -> dict[str, Any]:
    return {t["cycle"]: t["value"] for t in targets}


def _by_code(items: list[dict[str, Any]]) -> dict[str, Any]:
    return {item["code"]: item for item in items}


def _period(record: dict[str, Any]) -> dict[str, Any]:
    return {"start_date": record["period_start"], "end_date": record["period_end"]}


def diff(before: PlanContent, after: PlanContent) -> list[Change]:
    """Every difference from before to after, in the order a reader meets them."""
    old, new = content_to_record(before), content_to_record(after)
    changes = _compare("title", old["title"], new["title"])
    changes += _compare("framework", old["framework_id"], new["framework_id"])
    changes += _compare("period", _period(old), _period(new))
    for name in THEORY_FIELDS:
        changes += _compare(
            f"theory_of_change.{name}",
            old["theory_of_change"][name],
            new["theory_of_change"][name],
        )
    for name in ("activities", "indicators"):
        changes += _keyed(name, _by_code(old[name]), _by_code(new[name]))
    return changes
