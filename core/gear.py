"""What equipment an exercise needs, so nobody is planned something they do not have.

The catalog lists an exercise's equipment; the loading kinds among them are
alternatives (a Romanian deadlift takes a barbell or dumbbells), and benches,
boxes and mats are assumed: a sofa or a stair does the job at home.
"""

from __future__ import annotations

from core.domain import Exercise

LOADING = ("barbell", "dumbbell", "kettlebell", "cable", "machine", "band")
GEAR = frozenset(LOADING)
GEAR_NAMES = {
    "barbell": "barbell and plates",
    "dumbbell": "dumbbells",
    "kettlebell": "kettlebells",
    "cable": "cable machine",
    "machine": "machines (hip thrust, abduction, leg press)",
    "band": "resistance bands",
}


def doable(exercise: Exercise, have: frozenset[str]) -> bool:
    if "bodyweight" in exercise.equipment:
        return True
    needed = [kind for kind in exercise.equipment if kind in GEAR]
    return not needed or any(kind in have for kind in needed)


def available(profile_equipment: tuple[str, ...], program_equipment: frozenset[str]) -> frozenset[str]:
    """What the person said they have ("bodyweight" alone = nothing); before they said, what their
    program was written for."""
    return frozenset(profile_equipment) & GEAR if profile_equipment else program_equipment


# What people type for each kind ("db", "bands", "full gym"); checked word by word.
WORDS = {
    "barbell": ("barbell", "barbells", "bar", "plates", "bb"),
    "dumbbell": ("dumbbell", "dumbbells", "db", "dbs"),
    "kettlebell": ("kettlebell", "kettlebells", "kb", "kbs"),
    "cable": ("cable", "cables", "pulley"),
    "machine": ("machine", "machines"),
    "band": ("band", "bands", "resistance"),
}
EVERYTHING = ("everything", "all", "full", "gym")
NOTHING = ("nothing", "none", "bodyweight")


class GearError(ValueError):
    """The answer named no equipment we know."""


def parse_gear(text: str) -> tuple[str, ...]:
    """'dumbbells and bands' -> ('dumbbell', 'band'); 'full gym' -> every kind; 'nothing' -> ()."""
    words = text.lower().replace(",", " ").replace("+", " ").split()
    if any(w in EVERYTHING for w in words):
        return LOADING
    found = tuple(kind for kind in LOADING if any(w in WORDS[kind] for w in words))
    if found or any(w in NOTHING for w in words):
        return found or ("bodyweight",)
    raise GearError("Tell me what you have, e.g. barbell dumbbells bands, or 'full gym', or 'nothing'.")


def describe_gear(kinds: tuple[str, ...]) -> str:
    named = [GEAR_NAMES[k] for k in kinds if k in GEAR_NAMES]
    return ", ".join(named) if named else "bodyweight only"
