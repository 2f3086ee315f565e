"""What one `nlc doctor` check found, and how it is printed."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Check:
    """One line of the doctor's report."""

    part: str
    ok: bool
    detail: str

    def line(self) -> str:
        return f"{'OK  ' if self.ok else 'FAIL'} {self.part}: {self.detail}"


def reason(error: BaseException) -> str:
    """An error in a few words: its message, or its type when it has none."""
    text = str(error).strip().splitlines()[0] if str(error).strip() else ""
    return text or type(error).__name__
