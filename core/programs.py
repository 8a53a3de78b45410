"""Training programs loaded from data, checked against the catalog and the volume guidance.

The checks are the fact sheet's numbers in code: hard glute sets per session at
most ~10 (IUSCA 2021) and 10-20 a week (Schoenfeld 2017; the target /week
reports), counted exactly as /week counts them (core/volume.py), and every
exercise doable with the equipment the program declares.
"""

from __future__ import annotations

import tomllib
from dataclasses import replace
from pathlib import Path

from core.catalog import Catalog, TomlTable
from core.domain import Block, LoadType, PlannedExercise, Program, ProgramDay
from core.gear import GEAR, doable
from core.profile import PLACES, WEEKDAYS
from core.volume import volume_rules

DATA = Path(__file__).parent / "data" / "programs.toml"
DEFAULT_PROGRAM_ID = "home_2x"  # needs no equipment, so it suits someone we know nothing about
HARD_BLOCKS = (Block.MAIN, Block.SINGLE_LEG, Block.ABDUCTION)
MAX_HARD_SETS_PER_SESSION = 10
BLOCK_ORDER = list(Block)
LEVELS = frozenset({"novice", "intermediate"})


def load_programs(path: Path | None = None, catalog: Catalog | None = None) -> dict[str, Program]:
    catalog = catalog or Catalog.load()
    with (path or DATA).open("rb") as fh:
        raw = tomllib.load(fh)
    programs = [_program(entry, catalog) for entry in raw.get("program", [])]
    ids = [p.id for p in programs]
    if duplicates := sorted({i for i in ids if ids.count(i) > 1}):
        raise ValueError(f"duplicate program id(s): {', '.join(duplicates)}")
    if DEFAULT_PROGRAM_ID not in {p.id for p in programs}:
        raise ValueError(f"the default program {DEFAULT_PROGRAM_ID!r} is missing")
    return {p.id: p for p in programs}


def hard_sets(day: ProgramDay) -> int:
    return sum(item.sets for item in day.items if item.block in HARD_BLOCKS)


def weekly_hard_glute_sets(program: Program) -> float:
    """Average hard sets a week: the rotation spreads days_per_week sessions over the days."""
    if not program.days:
        return 0.0
    per_session = sum(hard_sets(day) for day in program.days) / len(program.days)
    return per_session * program.days_per_week


def choose_program(
    programs: dict[str, Program],
    place: str,
    days_per_week: int,
    experience: str | None = None,
    equipment: frozenset[str] | None = None,
) -> Program:
    """The program for this place and experience whose days a week are closest to what the person picked.

    A novice never gets an intermediate program (ACSM 2009: novices 8-12 RM);
    a program needing equipment the person said they lack comes last.
    """
    same_place = [p for p in programs.values() if p.place == place] or list(programs.values())
    return min(
        same_place,
        key=lambda p: (
            experience == "novice" and p.level != "novice",
            equipment is not None and not p.equipment <= equipment,
            abs(p.days_per_week - days_per_week),
            experience is not None and p.level != experience,
            p.days_per_week,
        ),
    )


def _program(entry: TomlTable, catalog: Catalog) -> Program:
    ident = entry.get("id", "?")
    try:
        days = tuple(_day(day, catalog) for day in entry["day"])
        program = Program(
            id=entry["id"],
            name=entry["name"],
            place=entry["place"],
            level=entry["level"],
            days_per_week=int(entry["days_per_week"]),
            default_weekdays=tuple(entry["default_weekdays"]),
            days=days,
            summary=entry["summary"],
            source=entry["source"].strip(),
            equipment=frozenset(entry.get("equipment", ())),
        )
    except KeyError as exc:
        raise ValueError(f"program {ident}: missing key {exc}") from None
    except ValueError as exc:
        raise ValueError(f"program {ident}: {exc}") from None
    problems = _program_problems(program, catalog)
    weekly = weekly_hard_glute_sets(program)
    if "weekly_glute_sets" in entry and entry["weekly_glute_sets"] != round(weekly):
        problems.append(f"weekly_glute_sets says {entry['weekly_glute_sets']} but the days add up to {weekly:g}")
    if problems:
        raise ValueError(f"program {ident}: {'; '.join(problems)}")
    return replace(program, weekly_glute_sets=round(weekly))


