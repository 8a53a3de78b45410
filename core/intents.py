"""The questions people ask in free text, recognised from data (core/data/intents.toml).

Patterns and answer content are data so that wording and coverage can grow
without code; core/features/intents.py turns a recognised intent into replies.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from core.answers import normalise
from core.catalog import TomlTable
from core.pain.rules import mentions

DATA = Path(__file__).parent / "data" / "intents.toml"


@dataclass(frozen=True)
class Intent:
    id: str
    patterns: tuple[re.Pattern[str], ...]
    command: str = ""  # a command said in words: the command line to run ("/remind {args}")


@dataclass(frozen=True)
class Recognised:
    intent: str
    groups: dict[str, str]
    command: str = ""


@dataclass(frozen=True)
class BodyPart:
    id: str
    name: str
    words: tuple[str, ...]


@dataclass(frozen=True)
class HowTo:
    steps: tuple[str, ...]
    mistakes: tuple[str, ...]
    demo: str


@dataclass(frozen=True)
class IntentData:
    intents: tuple[Intent, ...]
    body_parts: tuple[BodyPart, ...]
    howto: dict[str, HowTo]
    felt_elsewhere: tuple[TomlTable, ...]
    texts: dict[str, TomlTable]


@lru_cache(maxsize=1)
def intent_data() -> IntentData:
    raw = tomllib.loads(DATA.read_text(encoding="utf-8"))
    intents = tuple(
        Intent(i["id"], tuple(re.compile(p) for p in i["patterns"]), i.get("command", "")) for i in raw.pop("intent")
    )
    parts = tuple(BodyPart(p["id"], p["name"], tuple(p["words"])) for p in raw.pop("body_part"))
    howto = {
        h["id"]: HowTo(tuple(h.get("steps", ())), tuple(h.get("mistakes", ())), h.get("demo", ""))
        for h in raw.pop("howto")
    }
    felt = tuple(raw.pop("felt_elsewhere"))
    return IntentData(intents, parts, howto, felt, raw)


def recognise(text: str) -> Recognised | None:
    clean = normalise(text)
    for intent in intent_data().intents:
        for pattern in intent.patterns:
            match = pattern.search(clean)
            if match:
                groups = {k: (v or "").strip() for k, v in match.groupdict().items()}
                return Recognised(intent.id, groups, intent.command.format(**groups) if intent.command else "")
    return None


def body_part_in(text: str) -> BodyPart | None:
    """The most specific body part named ('upper back' over 'back')."""
    clean = normalise(text)
    best: tuple[int, BodyPart] | None = None
    for part in intent_data().body_parts:
        for word in part.words:
            if mentions(clean, word) and (best is None or len(word) > best[0]):
                best = (len(word), part)
    return best[1] if best else None
