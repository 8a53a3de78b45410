"""Next loads a coach would sign: double progression on real equipment steps.

ACSM 2009 (Ratamess et al., MSSE 41(3):687-708): add 2-10 % load when the
person beats the top of the rep range. Here that rule meets the gym floor: a
suggestion is always a load that exists (equipment steps in data/equipment.toml,
per unit), never more than +10 % after rounding; when the smallest real step is
bigger than that (a 25 lb dumbbell to 30 lb is +20 %) the person adds reps
instead and is told why. A top set logged at RPE 10 (no rep left) is not yet
beating the range. After two weeks or more away the first session is about
15 % lighter. Heavy and light days are separate histories: the caller passes
only the sessions logged in the same rep range.
"""

from __future__ import annotations

import math
import tomllib
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Protocol
from pathlib import Path

from core.domain import Exercise, LoadType, PlannedExercise
from core.progress import KG_PER_LB, format_load, in_units

DATA = Path(__file__).parent / "data" / "equipment.toml"
LOADING = ("barbell", "dumbbell", "kettlebell", "cable", "machine")  # what an exercise's load comes from
AIM, MAX_STEP = 0.05, 0.10  # aim for +5 %, never above ACSM's 10 %
BACK_OFF = 0.10
NO_REPS_LEFT = 10.0  # RPE 10 = RIR 0
BREAK_DAYS = 14
COMEBACK = (0.80, 0.85, 0.90)  # 10-20 % lighter after a break, aiming at 15 %
EXTRA_REPS = 2  # ACSM: "1-2 reps over the target" before the load goes up
EPS = 1e-6


@dataclass(frozen=True)
class Grid:
    """The loads that exist on one piece of equipment, in the person's units."""

    units: str
    step: float
    empty: float  # the lightest load: an empty bar, the lightest dumbbell

    def nearest(self, value: float) -> float:
        return max(self.empty, round(value / self.step) * self.step)

    def above(self, value: float) -> float:
        return max(self.empty, math.floor(value / self.step + EPS) * self.step + self.step)

    def between(self, low: float, high: float) -> list[float]:
        first, last = math.ceil(low / self.step - EPS), math.floor(high / self.step + EPS)
        return [k * self.step for k in range(first, last + 1) if k * self.step >= self.empty - EPS]

    def kg(self, value: float) -> float:
        return value * KG_PER_LB if self.units == "lb" else value


@dataclass(frozen=True)
class Equipment:
    grids: dict[str, dict[str, Grid]]  # equipment id -> units -> grid
    ramp: tuple[tuple[float, int], ...]  # warm-up (fraction of the working load, reps)


@lru_cache(maxsize=1)
def equipment(path: Path = DATA) -> Equipment:
    with path.open("rb") as fh:
        raw = tomllib.load(fh)
    grids = {}
    for entry in raw["equipment"]:
        if entry["id"] not in LOADING:
            raise ValueError(f"{path.name}: unknown equipment {entry['id']!r}")
        grids[entry["id"]] = {
            units: Grid(units, float(entry[f"step_{units}"]), float(entry[f"empty_{units}"])) for units in ("kg", "lb")
        }
    if missing := set(LOADING) - set(grids):
        raise ValueError(f"{path.name}: no steps for {sorted(missing)}")
    ramp = tuple((percent / 100, reps) for percent, reps in raw["warm_up"]["ramp"])
    return Equipment(grids, ramp)


def grid_for(exercise: Exercise, units: str) -> Grid:
    """The first loading equipment the exercise lists ("barbell" for an RDL that also allows dumbbells)."""
    kind = next((e for e in exercise.equipment if e in LOADING), "barbell")
    return equipment().grids[kind][units]


class LoggedSetLike(Protocol):
    """What progression reads of a set: a stored SetRecord or a LoggedSet read back."""

    @property
    def reps(self) -> int | None: ...
    @property
    def load_kg(self) -> float | None: ...
    @property
    def rpe(self) -> float | None: ...
    @property
    def rir(self) -> int | None: ...


@dataclass(frozen=True)
class Logged:
    """One logged entry of one exercise: its local date and its sets."""

    day: date
    sets: tuple[LoggedSetLike, ...]


@dataclass(frozen=True)
class LoadAdvice:
    load_kg: float
    text: str  # "62.5 kg (up from 60 kg: you hit 12 on every set)"


