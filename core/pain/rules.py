"""Loading the pain rules from data, and applying them to a day's plan.

The engine knows effects, not areas: every area-specific decision is a row in
core/data/pain_rules.toml, so a physiotherapist can review the rules without
reading Python.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from core.catalog import Catalog, TomlTable
from core.domain import Block, Exercise, PlannedExercise
from core.gear import doable
from core.pain.flags import RedFlags, load_red_flags
from core.programs import HARD_BLOCKS

if TYPE_CHECKING:
    from core.pain.detect import Findings

DATA = Path(__file__).resolve().parent.parent / "data" / "pain_rules.toml"
SEVERITIES = ("mild", "moderate", "severe")


@dataclass(frozen=True)
class Area:
    id: str
    name: str
    words: tuple[str, ...]
    checkin_days: int
    expires_days: int
    advice: str | None = None  # what the person reads after the changes, when the general line does not fit
    states_pain: bool = False  # its words tell of pain by themselves ("can barely walk"), with no pain word
    checkin: str = ""  # the check-in question, where "How is your <name> doing?" would not read

    @property
    def checkin_question(self) -> str:
        return self.checkin or f"How is your {self.name} doing?"


@dataclass(frozen=True)
class Rule:
    id: str
    area: str
    severities: tuple[str, ...]
    explanation: str
    source: str
    swap_tags: frozenset[str] = frozenset()
    avoid_tags: frozenset[str] = frozenset()
    alternatives: tuple[str, ...] = ()
    add: tuple[PlannedExercise, ...] = ()
    sets_percent: int = 0
    load_note: str | None = None
    load_note_patterns: tuple[str, ...] = ()
    rest_day: bool = False


@dataclass(frozen=True)
class PainRules:
    areas: dict[str, Area]
    rules: tuple[Rule, ...]
    red_flags: RedFlags  # core/data/red_flags.toml: the safety checks and the return-to-training week
    pain_words: tuple[str, ...]
    update_words: tuple[str, ...] = ()  # news of a reported area: "better", "worse", "fine"

    @cached_property
    def area_words(self) -> tuple[str, ...]:
        """Every area's words, for one precompiled check (core.pain.detect)."""
        return tuple(w for a in self.areas.values() for w in a.words)

    @cached_property
    def recent_findings(self) -> dict[str, Findings]:
        """core.pain.detect.red_flags_in's answers for the last texts it read: one message is read
        for red flags up to three times (the open question, pain talk, advice), always alike."""
        return {}

    def for_report(self, area: str, severity: str) -> list[Rule]:
        return [r for r in self.rules if r.area == area and severity in r.severities]


@dataclass
class PlanItem:
    """A line of the plan while rules work on it."""

    planned: PlannedExercise
    exercise: Exercise
    note: str | None = None


@dataclass
class Adjustment:
    items: list[PlanItem]
    changes: list[str] = field(default_factory=list)
    rest_day: bool = False


def load_pain_rules(catalog: Catalog, path: Path = DATA) -> PainRules:
    with path.open("rb") as fh:
        raw = tomllib.load(fh)
    areas = {
        a["id"]: Area(
            a["id"],
            a["name"],
            tuple(w.lower() for w in a["words"]),
            a["checkin_days"],
            a["expires_days"],
            a.get("advice"),
            a.get("states_pain", False),
            a.get("checkin", ""),
        )
        for a in raw["area"]
    }
    rules = tuple(_rule(entry, areas, catalog) for entry in raw["rule"])
    flags = load_red_flags()
    unknown = set(flags.screens) - set(areas) - {"general"}
    if unknown:
        raise ValueError(f"red_flags.toml: screens for unknown areas {sorted(unknown)}")
    return PainRules(areas, rules, flags, tuple(raw["pain_words"]), tuple(raw.get("update_words", ())))


def _rule(entry: TomlTable, areas: dict[str, Area], catalog: Catalog) -> Rule:
    if entry["area"] not in areas:
        raise ValueError(f"pain rule {entry['id']}: unknown area {entry['area']!r}")
    if set(entry["severities"]) - set(SEVERITIES):
        raise ValueError(f"pain rule {entry['id']}: unknown severity")
    for name in entry.get("alternatives", []) + [a["exercise"] for a in entry.get("add", [])]:
        if name not in catalog:
            raise ValueError(f"pain rule {entry['id']}: unknown exercise {name!r}")
    add = tuple(
        PlannedExercise(
            a["exercise"],
            Block(a["block"]),
            a.get("sets", 1),
            a.get("reps"),
            a.get("reps"),
            a.get("seconds"),
            a.get("rest_s", 30),
        )
        for a in entry.get("add", [])
    )
    return Rule(
        entry["id"],
        entry["area"],
        tuple(entry["severities"]),
        entry["explanation"],
        entry["source"],
        frozenset(entry.get("swap_tags", ())),
        frozenset(entry.get("avoid_tags", ())),
        tuple(entry.get("alternatives", ())),
        add,
        int(entry.get("sets_percent", 0)),
        entry.get("load_note"),
        tuple(entry.get("load_note_patterns", ())),
        bool(entry.get("rest_day", False)),
    )


