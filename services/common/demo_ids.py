"""Fixed ids of the demo organisations: the registry seeds them, the realm's demo users carry
them as org_id (1-6, 9 and 10), and other services' demo data refers to them."""

from __future__ import annotations


def org_id(n: int) -> str:
    """The fixed id of demo organisation number n."""
    return f"0b1c7a52-0000-4000-8000-{n:012d}"


CENTRE, RIVERTON, BRIDGES, TELECOM, INSTITUTE, AUDIT = (org_id(n) for n in range(1, 7))
DIALOGUE, HARBOUR, POLICE, SOCIAL, LAKESIDE, PORT_SELEN = (org_id(n) for n in range(7, 13))

# The national strategy the registry seeds (local plans align to it).
STRATEGY = "0b1c7a52-0002-4000-8000-000000000001"
