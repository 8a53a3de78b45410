"""What the set-log reader hands back, and the limits it holds every line to.

The limits are checked before anything is built from the numbers: a typed count
of 100000000 is refused as a number, never allocated as sets.
"""

from __future__ import annotations

from dataclasses import dataclass

MAX_SETS = 20
MAX_REPS = 200
MAX_SECONDS = 3600
MAX_METRES = 10_000.0
MAX_LOAD = 1000.0  # in the unit written
MAX_LINE = 300
PLAUSIBLE_SETS = 10  # more sets than this is not a reading we pick on our own


@dataclass(frozen=True)
class ParsedSet:
    reps: int | None = None
    load: float | None = None  # in the line's unit as written (None = bodyweight)
    seconds: int | None = None
    distance_m: float | None = None
    rpe: float | None = None
    rir: int | None = None
    warmup: bool = False


@dataclass(frozen=True)
class ParsedLine:
    exercise: str  # the name as written, cleaned ("" when only numbers were written)
    sets: tuple[ParsedSet, ...]
    unit: str | None  # None when no set has a load
    per_side: bool = False
    band: str | None = None
    note: str | None = None
    text: str = ""
    equipment: str | None = None  # "Romanian Deadlift (Dumbbell)" -> "dumbbell"

    @property
    def rpe(self) -> float | None:
        values = {s.rpe for s in self.sets}
        return values.pop() if len(values) == 1 else None


@dataclass(frozen=True)
class Ambiguous:
    """Two plausible readings of the numbers; the person picks one."""

    text: str
    exercise: str
    readings: tuple[ParsedLine, ...]
    question: str


@dataclass(frozen=True)
class Unreadable:
    text: str
    reason: str
    exercise: str = ""


class Refuse(Exception):
    pass
