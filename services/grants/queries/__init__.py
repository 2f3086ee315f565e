"""Read side of grants: plain selects returning view dataclasses."""
