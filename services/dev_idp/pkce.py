"""Proof Key for Code Exchange (RFC 7636) checks."""

from __future__ import annotations

import base64
import hashlib
import hmac
import re

METHODS = ("plain", "S256")
_SHAPE = re.compile(r"[A-Za-z0-9\-._~]{43,128}")


def well_formed(value: str) -> bool:
    """True for a verifier or challenge of 43-128 unreserved characters."""
    return _SHAPE.fullmatch(value) is not None


def s256(verifier: str) -> str:
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def verifies(verifier: str, challenge: str, method: str) -> bool:
    """True when verifier proves challenge under method."""
    expected = s256(verifier) if method == "S256" else verifier
    return hmac.compare_digest(expected, challenge)
