"""Short no-equipment routines (rest days, "glute up" breaks) loaded from data."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

from core.catalog import Catalog

DATA = Path(__file__).parent / "data" / "routines.toml"


@dataclass(frozen=True)
class RoutineItem:
    exercise_id: str
    sets: int
    reps: int | None = None
    seconds: int | None = None


@dataclass(frozen=True)
class Routine:
    id: str
    kind: str
    title: str
    items: tuple[RoutineItem, ...]

    def render(self, catalog: Catalog) -> str:
        lines = [self.title]
        for item in self.items:
            exercise = catalog.get(item.exercise_id)
            dose = f"{item.seconds} s" if item.seconds else f"{item.reps}"
            side = " per side" if exercise.per_side else ""
            sets = f"{item.sets} x " if item.sets > 1 else ""
            lines.append(f"• {exercise.name}: {sets}{dose}{side}")
        return "\n".join(lines)


def load_routines(catalog: Catalog, path: Path = DATA) -> dict[str, tuple[Routine, ...]]:
    with path.open("rb") as fh:
        raw = tomllib.load(fh)
    by_kind: dict[str, list[Routine]] = {}
    for entry in raw.get("routine", []):
        items = tuple(
            RoutineItem(i["exercise"], i.get("sets", 1), i.get("reps"), i.get("seconds")) for i in entry["items"]
        )
        for item in items:
            if item.exercise_id not in catalog:
                raise ValueError(f"routine {entry['id']}: unknown exercise {item.exercise_id!r}")
        by_kind.setdefault(entry["kind"], []).append(Routine(entry["id"], entry["kind"], entry["title"], items))
    return {kind: tuple(routines) for kind, routines in by_kind.items()}
