"""A command's history reads, brought along with the person's read (issue 20): /today's recent
sets (its loads) and /week's sets, training days and pain arrive in the query that reads the
person, so a message that only reads costs one round trip.

The command declares them (core.ports.ReadAhead) as windows of local days around the person's
today. The query runs before their time zone is known, so each window is widened by a day on
both sides of today's UTC date (every zone's today is one of those three days); the progress
repository then answers the exact question from these rows (SqlProgressRepo.read_ahead).

The rows come as extra parts of a UNION ALL below the person's rows, each marked in its `part`
column, so the person's rows are what they were and the history is not multiplied by them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from functools import lru_cache
from typing import Any

from sqlalchemy import (
    Boolean,
    CompoundSelect,
    Date,
    Float,
    Integer,
    Select,
    String,
    Text,
    bindparam,
    cast,
    literal_column,
    null,
    select,
    union,
    union_all,
)
from sqlalchemy.types import TypeEngine

from bot.storage import models
from bot.storage.models import UtcDateTime
from core.history import LoggedSet, PainNote
from core.ports import ReadAhead

USERS, ENTRIES, SETS = models.User.__table__, models.LogEntry.__table__, models.SetLog.__table__
SESSIONS, REPORTS = models.TrainingSession.__table__, models.PainReport.__table__

PART = "part"  # which rows: the person's ("person") or a read-ahead part below
# The read-ahead columns, NULL in the person's rows: a set's, and a training day's x_local_date;
# pain reports use the person's r_* columns.
SET_COLUMNS: dict[str, TypeEngine[Any]] = {
    "x_local_date": Date(),
    "x_entry_id": Integer(),
    "x_exercise_id": String(),
    "x_custom_name": String(),
    "x_logged_at": UtcDateTime(),
    "x_set_id": Integer(),
    "x_set_no": Integer(),
    "x_reps": Integer(),
    "x_load_kg": Float(),
    "x_seconds": Integer(),
    "x_rpe": Float(),
    "x_per_side": Boolean(),
    "x_distance_m": Float(),
    "x_rir": Integer(),
    "x_warmup": Boolean(),
    "x_band": String(),
    "x_note": Text(),
    "x_program_id": String(),
    "x_day_index": Integer(),
}
SETS_AT = -len(SET_COLUMNS)  # where they start in a row
PART_AT = SETS_AT - 1


def _window(part: str, last: bool = False):
    return bindparam(f"{part}_{'last' if last else 'first'}", type_=UtcDateTime() if part == "pain" else Date())


def _padded(person: Select, part: str, values: dict) -> Select:
    """A read-ahead part shaped like the person's rows: its values where it has them, else NULL."""
    person_names = [c.key for c in person.selected_columns]
    return select(
        *(values.get(name, null()).label(name) for name in person_names),
        literal_column(f"'{part}'", String()).label(PART),
        *(values.get(name, null()).label(name) for name in SET_COLUMNS),
    )


def _parts(person: Select, identity) -> dict[str, list[Select]]:
    sets = (
        _padded(
            person,
            "set",
            {
                "x_local_date": ENTRIES.c.local_date,
                "x_entry_id": ENTRIES.c.id,
                "x_exercise_id": ENTRIES.c.exercise_id,
                "x_custom_name": ENTRIES.c.custom_name,
                "x_logged_at": ENTRIES.c.logged_at,
                "x_set_id": SETS.c.id,
                **{
                    f"x_{name}": SETS.c[name]
                    for name in (
                        "set_no",
                        "reps",
                        "load_kg",
                        "seconds",
                        "rpe",
                        "per_side",
                        "distance_m",
                        "rir",
                        "warmup",
                        "band",
                        "note",
                    )
                },
                "x_program_id": SESSIONS.c.program_id,
                "x_day_index": SESSIONS.c.day_index,
            },
        )
        .select_from(
            USERS.join(ENTRIES, ENTRIES.c.user_id == USERS.c.id)
            .join(SETS, SETS.c.entry_id == ENTRIES.c.id)
            .outerjoin(SESSIONS, SESSIONS.c.id == ENTRIES.c.session_id)
        )
        .where(identity, ENTRIES.c.local_date.between(_window("sets"), _window("sets", True)), SETS.c.warmup.is_(False))
    )
    # Deduplicated in a subquery: PostgreSQL would type the padding NULLs of a SELECT DISTINCT as text.
    days = union(
        select(SESSIONS.c.local_date)
        .join(USERS, USERS.c.id == SESSIONS.c.user_id)
        .where(
            identity,
            SESSIONS.c.completed_at.is_not(None),
            SESSIONS.c.local_date.between(_window("days"), _window("days", True)),
        ),
        select(ENTRIES.c.local_date)
        .join(USERS, USERS.c.id == ENTRIES.c.user_id)
        .join(SETS, SETS.c.entry_id == ENTRIES.c.id)
        .where(identity, ENTRIES.c.local_date.between(_window("days"), _window("days", True))),
    ).subquery("training_days")
    trained = _padded(person, "day", {"x_local_date": days.c.local_date}).select_from(days)
    pain = (
        _padded(
            person,
            "pain",
            {f"r_{name}": REPORTS.c[name] for name in ("id", "area", "severity", "status", "reported_at")},
        )
        .select_from(USERS.join(REPORTS, REPORTS.c.user_id == USERS.c.id))
        .where(identity, REPORTS.c.reported_at >= _window("pain"), REPORTS.c.reported_at < _window("pain", True))
    )
    return {"sets": [sets], "training_dates": [trained], "pain": [pain]}


