"""What a person has logged, as the progress features read it back.

The set-logging feature writes entries and sets; /week, /progress and /export
only read them. These read-side types keep those features independent of how
logging stores things, and of SQL.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime


@dataclass(frozen=True)
class LoggedSet:
    """One set with the entry and session it belongs to; loads are canonical kg."""

    entry_id: int
    exercise_id: str
    custom_name: str | None
    local_date: date
    logged_at: datetime  # aware UTC
    set_no: int
    reps: int | None
    load_kg: float | None
    seconds: int | None
    rpe: float | None
    per_side: bool
    program_id: str | None = None  # the session the set was logged in, when there was one
    day_index: int | None = None
    distance_m: float | None = None
    rir: int | None = None
    warmup: bool = False
    band: str | None = None
    note: str | None = None


@dataclass(frozen=True)
class PainNote:
    """A pain report as /week shows it next to the training load."""

    area: str
    severity: str
    status: str
    reported_at: datetime  # aware UTC