def apply_rules(
    items: list[PlanItem], rules: list[tuple[Rule, str]], catalog: Catalog, have: frozenset[str]
) -> Adjustment:
    """Apply each (rule, area label) in order; every change is explained.

    `have` is the equipment the person can use: a swap never plans anything else.
    """
    result = Adjustment(list(items))
    for rule, label in rules:
        if rule.rest_day:
            result.rest_day = True
            result.changes.append(f"{rule.explanation} ({label})")
            continue
        touched = False
        if rule.swap_tags:
            touched |= _swap(result, rule, catalog, have, label)
        for extra in rule.add:
            if extra.exercise_id not in {i.exercise.id for i in result.items}:
                _insert(result.items, PlanItem(extra, catalog.get(extra.exercise_id)))
                touched = True
        if rule.sets_percent:
            for item in result.items:
                if item.planned.block in HARD_BLOCKS:
                    sets = max(1, round(item.planned.sets * (100 + rule.sets_percent) / 100))
                    if sets != item.planned.sets:
                        item.planned = _with_sets(item.planned, sets)
                        touched = True
        if rule.load_note:
            for item in result.items:
                if item.planned.block in HARD_BLOCKS and (
                    not rule.load_note_patterns or item.exercise.pattern in rule.load_note_patterns
                ):
                    item.note = rule.load_note[0].upper() + rule.load_note[1:] + "."
                    touched = True
        advice_only = not (rule.swap_tags or rule.add or rule.sets_percent or rule.load_note)
        if advice_only or (touched and not rule.swap_tags):
            result.changes.append(f"{_sentence(rule.explanation)} ({label})")
    return result


def _swap(result: Adjustment, rule: Rule, catalog: Catalog, have: frozenset[str], label: str) -> bool:
    """Swap for the first eligible alternative, preferring a movement the day does not have yet.

    An item that is itself one of the rule's alternatives is already fine; a
    rule without alternatives removes what it matches (e.g. no stretching
    into a severely painful hip) and says so in its own words.
    """
    touched = False
    for item in list(result.items):
        if not item.exercise.tags & rule.swap_tags or item.exercise.id in rule.alternatives:
            continue
        in_day = {i.exercise.id for i in result.items}
        patterns = {i.exercise.pattern for i in result.items if i is not item}
        eligible = [
            catalog.get(a)
            for a in rule.alternatives
            if a not in in_day and not catalog.get(a).tags & rule.avoid_tags and doable(catalog.get(a), have)
        ]
        new = next((e for e in eligible if e.pattern not in patterns), eligible[0] if eligible else None)
        position = result.items.index(item)
        if new is None and not rule.alternatives:
            result.items.pop(position)
            result.changes.append(f"{_sentence(rule.explanation.format(old=item.exercise.name))} ({label})")
        elif new is None:
            result.items.pop(position)
            result.changes.append(f"Dropped {item.exercise.name} today: nothing safe to swap it for ({label})")
        else:
            result.items[position] = PlanItem(_retarget(item.planned, new), new)
            text = rule.explanation.format(old=item.exercise.name, new=new.name)
            result.changes.append(f"{_sentence(text)} ({label})")
        touched = True
    return touched


def _retarget(planned: PlannedExercise, new: Exercise) -> PlannedExercise:
    return PlannedExercise(
        new.id, planned.block, planned.sets, planned.reps_min, planned.reps_max, planned.seconds, planned.rest_s
    )


def _with_sets(planned: PlannedExercise, sets: int) -> PlannedExercise:
    return PlannedExercise(
        planned.exercise_id, planned.block, sets, planned.reps_min, planned.reps_max, planned.seconds, planned.rest_s
    )


def _insert(items: list[PlanItem], new: PlanItem) -> None:
    """After the last item of the same block, keeping the session's block order."""
    order = list(Block)
    position = len(items)
    for index, item in enumerate(items):
        if order.index(item.planned.block) > order.index(new.planned.block):
            position = index
            break
    items.insert(position, new)


def _sentence(text: str) -> str:
    return text[0].upper() + text[1:]


def mentions(text: str, phrase: str) -> bool:
    """Whole-word phrase match ('knee' in 'my knee hurts', not in 'kneel')."""
    return re.search(rf"(?<!\w){re.escape(phrase)}(?!\w)", text) is not None


@lru_cache(maxsize=256)
def phrase_pattern(phrases: tuple[str, ...]) -> re.Pattern[str]:
    """One compiled pattern for a list of whole-word phrases, built once per list: free text is checked
    against a hundred phrases on every message, and one alternation is ~100x cheaper than a search each."""
    ordered = sorted(set(phrases), key=len, reverse=True)
    body = "|".join(re.escape(p) for p in ordered) or r"(?!x)x"
    return re.compile(rf"(?<!\w)(?:{body})(?!\w)")


def mentions_any(text: str, phrases: tuple[str, ...]) -> bool:
    """Whether any of the phrases is in the text as whole words (like `mentions` for each)."""
    return phrase_pattern(phrases).search(text) is not None
