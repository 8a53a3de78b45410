"""Training programs loaded from data, checked against the catalog and the volume guidance.

The checks are the fact sheet's numbers in code: hard glute sets per session at
most ~10 (IUSCA 2021) and at least ~10 a week (Schoenfeld 2017).
"""

from __future__ import annotations

import tomllib
from dataclasses import replace
from pathlib import Path

from core.catalog import Catalog
from core.domain import Block, PlannedExercise, Program, ProgramDay

DATA = Path(__file__).parent / "data" / "programs.toml"
DEFAULT_PROGRAM_ID = "home_2x"  # needs no equipment, so it suits someone we know nothing about
HARD_BLOCKS = (Block.MAIN, Block.SINGLE_LEG, Block.ABDUCTION)
MAX_HARD_SETS_PER_SESSION = 10
MIN_HARD_SETS_PER_WEEK = 10
BLOCK_ORDER = list(Block)


def load_programs(path: Path | None = None, catalog: Catalog | None = None) -> dict[str, Program]:
    catalog = catalog or Catalog.load()
    with (path or DATA).open("rb") as fh:
        raw = tomllib.load(fh)
    programs = [_program(entry, catalog) for entry in raw.get("program", [])]
    if DEFAULT_PROGRAM_ID not in {p.id for p in programs}:
        raise ValueError(f"the default program {DEFAULT_PROGRAM_ID!r} is missing")
    return {p.id: p for p in programs}


def hard_sets(day: ProgramDay) -> int:
    return sum(item.sets for item in day.items if item.block in HARD_BLOCKS)


def weekly_hard_glute_sets(program: Program) -> float:
    """Average hard sets a week: the rotation spreads days_per_week sessions over the days."""
    per_session = sum(hard_sets(day) for day in program.days) / len(program.days)
    return per_session * program.days_per_week


def choose_program(programs: dict[str, Program], setting: str, days_per_week: int) -> Program:
    """The program for this place whose days a week are closest to what the person picked."""
    same_place = [p for p in programs.values() if p.setting == setting] or list(programs.values())
    return min(same_place, key=lambda p: (abs(p.days_per_week - days_per_week), p.days_per_week))


def _program(entry: dict, catalog: Catalog) -> Program:
    ident = entry.get("id", "?")
    try:
        days = tuple(_day(day, catalog) for day in entry["day"])
        program = Program(
            id=entry["id"], name=entry["name"], setting=entry["setting"], level=entry["level"],
            days_per_week=int(entry["days_per_week"]), default_weekdays=tuple(entry["default_weekdays"]),
            days=days, summary=entry["summary"], source=entry["source"].strip(),
        )
    except (KeyError, ValueError) as exc:
        raise ValueError(f"program {ident}: {exc}") from None
    for day in program.days:
        if hard_sets(day) > MAX_HARD_SETS_PER_SESSION:
            raise ValueError(f"program {ident}, {day.title}: {hard_sets(day)} hard sets (max {MAX_HARD_SETS_PER_SESSION})")
    if weekly_hard_glute_sets(program) < MIN_HARD_SETS_PER_WEEK:
        raise ValueError(f"program {ident}: fewer than {MIN_HARD_SETS_PER_WEEK} hard sets a week")
    if len(program.default_weekdays) != program.days_per_week:
        raise ValueError(f"program {ident}: default_weekdays must name {program.days_per_week} days")
    return replace(program, weekly_glute_sets=round(weekly_hard_glute_sets(program)))


def _day(entry: dict, catalog: Catalog) -> ProgramDay:
    items = tuple(_item(item, catalog) for item in entry["item"])
    order = [BLOCK_ORDER.index(item.block) for item in items]
    if order != sorted(order):
        raise ValueError(f"{entry['title']}: blocks must run activation, main, single_leg, abduction, mobility")
    return ProgramDay(entry["title"], items)


def _item(entry: dict, catalog: Catalog) -> PlannedExercise:
    if entry["exercise"] not in catalog:
        raise ValueError(f"unknown exercise {entry['exercise']!r}")
    reps = entry.get("reps")
    low, high = (reps, reps) if isinstance(reps, int) else (tuple(reps) if reps else (None, None))
    if entry.get("seconds") is None and low is None:
        raise ValueError(f"{entry['exercise']}: give reps or seconds")
    return PlannedExercise(entry["exercise"], Block(entry["block"]), int(entry["sets"]), low, high,
                           entry.get("seconds"), int(entry.get("rest_s", 60)))