@lru_cache(maxsize=None)
def statement(person: Select, sets: bool, training_dates: bool, pain: bool) -> CompoundSelect:
    """The person's read with the parts asked for; built once per shape (at most eight)."""
    identity = (USERS.c.platform == bindparam("platform")) & (USERS.c.platform_user_id == bindparam("platform_user_id"))
    # Typed NULLs: PostgreSQL resolves a UNION's column types pair by pair, and NULL with NULL is text.
    own = person.order_by(None).add_columns(
        literal_column("'person'", String()).label(PART),
        *(cast(null(), type_).label(name) for name, type_ in SET_COLUMNS.items()),
    )
    parts = _parts(person, identity)
    wanted = [name for name, asked in (("sets", sets), ("training_dates", training_dates), ("pain", pain)) if asked]
    return union_all(own, *(part for name in wanted for part in parts[name]))


@dataclass
class Windows:
    """The local days (and, for pain, the UTC instants) the read-ahead covers, as asked of the database."""

    sets: tuple[date, date] | None = None
    training_dates: tuple[date, date] | None = None
    pain: tuple[datetime, datetime] | None = None

    @classmethod
    def around(cls, ahead: ReadAhead, now: datetime) -> Windows:
        today = now.astimezone(timezone.utc).date()  # the person's today is this, the day before or after

        def days(window: tuple[int, int] | None) -> tuple[date, date] | None:
            return (
                None
                if window is None
                else (today + timedelta(days=window[0] - 1), today + timedelta(days=window[1] + 1))
            )

        pain_days = days(ahead.pain)
        # A local day lies within UTC's day before it and the day after it (zones are -12 to +14 hours).
        pain = (
            None
            if pain_days is None
            else (
                datetime.combine(pain_days[0] - timedelta(days=1), time(), timezone.utc),
                datetime.combine(pain_days[1] + timedelta(days=2), time(), timezone.utc),
            )
        )
        return cls(days(ahead.sets), days(ahead.training_dates), pain)

    def params(self) -> dict:
        values = {}
        for name, window in (("sets", self.sets), ("days", self.training_dates), ("pain", self.pain)):
            if window is not None:
                values[f"{name}_first"], values[f"{name}_last"] = window
        return values


@dataclass
class History:
    """What was read ahead for one person: the windows and their rows."""

    windows: Windows
    set_rows: list[tuple] = field(default_factory=list)  # the SET_COLUMNS values, as sets_between orders them
    training_dates: set[date] = field(default_factory=set)
    pain: list[PainNote] = field(default_factory=list)  # oldest first

    def sets_between(self, first: date, last: date) -> list[LoggedSet]:
        """Only the sets asked for become LoggedSets (a frozen dataclass of 18 fields costs more to
        build than its row costs to read), so the widened window costs little."""
        return [
            LoggedSet(
                v[1],
                v[2],
                v[3],
                v[0],
                v[4],
                v[6],
                v[7],
                v[8],
                v[9],
                v[10],
                v[11],
                v[17],
                v[18],
                v[12],
                v[13],
                v[14],
                v[15],
                v[16],
            )
            for v in self.set_rows
            if first <= v[0] <= last
        ]


def read(person: Select, ahead: ReadAhead, now: datetime) -> tuple[CompoundSelect, Windows]:
    windows = Windows.around(ahead, now)
    return statement(
        person, windows.sets is not None, windows.training_dates is not None, windows.pain is not None
    ), windows


def split(rows, windows: Windows) -> tuple[list, History]:
    """The person's rows (current pain reports oldest first, as the person's read orders them) and
    the history read ahead. A set row is read by position: by name, the 18 fields of each cost more
    than the query."""
    own, sets, days, pain = [], [], set(), []
    for r in rows:
        part = r[PART_AT]
        if part == "person":
            own.append(r)
        elif part == "set":
            sets.append(r[SETS_AT:])
        elif part == "day":
            days.add(r[SETS_AT])
        else:
            pain.append(r)
    own.sort(key=lambda r: (r.r_id is not None, r.r_reported_at, r.r_id))
    sets.sort(key=lambda v: (v[4], v[1], v[6], v[5]))  # logged_at, entry, set_no, set id: as sets_between
    history = History(windows, sets, days)
    pain.sort(key=lambda r: (r.r_reported_at, r.r_id))
    history.pain = [PainNote(r.r_area, r.r_severity, r.r_status, r.r_reported_at) for r in pain]
    return own, history
