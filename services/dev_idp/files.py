"""Private files in the dev IdP's data folder: written once with mode 0600, then reused."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path


def write_private(path: Path, content: bytes) -> bool:
    """Atomically create path readable by its owner only; False when it already exists."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(content)
        os.link(tmp, path)
    except FileExistsError:
        return False
    finally:
        os.unlink(tmp)
    return True


def read_or_create(path: Path, make: Callable[[], bytes]) -> bytes:
    """The file's bytes, creating it privately from make() first if it is missing."""
    if not path.exists():
        write_private(path, make())
    return path.read_bytes()


def read_or_create_secret(path: Path, make: Callable[[], str]) -> str:
    """A one-line text secret kept in path."""
    return read_or_create(path, lambda: make().encode() + b"\n").decode().strip()
