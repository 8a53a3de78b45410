"""Progression for bodyweight and band work: the next rung of a ladder (data/ladders.toml).

Without a bar there is no load to add, so double progression (ACSM 2009) moves
to a harder variation instead: hit the top of the range on every set in two
sessions running, and the next rung (or a heavier band, a pause, a slower
lowering) is suggested.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from core.catalog import Catalog
from core.domain import Exercise, LoadType, PlannedExercise
from core.progression import Logged

DATA = Path(__file__).parent / "data" / "ladders.toml"
TIMES_AT_TOP = 2


@dataclass(frozen=True)
class Ladder:
    id: str
    rungs: tuple[str, ...]  # easiest first
    novice_start: str | None
    top_step: str


@dataclass(frozen=True)
class Ladders:
    by_exercise: dict[str, Ladder]
    default_top_step: str

    def of(self, exercise_id: str) -> Ladder | None:
        return self.by_exercise.get(exercise_id)

    def harder(self, exercise_id: str) -> str | None:
        ladder = self.of(exercise_id)
        if ladder is None:
            return None
        index = ladder.rungs.index(exercise_id)
        return ladder.rungs[index + 1] if index + 1 < len(ladder.rungs) else None


@lru_cache(maxsize=1)
def load_ladders(path: Path = DATA) -> Ladders:
    catalog = Catalog.load()
    with path.open("rb") as fh:
        raw = tomllib.load(fh)
    by_exercise: dict[str, Ladder] = {}
    for entry in raw["ladder"]:
        ladder = Ladder(entry["id"], tuple(entry["rungs"]), entry.get("novice_start"), entry["top_step"])
        for rung in ladder.rungs:
            if rung not in catalog:
                raise ValueError(f"ladder {ladder.id}: unknown exercise {rung!r}")
            if catalog.get(rung).load_type not in (LoadType.BODYWEIGHT, LoadType.BAND):
                raise ValueError(f"ladder {ladder.id}: {rung} is not a bodyweight or band exercise")
            if rung in by_exercise:
                raise ValueError(f"ladder {ladder.id}: {rung} is already on ladder {by_exercise[rung].id}")
            by_exercise[rung] = ladder
        if ladder.novice_start is not None and ladder.novice_start not in ladder.rungs:
            raise ValueError(f"ladder {ladder.id}: novice_start must be one of its rungs")
    return Ladders(by_exercise, raw["top_step_default"])


def next_step(
    planned: PlannedExercise, exercise: Exercise, history: list[Logged], catalog: Catalog, ladders: Ladders
) -> str | None:
    """'Ready to move up (...): try Single-leg hip thrust instead' after the top of the range twice running."""
    if exercise.load_type not in (LoadType.BODYWEIGHT, LoadType.BAND) or planned.reps_max is None:
        return None
    recent = history[:TIMES_AT_TOP]
    if len(recent) < TIMES_AT_TOP or not all(_all_at_top(entry, planned.reps_max) for entry in recent):
        return None
    why = f"you did {planned.reps_max} on every set twice running"
    harder = ladders.harder(exercise.id)
    if harder is not None:
        return (
            f"Ready to move up ({why}): try {catalog.get(harder).name} instead. "
            "Log it as usual and it becomes your plan here."
        )
    ladder = ladders.of(exercise.id)
    step = ladder.top_step if ladder else ladders.default_top_step
    return f"Ready to move up ({why}): {step}."


def _all_at_top(entry: Logged, reps_max: int) -> bool:
    reps = [s.reps for s in entry.sets if s.reps]
    return bool(reps) and all(r >= reps_max for r in reps)