def next_load(
    planned: PlannedExercise,
    exercise: Exercise,
    history: list[Logged],
    units: str,
    today: date,
    last_trained: date | None = None,
) -> LoadAdvice | None:
    """The working load for today from this rep range's history (newest first).

    `last_trained` is the last day the exercise was logged in any range: a
    break is a break whichever day it was.
    """
    reps_min, reps_max = planned.reps_min, planned.reps_max  # both or neither (core.programs checks)
    if exercise.load_type != LoadType.WEIGHTED or reps_min is None or reps_max is None:
        return None
    loaded = [(entry, top) for entry in history if (top := _top_load(entry))]
    if not loaded:
        return None
    grid = grid_for(exercise, units)
    last, load = loaded[0]

    def show(kg: float) -> str:
        return format_load(kg, units)

    away = (today - max(last_trained or last.day, last.day)).days
    if away >= BREAK_DAYS:
        return _comeback(load, grid, units, away)
    top_sets = [s for s in last.sets if s.load_kg and abs(s.load_kg - load) < EPS]
    at_top = all((s.reps or 0) >= reps_max for s in top_sets)
    spent = any((s.rpe or 0) >= NO_REPS_LEFT or s.rir == 0 for s in top_sets)  # RIR 0 = RPE 10
    if at_top and spent:
        return LoadAdvice(
            load,
            f"{show(load)} (as last time: you reached {reps_max} at RPE 10 with "
            f"nothing left; add load once {reps_max} leaves a rep or two in reserve)",
        )
    if at_top:
        return _increase(load, grid, units, reps_max)
    short = [e for e, _ in loaded[:2] if any((s.reps or 0) < reps_min for s in e.sets if s.reps)]
    if len(short) == 2:
        target = grid.kg(grid.nearest(in_units(load, units) * (1 - BACK_OFF)))
        if target < load - EPS:
            return LoadAdvice(target, f"{show(target)} (down from {show(load)}: reps fell short twice, build back up)")
    if spent:
        return LoadAdvice(load, f"{show(load)} (as last time: RPE 10 already, so beat it by a rep before adding load)")
    return LoadAdvice(load, f"{show(load)} (as last time; add reps until you reach {reps_max})")


def _increase(load: float, grid: Grid, units: str, reps_max: int) -> LoadAdvice:
    current = in_units(load, units)
    options = grid.between(current + EPS, current * (1 + MAX_STEP))
    options = [o for o in options if o > current + EPS]
    if not options:
        step_up = grid.above(current)
        percent = round((step_up / current - 1) * 100)
        reps = reps_max + EXTRA_REPS
        return LoadAdvice(
            load,
            f"{format_load(load, units)} x {reps} reps a set (the next real step, "
            f"{_show(step_up, units)}, would be +{percent} %, more than the 2-10 % a step "
            f"should add: add reps first)",
        )
    target = min(options, key=lambda o: (abs(o - current * (1 + AIM)), o))
    return LoadAdvice(
        grid.kg(target), f"{_show(target, units)} (up from {format_load(load, units)}: you hit {reps_max} on every set)"
    )


def _comeback(load: float, grid: Grid, units: str, away: int) -> LoadAdvice:
    current = in_units(load, units)
    low, aim, high = (current * f for f in COMEBACK)
    options = grid.between(low, high) or [grid.nearest(aim)]
    target = min(options, key=lambda o: abs(o - aim))
    percent = round((1 - target / current) * 100)
    weeks = away // 7
    return LoadAdvice(
        grid.kg(target),
        f"{_show(target, units)} (about {percent} % lighter than your last "
        f"{format_load(load, units)}: it has been {weeks} weeks, so ease back in; "
        "the usual progression resumes next time)",
    )


def warm_up(load_kg: float, exercise: Exercise, units: str) -> list[tuple[float, int]]:
    """A short ramp to the working load, (kg, reps), on real plates; never below the empty bar."""
    grid = grid_for(exercise, units)
    working = in_units(load_kg, units)
    sets: list[tuple[float, int]] = []
    for fraction, reps in equipment().ramp:
        value = grid.nearest(working * fraction)
        if value < working - EPS and all(abs(value - v) > EPS for v, _ in sets):
            sets.append((value, reps))
    return [(grid.kg(value), reps) for value, reps in sets]


def ramp_in_words() -> str:
    """Before the working load is known: the ramp as percentages."""
    ramp = equipment().ramp
    percents = ", ".join(f"{round(f * 100)} %" for f, _ in ramp)
    reps = ", ".join(str(r) for _, r in ramp)
    return f"about {percents} of your working weight, for {reps} reps"


def describe_warm_up(sets: list[tuple[float, int]], units: str) -> str:
    return ", ".join(f"{format_load(kg, units)} x {reps}" for kg, reps in sets)


def _top_load(entry: Logged) -> float | None:
    loads = [s.load_kg for s in entry.sets if s.load_kg]
    return max(loads) if loads else None


def _show(value_in_units: float, units: str) -> str:
    return f"{round(value_in_units, 2):g} {units}"
