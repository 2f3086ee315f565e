"""Child processes of `nlc up`: start with logs to a file, die with the parent, stop gracefully."""

from __future__ import annotations

import asyncio
import os
import shutil
import signal
from dataclasses import dataclass, field
from pathlib import Path


def _dying_with_parent(argv: list[str]) -> list[str]:
    """argv run through `setpriv --pdeathsig TERM` where it exists, so Linux SIGTERMs the child
    if the supervisor itself dies (even by kill -9). No Python runs between fork and exec (no
    preexec_fn): gRPC's fork handlers can abort a child forked while channels are busy."""
    setpriv = shutil.which("setpriv")
    return [setpriv, "--pdeathsig", "TERM", "--", *argv] if setpriv else argv


@dataclass
class Child:
    """One supervised process and the file its output goes to."""

    name: str
    argv: list[str]
    log_path: Path
    env: dict[str, str] = field(default_factory=dict)
    cwd: Path | None = None
    process: asyncio.subprocess.Process | None = None

    async def start(self) -> None:
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        with self.log_path.open("ab") as log:
            self.process = await asyncio.create_subprocess_exec(
                *_dying_with_parent(self.argv),
                stdin=asyncio.subprocess.DEVNULL,
                stdout=log,
                stderr=log,
                env={**os.environ, **self.env},
                cwd=self.cwd,
                start_new_session=True,
            )

    @property
    def exited(self) -> bool:
        return self.process is not None and self.process.returncode is not None

    def last_log_line(self) -> str:
        """The last non-empty line the process wrote, to name the cause of a failure."""
        try:
            lines = self.log_path.read_text(errors="replace").strip().splitlines()
        except OSError:
            return ""
        return lines[-1].strip() if lines else ""

    async def stop(self, timeout_s: float) -> None:
        """SIGTERM, then SIGKILL after timeout_s."""
        if self.process is None or self.process.returncode is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            await asyncio.wait_for(self.process.wait(), timeout_s)
        except TimeoutError:
            self.process.kill()
            await self.process.wait()