def _program_problems(program: Program, catalog: Catalog) -> list[str]:
    problems = [] if program.days else ["it has no days"]
    if program.place not in PLACES:
        problems.append(f"place must be one of {sorted(PLACES)}")
    if program.level not in LEVELS:
        problems.append(f"level must be one of {sorted(LEVELS)}")
    if not program.source or not program.summary:
        problems.append("summary and source must not be empty")
    unknown_days = [d for d in program.default_weekdays if d not in WEEKDAYS]
    if unknown_days or len(set(program.default_weekdays)) != program.days_per_week:
        problems.append(f"default_weekdays must name {program.days_per_week} different days from {', '.join(WEEKDAYS)}")
    rules = volume_rules()
    for day in program.days:
        if hard_sets(day) > MAX_HARD_SETS_PER_SESSION:
            problems.append(f"{day.title}: {hard_sets(day)} hard sets (max {MAX_HARD_SETS_PER_SESSION})")
        for item in day.items:
            counted = rules.is_hard_glute_set(catalog.get(item.exercise_id))
            if counted != (item.block in HARD_BLOCKS):
                problems.append(
                    f"{day.title}: {item.exercise_id} in {item.block} is {'' if counted else 'not '}"
                    "a hard glute set as /week counts them"
                )
            if not doable(catalog.get(item.exercise_id), program.equipment):
                problems.append(f"{day.title}: {item.exercise_id} needs equipment the program does not list")
    if program.equipment - GEAR:
        problems.append(f"unknown equipment {sorted(program.equipment - GEAR)}")
    weekly = weekly_hard_glute_sets(program)
    if not rules.low <= weekly <= rules.high:
        problems.append(f"{weekly:g} hard sets a week, outside the {rules.low}-{rules.high} target")
    if program.place == "home":
        weighted = sorted(
            {
                i.exercise_id
                for d in program.days
                for i in d.items
                if catalog.get(i.exercise_id).load_type == LoadType.WEIGHTED
            }
        )
        if weighted:
            problems.append(f"a home program needs no weights; weighted: {', '.join(weighted)}")
    return problems


def _day(entry: TomlTable, catalog: Catalog) -> ProgramDay:
    title = entry["title"]
    try:
        items = tuple(_item(item, catalog) for item in entry["item"])
    except KeyError as exc:
        raise ValueError(f"{title}: missing key {exc}") from None
    except ValueError as exc:
        raise ValueError(f"{title}: {exc}") from None
    order = [BLOCK_ORDER.index(item.block) for item in items]
    if order != sorted(order):
        raise ValueError(f"{title}: blocks must run {', '.join(BLOCK_ORDER)}")
    return ProgramDay(title, items)


def _item(entry: TomlTable, catalog: Catalog) -> PlannedExercise:
    if entry["exercise"] not in catalog:
        raise ValueError(f"unknown exercise {entry['exercise']!r}")
    exercise = catalog.get(entry["exercise"])
    reps = entry.get("reps")
    low, high = (reps, reps) if isinstance(reps, int) else (tuple(reps) if reps else (None, None))
    seconds = entry.get("seconds")
    if (exercise.load_type == LoadType.TIMED) != (seconds is not None) or (seconds is None) == (low is None):
        kind = "seconds" if exercise.load_type == LoadType.TIMED else "reps"
        raise ValueError(f"{exercise.id}: give {kind} only (it is {exercise.load_type.value})")
    if low is not None and not 0 < low <= high:
        raise ValueError(f"{exercise.id}: reps must be [min, max] with 0 < min <= max")
    return PlannedExercise(
        exercise.id, Block(entry["block"]), int(entry["sets"]), low, high, seconds, int(entry.get("rest_s", 60))
    )
