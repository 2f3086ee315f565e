"""AIP-134 update masks: which fields a partial update may touch."""

from __future__ import annotations

from collections.abc import Iterable

from google.protobuf.field_mask_pb2 import FieldMask

from services.common.errors import InvalidArgument, Violation, quoted


def mask_paths(mask: FieldMask, allowed: Iterable[str], *, field: str = "update_mask") -> set[str]:
    """The mask's paths, checked against `allowed`; an empty mask is invalid."""
    allowed_set = set(allowed)
    paths = [p.strip() for p in mask.paths if p.strip()]
    if not paths:
        raise InvalidArgument(
            f"{field}: name the fields to change",
            [
                Violation(
                    field,
                    f"must list the fields to change; allowed: {', '.join(sorted(allowed_set))}",
                )
            ],
        )
    unknown = [p for p in paths if p not in allowed_set]
    if unknown:
        raise InvalidArgument(
            f"{field}: cannot change {', '.join(unknown)}",
            [
                Violation(
                    f"{field}.paths",
                    f"{quoted(p)} cannot be changed; allowed: {', '.join(sorted(allowed_set))}",
                )
                for p in unknown
            ],
        )
    return set(paths)
