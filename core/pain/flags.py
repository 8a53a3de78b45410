"""Red flags and per-area safety checks, loaded from core/data/red_flags.toml.

Kept apart from the pain rules so that a clinician can review what is asked,
how urgent each answer is and where that comes from, in one place.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

DATA = Path(__file__).resolve().parent.parent / "data" / "red_flags.toml"
SAME_DAY, SOON = "same_day", "soon"
GENERAL = "general"  # the check for symptoms named without an area


@dataclass(frozen=True)
class RedFlag:
    id: str
    short: str
    question: str
    urgency: str
    source: str
    patterns: tuple[re.Pattern[str], ...] = ()
    unsure: tuple[re.Pattern[str], ...] = ()
    cues: tuple[re.Pattern[str], ...] = ()  # may mean the flag in a message about pain: ask, don't ignore
    needs_pain: bool = False
    history: bool = False
    becomes: tuple[tuple[str, str], ...] = ()

    @property
    def urgent(self) -> bool:
        return self.urgency == SAME_DAY


@dataclass(frozen=True)
class Screen:
    area: str
    name: str
    flags: tuple[RedFlag, ...]
    blocking: bool = True


@dataclass(frozen=True)
class ReturnWeek:
    days: int
    sets_percent: int
    load_note: str
    explanation: str


@dataclass(frozen=True)
class Answers:
    """Typed answers: yes / no, and a clinician's all-clear mentioned in passing."""

    yes: tuple[re.Pattern[str], ...]
    no: tuple[re.Pattern[str], ...]
    cleared: tuple[re.Pattern[str], ...]

    @staticmethod
    def says(patterns: tuple[re.Pattern[str], ...], text: str) -> bool:
        return any(p.search(text) for p in patterns)


@dataclass(frozen=True)
class RedFlags:
    flags: dict[str, RedFlag]
    screens: dict[str, Screen]
    return_week: ReturnWeek
    answers: Answers
    # Any flag's pattern or cue, in one alternation: most messages (set logs, commands answered in
    # words) name none, and one search of a sentence rules out all 19 flags (a set log: 47 -> 28 us).
    named: re.Pattern[str]

    def screen_for(self, area: str) -> Screen | None:
        return self.screens.get(area)


def load_red_flags(path: Path = DATA) -> RedFlags:
    with path.open("rb") as fh:
        raw = tomllib.load(fh)
    flags = {}
    for entry in raw["flag"]:
        if entry["urgency"] not in (SAME_DAY, SOON):
            raise ValueError(f"red flag {entry['id']}: urgency must be {SAME_DAY} or {SOON}")
        flags[entry["id"]] = RedFlag(
            entry["id"],
            entry["short"],
            entry["question"],
            entry["urgency"],
            entry["source"],
            tuple(re.compile(p) for p in entry.get("patterns", ())),
            tuple(re.compile(p) for p in entry.get("unsure", ())),
            tuple(re.compile(p) for p in entry.get("cues", ())),
            bool(entry.get("needs_pain", False)),
            bool(entry.get("history", False)),
            tuple(entry.get("becomes", {}).items()),
        )
    for flag in flags.values():
        for _, other in flag.becomes:
            if other not in flags:
                raise ValueError(f"red flag {flag.id}: becomes unknown flag {other!r}")
    screens = {}
    for area, entry in raw["screen"].items():
        unknown = [f for f in entry["flags"] if f not in flags]
        if unknown:
            raise ValueError(f"screen {area}: unknown flags {unknown}")
        screens[area] = Screen(
            area, entry["name"], tuple(flags[f] for f in entry["flags"]), bool(entry.get("blocking", True))
        )
    week = raw["return_to_training"]
    answers = Answers(*(tuple(re.compile(p) for p in raw["answers"][kind]) for kind in ("yes", "no", "cleared")))
    return RedFlags(
        flags,
        screens,
        ReturnWeek(int(week["days"]), int(week["sets_percent"]), week["load_note"], week["explanation"]),
        answers,
        any_of(p for flag in flags.values() for p in (*flag.patterns, *flag.cues)),
    )


def any_of(patterns: Iterable[re.Pattern[str]]) -> re.Pattern[str]:
    """One pattern that matches where any of them does (their flags must agree: they are compiled alike)."""
    return re.compile("|".join(f"(?:{p.pattern})" for p in patterns) or r"(?!x)x")
