"""The 360Giving package schema from the files beside this module, its $ref resolved locally."""

from __future__ import annotations

import csv
import json
from functools import cache
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator
from referencing import Registry
from referencing.jsonschema import DRAFT202012

HERE = Path(__file__).parent
PACKAGE_SCHEMA = HERE / "360-giving-package-schema.json"
GRANT_SCHEMA = HERE / "360-giving-schema.json"
REGRANT_TYPES = HERE / "regrantType.csv"


def _load(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8"))


@cache
def validator() -> Draft202012Validator:
    """A validator of packages; the grant schema answers both its own $id and the package's $ref."""
    package, grant = _load(PACKAGE_SCHEMA), _load(GRANT_SCHEMA)
    # The files name their dialect with an http:// URI referencing does not know: say it here.
    resource = DRAFT202012.create_resource(grant)
    uris = {grant["$id"], package["properties"]["grants"]["items"]["$ref"]}
    registry = Registry().with_resources((uri, resource) for uri in uris)
    return Draft202012Validator(package, registry=registry)


def problems(package: dict[str, Any]) -> list[str]:
    """Every way package breaks the schema, as 'path: message' (empty when it validates)."""
    found = []
    for error in sorted(validator().iter_errors(package), key=lambda e: list(e.absolute_path)):
        path = "/".join(str(p) for p in error.absolute_path) or "(package)"
        found.append(f"{path}: {error.message[:200]}")
    return found


@cache
def regrant_types() -> dict[str, str]:
    """The Regrant Type codelist: code -> title."""
    with REGRANT_TYPES.open(encoding="utf-8", newline="") as f:
        return {row["Code"]: row["Title"] for row in csv.DictReader(f)}
