"""Which logged sets count as hard glute sets, and the weekly target (rules in data/volume.toml)."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from core.domain import Exercise

DATA = Path(__file__).parent / "data" / "volume.toml"


@dataclass(frozen=True)
class VolumeRules:
    low: int
    high: int
    source: str
    glute_muscles: frozenset[str]
    excluded_tags: frozenset[str]
    excluded_patterns: frozenset[str]
    excluded_load_types: frozenset[str]

    def is_hard_glute_set(self, exercise: Exercise | None, loaded: bool = False) -> bool:
        """Custom exercises (None) are not counted: we cannot know what they train.

        `loaded`: the set carried external load, so a "glute bridge @ 60 kg" is
        main work, not the activation drill its bodyweight version is.
        """
        if exercise is None:
            return False
        return (
            bool(self.glute_muscles & set(exercise.muscles))
            and (loaded or not self.excluded_tags & exercise.tags)
            and exercise.pattern not in self.excluded_patterns
            and exercise.load_type not in self.excluded_load_types
        )


@lru_cache(maxsize=1)
def volume_rules(path: Path = DATA) -> VolumeRules:
    with path.open("rb") as fh:
        raw = tomllib.load(fh)
    target, hard = raw["weekly_glute_sets"], raw["hard_set"]
    if not 0 < target["low"] <= target["high"]:
        raise ValueError(f"{path.name}: weekly_glute_sets needs 0 < low <= high")
    return VolumeRules(
        target["low"],
        target["high"],
        target["source"],
        frozenset(hard["glute_muscles"]),
        frozenset(hard["excluded_tags"]),
        frozenset(hard["excluded_patterns"]),
        frozenset(hard["excluded_load_types"]),
    )
