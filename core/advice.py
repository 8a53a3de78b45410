"""Coaching advice as data (data/advice.toml): form fixes, the main-lift cue, the food note.

Matching is by words so that "I feel hip thrusts in my quads", "bridges burn
my thighs" and "why are my hip thrusts all lower back" reach the same fix.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from core.catalog import PATTERNS
from core.pain.rules import mentions_any

DATA = Path(__file__).parent / "data" / "advice.toml"


@dataclass(frozen=True)
class FormFix:
    id: str
    label: str
    exercise: tuple[str, ...]
    felt_in: tuple[str, ...]
    applies_to: frozenset[str]  # exercise patterns the pinned note shows on
    fix: str
    note: str
    source: str

    def matches(self, text: str) -> bool:
        lowered = text.lower()
        return any(word in lowered for word in self.exercise) and mentions_any(lowered, self.felt_in)


@dataclass(frozen=True)
class Advice:
    main_lift_cue: str
    form_fixes: tuple[FormFix, ...]
    nutrition_words: tuple[str, ...]
    nutrition: str
    nutrition_source: str

    def form_fix_in(self, text: str) -> FormFix | None:
        return next((fix for fix in self.form_fixes if fix.matches(text)), None)

    def fix(self, fix_id: str) -> FormFix | None:
        return next((fix for fix in self.form_fixes if fix.id == fix_id), None)

    def asks_about_food(self, text: str) -> bool:
        lowered = text.lower()
        return mentions_any(lowered, self.nutrition_words)


@lru_cache(maxsize=1)
def advice(path: Path = DATA) -> Advice:
    with path.open("rb") as fh:
        raw = tomllib.load(fh)
    fixes = []
    for entry in raw["form_fix"]:
        fix = FormFix(
            entry["id"],
            entry["label"],
            tuple(entry["exercise"]),
            tuple(entry["felt_in"]),
            frozenset(entry["applies_to"]),
            entry["fix"],
            entry["note"],
            entry["source"],
        )
        if fix.applies_to - PATTERNS:
            raise ValueError(f"{path.name}: form fix {fix.id}: unknown pattern(s) {sorted(fix.applies_to - PATTERNS)}")
        fixes.append(fix)
    food = raw["nutrition"]
    return Advice(
        raw["cues"]["main_lifts"],
        tuple(fixes),
        tuple(w.lower() for w in food["words"]),
        food["text"].strip(),
        food["source"],
    )
