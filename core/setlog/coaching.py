"""What the coach says about logged sets: the echo, personal records, progression.

Double progression after ACSM 2009 (Ratamess et al., MSSE 41(3):687-708):
when every set reached the top of the planned rep range, add 2-10 % load,
rounded to what the equipment allows; when reps fell below the range twice
running, back off. Estimated 1RM is Epley's (see core.progress.estimated_1rm).
"""

from __future__ import annotations

from dataclasses import dataclass

from core.domain import Exercise, LoadType, PlannedExercise
from core.progress import KG_PER_LB, estimated_1rm, format_load, in_units, number
from core.setlog.entries import LoggedEntry, SetRecord

INCREASE = 0.05  # aim for +5 %, within ACSM's 2-10 %
MAX_INCREASE = 0.10
BACK_OFF = 0.10
LB_PLATE_STEP = 5.0  # the smallest barbell jump in a pound gym (two 2.5 lb plates)


def describe_sets(sets: tuple[SetRecord, ...], units: str) -> str:
    """'3 x 10 @ 60 kg', '60 kg x 10, 10, 8', '3 x 45 s', 'warm-up 1 x 10 @ 20 kg, then 3 x 10 @ 60 kg'."""
    warmups, work = tuple(s for s in sets if s.warmup), tuple(s for s in sets if not s.warmup)
    parts = ([f"warm-up {_describe(warmups, units)}"] if warmups else []) + ([_describe(work, units)] if work else [])
    return ", then ".join(parts)


def work_sets(sets) -> list:
    """Warm-ups are kept and shown, but records and progression look only at work sets."""
    return [s for s in sets if not getattr(s, "warmup", False)]


def _describe(sets: tuple[SetRecord, ...], units: str) -> str:
    side = " per side" if sets and sets[0].per_side else ""
    if all(s.distance_m for s in sets):
        if len({s.distance_m for s in sets}) == 1:
            return f"{len(sets)} x {number(sets[0].distance_m)} m{side}"
        return ", ".join(f"{number(s.distance_m)} m" for s in sets) + side
    if all(s.seconds for s in sets):
        if len({s.seconds for s in sets}) == 1:
            return f"{len(sets)} x {sets[0].seconds} s{side}"
        return ", ".join(f"{s.seconds} s" for s in sets) + side
    loads = {s.load_kg for s in sets}
    reps = [s.reps for s in sets]
    load = next(iter(loads)) if len(loads) == 1 else None
    if len(loads) > 1:
        return ", ".join(f"{format_load(s.load_kg, units) if s.load_kg else 'bw'} x {s.reps}" for s in sets) + side
    at = f" @ {format_load(load, units)}" if load else ""
    if len(set(reps)) == 1:
        return f"{len(sets)} x {reps[0]}{side}{at}"
    if load:
        return f"{format_load(load, units)} x {', '.join(str(r) for r in reps)}{side}"
    return f"{', '.join(str(r) for r in reps)} reps{side}"


def top_load(entry_sets) -> float | None:
    loads = [s.load_kg for s in work_sets(entry_sets) if s.load_kg]
    return max(loads) if loads else None


def comparison(now: tuple[SetRecord, ...], before: LoggedEntry, units: str) -> str:
    """'last time (Mon 16 Nov) 3 x 10 @ 55 kg: +5 kg'."""
    text = f"last time ({before.local_date:%a %d %b}) {describe_sets(before.sets, units)}"
    new_top, old_top = top_load(now), top_load(before.sets)
    if new_top and old_top and abs(new_top - old_top) > 1e-6:
        diff = in_units(new_top - old_top, units)
        text += f": {'+' if diff > 0 else ''}{number(diff)} {units}"
    else:
        new_reps = sum(s.reps or 0 for s in work_sets(now))
        old_reps = sum(s.reps or 0 for s in work_sets(before.sets))
        if new_reps != old_reps and new_reps and old_reps:
            text += f": {'+' if new_reps > old_reps else ''}{new_reps - old_reps} reps in total"
    return text


@dataclass(frozen=True)
class Record:
    text: str


def personal_records(new: tuple[SetRecord, ...], history: list[SetRecord], units: str) -> list[Record]:
    """Heaviest load for a rep count, and best estimated 1RM, against everything before.

    Nothing is announced the first time an exercise is logged: everything would be a record.
    """
    history = work_sets(history)
    if not history:
        return []
    records: list[Record] = []
    loaded = [s for s in work_sets(new) if s.load_kg and s.reps]
    if not loaded:
        return []
    best_new = max(loaded, key=lambda s: (s.load_kg, s.reps))
    previous_at_reps = [s.load_kg for s in history if s.load_kg and s.reps and s.reps >= best_new.reps]
    if not previous_at_reps or best_new.load_kg > max(previous_at_reps) + 1e-6:
        before = f" (before: {format_load(max(previous_at_reps), units)})" if previous_at_reps else ""
        records.append(Record(f"New record: {format_load(best_new.load_kg, units)} for {best_new.reps} reps{before}"))
    old_best = max((estimated_1rm(s.load_kg, s.reps) or 0 for s in history), default=0)
    new_best = max(estimated_1rm(s.load_kg, s.reps) or 0 for s in loaded)
    if old_best and new_best > old_best + 1e-6:
        records.append(Record(f"New best estimated 1RM: {format_load(new_best, units)} "
                              f"(before: {format_load(old_best, units)})"))
    return records


def round_load(load_kg: float, exercise: Exercise, units: str) -> float:
    """Round to what plates or dumbbells allow, in the person's units; returns kg."""
    step_kg = exercise.increment_kg or 2.5
    if units == "lb":
        step_lb = max(LB_PLATE_STEP if step_kg >= 2.5 else 2.5, 2.5)
        return round(load_kg / KG_PER_LB / step_lb) * step_lb * KG_PER_LB
    return round(load_kg / step_kg) * step_kg


def next_load(planned: PlannedExercise, exercise: Exercise, sessions: list[LoggedEntry], units: str) -> str | None:
    """The load hint for /today, from this exercise's previous entries (newest first)."""
    if exercise.load_type != LoadType.WEIGHTED or not sessions or planned.reps_max is None:
        return None
    last = sessions[0]
    load = top_load(last.sets)
    if not load:
        return None
    at_top = [s for s in work_sets(last.sets) if s.load_kg == load]
    if all((s.reps or 0) >= planned.reps_max for s in at_top):
        target = round_load(load * (1 + INCREASE), exercise, units)
        if target <= load:
            target = load + (exercise.increment_kg or 2.5)
        target = min(target, max(round_load(load * (1 + MAX_INCREASE), exercise, units), load + exercise.increment_kg))
        return f"{format_load(target, units)} (up from {format_load(load, units)}: you hit {planned.reps_max} on every set)"
    below = [entry for entry in sessions[:2]
             if any((s.reps or 0) < planned.reps_min for s in work_sets(entry.sets) if s.reps)]
    if len(below) == 2 and len(sessions) >= 2:
        target = round_load(load * (1 - BACK_OFF), exercise, units)
        return f"{format_load(target, units)} (down from {format_load(load, units)}: reps fell short twice, build back up)"
    return f"{format_load(load, units)} (as last time; add reps until you reach {planned.reps_max})"
