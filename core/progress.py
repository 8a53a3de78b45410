"""The arithmetic of progress: units, estimated 1RM, the daily series a chart draws.

Loads are stored in canonical kg and shown in the person's units only here, at
the edge, so a person who switches from kg to lb sees their whole history in lb.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import groupby

from core.catalog import Catalog
from core.domain import Exercise
from core.history import LoggedSet

KG_PER_LB = 0.45359237  # the international pound, exactly


def in_units(load_kg: float, units: str) -> float:
    return load_kg / KG_PER_LB if units == "lb" else load_kg


def number(value: float) -> str:
    """60.0 -> '60', 61.25 -> '61.25', 132.277 -> '132.28': what a person would write."""
    return f"{round(value, 2):g}"


def format_load(load_kg: float, units: str) -> str:
    return f"{number(in_units(load_kg, units))} {units}"


def approx_number(load_kg: float, units: str) -> str:
    """A load worked out rather than lifted (an estimate, a conversion), rounded to what a plate allows:
    nobody reads an estimated 1RM of 193.33 lb to the hundredth."""
    return f"{round(in_units(load_kg, units) * 2) / 2:g}"


def format_estimate(load_kg: float, units: str) -> str:
    return f"{approx_number(load_kg, units)} {units}"


def estimated_1rm(load_kg: float | None, reps: int | None) -> float | None:
    """Epley's estimate, load x (1 + reps/30); a single is its own 1RM.

    It is an estimate that drifts above roughly 10 reps, which is fine for a
    trend line: the same formula on every day keeps the days comparable.
    """
    if not load_kg or not reps or reps < 1:
        return None
    return load_kg if reps == 1 else load_kg * (1 + reps / 30)


@dataclass(frozen=True)
class ProgressPoint:
    """One training day of one exercise: its heaviest set and its best estimated 1RM."""

    day: date
    top_load_kg: float
    e1rm_kg: float


def progress_series(sets: list[LoggedSet]) -> list[ProgressPoint]:
    """One point per local day with at least one loaded set with reps, oldest first."""
    loaded = sorted(
        ((s.local_date, s.load_kg, e1rm) for s in sets if s.load_kg and (e1rm := estimated_1rm(s.load_kg, s.reps))),
        key=lambda row: row[0],
    )
    points = []
    for day, group in groupby(loaded, key=lambda row: row[0]):
        day_sets = list(group)
        points.append(
            ProgressPoint(
                day,
                max(load for _, load, _ in day_sets),
                max(e1rm for _, _, e1rm in day_sets),
            )
        )
    return points


def best_set(sets: list[LoggedSet]) -> LoggedSet:
    """The set a person would brag about: highest estimated 1RM, else most reps, else longest hold."""
    return max(sets, key=lambda s: (estimated_1rm(s.load_kg, s.reps) or 0, s.reps or 0, s.seconds or 0))


def describe_set(s: LoggedSet, units: str) -> str:
    side = " per side" if s.per_side else ""
    if s.load_kg and s.reps:
        text = f"{format_load(s.load_kg, units)} x {s.reps}{side}"
        e1rm = estimated_1rm(s.load_kg, s.reps)
        if s.reps > 1 and e1rm:
            text += f" (est. 1RM {format_estimate(e1rm, units)})"
        return text
    if s.reps:
        return f"{s.reps} reps{side}"
    if s.seconds:
        return f"{s.seconds} s{side}"
    return "a set"


def exercise_of(catalog: Catalog, s: LoggedSet) -> Exercise | None:
    """The catalog exercise a set belongs to, or None for a custom one."""
    return catalog.get(s.exercise_id) if s.exercise_id in catalog else None


def exercise_label(catalog: Catalog, s: LoggedSet) -> str:
    exercise = exercise_of(catalog, s)
    if exercise is not None:
        return exercise.name
    return s.custom_name or s.exercise_id.replace("_", " ").capitalize()


def consistency_streak(training_dates: set[date], this_monday: date, planned_per_week: int) -> int:
    """Weeks in a row, back from now, with at least the planned number of training days.

    The current week counts once it has met the plan; until then it does not
    break the streak, because it is not over yet.
    """
    if planned_per_week <= 0:
        return 0
    per_week = Counter(day - timedelta(days=day.weekday()) for day in training_dates)
    week = this_monday if per_week[this_monday] >= planned_per_week else this_monday - timedelta(weeks=1)
    streak = 0
    while per_week[week] >= planned_per_week:
        streak += 1
        week -= timedelta(weeks=1)
    return streak
