"""Data-protection training attestations: who completed which course when, and whether it is
recent enough (the last 12 months) for its holder to send or read shared information."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from services.common.errors import ViolationCollector
from services.common.text import text_problem

TRAINING_VALID_DAYS = 365
MAX_COURSE = 200
NO_TRAINING = "no data-protection training attested in the last 12 months"


@dataclass(frozen=True)
class TrainingAttestation:
    id: str
    user_sub: str
    username: str
    organisation_id: str | None
    course: str
    completed_on: date
    recorded_at: datetime

    @property
    def valid_until(self) -> date:
        return valid_until(self.completed_on)


def valid_until(completed_on: date) -> date:
    """The last day training completed on completed_on counts."""
    return completed_on + timedelta(days=TRAINING_VALID_DAYS)


def is_current(completed_on: date, today: date) -> bool:
    """True when training completed on completed_on counts today (not in the future either)."""
    return today - timedelta(days=TRAINING_VALID_DAYS) <= completed_on <= today


def check_attestation(course: str, completed_on: date | None, today: date) -> None:
    """InvalidArgument naming each problem: course required, completed within the last year."""
    e = ViolationCollector()
    problem = text_problem(course, MAX_COURSE)
    if not course.strip():
        e.add("course", "is required: name the training course")
    elif problem:
        e.add("course", problem)
    if completed_on is not None and completed_on > today:
        e.add("completed_on", "must not be in the future")
    elif completed_on is not None and not is_current(completed_on, today):
        e.add("completed_on", f"must be within the last {TRAINING_VALID_DAYS} days")
    e.raise_invalid("the training attestation is not valid")
