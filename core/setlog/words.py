"""The vocabulary around the numbers of a set log, loaded once from core/data/setlog_words.toml.

Kept as data so that a new way of writing "per side" or a band colour is one
line in a file, not another branch in the reader.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

DATA = Path(__file__).parent.parent / "data" / "setlog_words.toml"


@dataclass(frozen=True)
class Words:
    units: dict[str, str]  # written word -> "kg" | "lb"
    unit_choices: dict[str, str]  # the same plus "metric"/"imperial": what /units accepts
    seconds: dict[str, int]
    metres: dict[str, float]
    kinds: dict[str, str]  # word -> "reps" | "sets" | "rpe" | "rir" | "warmup" | "equipment" | "bodyweight" | "filler"
    per_side: re.Pattern[str]
    per_hand: re.Pattern[str]
    warmup: re.Pattern[str]
    band: re.Pattern[str]
    chat_start: re.Pattern[str]
    chat_phrase: re.Pattern[str]


def _phrases(items: list[str]) -> str:
    """Alternation of whole phrases, longest first; a phrase like '/leg' may follow a digit.

    The word-start check comes once before the alternation, not once per phrase: the regex engine
    then skips the inside of words without trying a hundred phrases there (is_chat: 50 -> 11 us).
    A phrase starting with a letter and one starting with a sign never match at the same place,
    so grouping them apart picks the same match."""
    words: list[str] = []
    signs: list[str] = []
    for item in sorted(set(items), key=len, reverse=True):
        body = r"\s*".join(re.escape(word) for word in item.split())
        after = r"(?![^\W\d_])" if item[-1].isalnum() else ""
        (words if item[0].isalnum() else signs).append(body + after)
    return "|".join(([r"(?<![^\W\d_])(?:" + "|".join(words) + ")"] if words else []) + signs)


@lru_cache(maxsize=1)
def words() -> Words:
    with DATA.open("rb") as fh:
        raw = tomllib.load(fh)
    units = {w: unit for unit, written in raw["units"].items() for w in written}
    kinds: dict[str, str] = {}
    for kind, items in raw["words"].items():
        if kind in ("per_side", "per_hand", "warmup_phrases", "band_levels"):
            continue
        for item in items:
            kinds.setdefault(item, kind)
    band = (
        r"(?:(?<![^\W\d_])(?:with|w)\s+)?(?:(?<![^\W\d_])(?:the|a|my)\s+)?(?P<level>"
        + _phrases(raw["words"]["band_levels"])
        + r")\s+(?:resistance\s+|mini\s+|loop\s+)?bands?(?![^\W\d_])"
    )
    chat = raw["chat"]
    return Words(
        units=units,
        unit_choices={**units, **{w: unit for unit, written in raw["unit_systems"].items() for w in written}},
        seconds={k: int(v) for k, v in raw["seconds"].items()},
        metres={k: float(v) for k, v in raw["metres"].items()},
        kinds=kinds,
        per_side=re.compile(_phrases(raw["words"]["per_side"]), re.I),
        per_hand=re.compile(_phrases(raw["words"]["per_hand"]), re.I),
        warmup=re.compile(_phrases(raw["words"]["warmup_phrases"]), re.I),
        band=re.compile(band, re.I),
        chat_start=re.compile(r"^\W*(?:" + _phrases(chat["starts"]) + ")", re.I),
        chat_phrase=re.compile(_phrases(chat["phrases"]), re.I),
    )
