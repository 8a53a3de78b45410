"""What the coach says about logged sets: the echo and personal records.

The next load to lift is core.progression's job (per rep range, on real
equipment steps). Estimated 1RM is Epley's (see core.progress.estimated_1rm).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol, TypeVar

from core.progress import estimated_1rm, format_estimate, format_load, in_units, number
from core.setlog.entries import LoggedEntry, SetRecord


def describe_sets(sets: tuple[SetRecord, ...], units: str) -> str:
    """'3 x 10 @ 60 kg', '60 kg x 10, 10, 8', '3 x 45 s', 'warm-up 1 x 10 @ 20 kg, then 3 x 10 @ 60 kg'."""
    warmups, work = tuple(s for s in sets if s.warmup), tuple(s for s in sets if not s.warmup)
    parts = ([f"warm-up {_describe(warmups, units)}"] if warmups else []) + ([_describe(work, units)] if work else [])
    return ", then ".join(parts)


class _Set(Protocol):
    @property
    def warmup(self) -> bool: ...


S = TypeVar("S", bound=_Set)  # a stored SetRecord or a just-parsed ParsedSet


def work_sets(sets: Iterable[S]) -> list[S]:
    """Warm-ups are kept and shown, but records and progression look only at work sets."""
    return [s for s in sets if not s.warmup]


def _describe(sets: tuple[SetRecord, ...], units: str) -> str:
    side = " per side" if sets and sets[0].per_side else ""
    distances = [s.distance_m for s in sets if s.distance_m]
    if len(distances) == len(sets):
        if len(set(distances)) == 1:
            return f"{len(sets)} x {number(distances[0])} m{side}"
        return ", ".join(f"{number(d)} m" for d in distances) + side
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


def top_load(entry_sets: Iterable[SetRecord]) -> float | None:
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
    loaded = [(s.load_kg, s.reps) for s in work_sets(new) if s.load_kg and s.reps]
    if not loaded:
        return []
    best_load, best_reps = max(loaded)
    previous_at_reps = [s.load_kg for s in history if s.load_kg and s.reps and s.reps >= best_reps]
    if not previous_at_reps or best_load > max(previous_at_reps) + 1e-6:
        before = f" (before: {format_load(max(previous_at_reps), units)})" if previous_at_reps else ""
        records.append(Record(f"New record: {format_load(best_load, units)} for {best_reps} reps{before}"))
    old_best = max((estimated_1rm(s.load_kg, s.reps) or 0 for s in history), default=0)
    new_best = max(estimated_1rm(load, reps) or 0 for load, reps in loaded)
    shown_new, shown_old = format_estimate(new_best, units), format_estimate(old_best, units)
    if old_best and new_best > old_best + 1e-6 and shown_new != shown_old:  # no "80 kg (before: 80 kg)"
        records.append(Record(f"New best estimated 1RM: {shown_new} (before: {shown_old})"))
    return records
