"""What equipment an exercise needs, so nobody is planned something they do not have.

The catalog lists an exercise's equipment; the loading kinds among them are
alternatives (a Romanian deadlift takes a barbell or dumbbells), and benches,
boxes and mats are assumed: a sofa or a stair does the job at home.
"""

from __future__ import annotations

from core.domain import Exercise

LOADING = ("barbell", "dumbbell", "kettlebell", "cable", "machine", "band")
ASSUMED = frozenset({"bench", "box", "mat", "bodyweight"})
GEAR = frozenset(LOADING)
GEAR_NAMES = {"barbell": "barbell and plates", "dumbbell": "dumbbells", "kettlebell": "kettlebells",
              "cable": "cable machine", "machine": "machines (hip thrust, abduction, leg press)",
              "band": "resistance bands"}


def doable(exercise: Exercise, have: frozenset[str]) -> bool:
    if "bodyweight" in exercise.equipment:
        return True
    needed = [kind for kind in exercise.equipment if kind in GEAR]
    return not needed or any(kind in have for kind in needed)


def available(profile_equipment: tuple[str, ...], program_equipment: frozenset[str]) -> frozenset[str]:
    """What the person said they have; before they said, what their program was written for."""
    return frozenset(profile_equipment) if profile_equipment else program_equipment
