"""Logged entries as the core handles them: what to store, and what was stored."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime


@dataclass(frozen=True)
class SetRecord:
    reps: int | None
    load_kg: float | None  # canonical kilograms; None = bodyweight
    seconds: int | None = None
    rpe: float | None = None
    per_side: bool = False
    distance_m: float | None = None
    rir: int | None = None
    warmup: bool = False  # stored, shown, and left out of records and progression
    band: str | None = None  # "green", "heavy": the band's colour or level as written
    note: str | None = None  # what was written after the numbers ("felt easy")


@dataclass(frozen=True)
class NewEntry:
    exercise_id: str
    custom_name: str | None
    unit: str  # the unit the person wrote (or uses), for answering in kind
    raw_text: str
    message_key: str
    line_no: int
    logged_at: datetime
    local_date: date
    session_id: int | None
    sets: tuple[SetRecord, ...]


@dataclass(frozen=True)
class LoggedEntry:
    id: int
    exercise_id: str
    custom_name: str | None
    unit: str
    raw_text: str
    logged_at: datetime
    local_date: date
    sets: tuple[SetRecord, ...]
