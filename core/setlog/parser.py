"""Reading a set log the way people write it.

    hip thrust 3x10 @ 60kg        3x10 hip thrust 60 kg      Hip thrusts: 60kg x 10,10,8
    bss 10/10/8 12.5kg            bss 3x8 each leg 16kg      glute bridge 20 reps
    rdl 4x8 @ 70 kg rpe 8         hip thrust 60,5 kg 3x10    plank 3x45s

The numbers are found by pattern (load with its unit, sets x reps, a list of
reps, a time), each match is cut out of the line, and what is left is the
exercise name. A line is either understood completely or not at all: a
half-read line would store a wrong set, which is worse than asking.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

MAX_SETS = 20
MAX_REPS = 200
MAX_SECONDS = 3600
MAX_LOAD = 1000.0  # in the unit written
UNITS = {"kg": "kg", "kgs": "kg", "kilo": "kg", "kilos": "kg", "lb": "lb", "lbs": "lb", "pound": "lb", "pounds": "lb"}

NUM = r"\d+(?:[.,]\d+)?"
UNIT = r"(?:kgs?|kilos?|lbs?|pounds?)"
LOAD_WITH_UNIT = re.compile(rf"(?:@|\bat\b)?\s*(?P<load>{NUM})\s*(?P<unit>{UNIT})\b", re.I)
RPE = re.compile(r"@?\s*\brpe\s*(?P<rpe>\d+(?:[.,]5)?)\b", re.I)
SETS_REPS_LOAD = re.compile(
    rf"\b(?P<sets>\d+)\s*[x×*]\s*(?P<reps>\d+)\s*[x×*]\s*(?P<load>{NUM})(?![\d.,])\s*(?P<unit>{UNIT})?\b", re.I)
SETS_X_TIME = re.compile(r"\b(?P<sets>\d+)\s*[x×*]\s*(?P<secs>\d+)\s*(?:s|sec|secs|seconds?)\b", re.I)
SETS_X_REPS = re.compile(r"\b(?P<sets>\d+)\s*[x×*]\s*(?P<reps>\d+)\b(?!\s*[x×*])", re.I)
SETS_OF_REPS = re.compile(r"\b(?P<sets>\d+)\s*sets?\s*(?:of|x)?\s*(?P<reps>\d+)\b", re.I)
X_REP_LIST = re.compile(r"(?:^|\s)[x×*]\s*(?P<list>\d+(?:\s*[,/]\s*\d+)*)\b", re.I)
REP_LIST = re.compile(r"(?<![\d.,])(?P<list>\d+(?:\s*[/,]\s*\d+)+)(?![\d.,]*\s*" + UNIT + r")\b", re.I)
N_REPS = re.compile(r"\b(?P<reps>\d+)\s*(?:reps?|steps?)\b", re.I)
TIME = re.compile(r"\b(?P<secs>\d+)\s*(?:s|sec|secs|seconds?)\b", re.I)
MINUTES = re.compile(r"\b(?P<mins>\d+)\s*(?:min|mins|minutes?)\b", re.I)
BARE_LOAD = re.compile(rf"(?:@|\bat\b)\s*(?P<load>{NUM})\b(?!\s*[x×*])", re.I)
LONE_NUMBER = re.compile(rf"(?<![\w.,])(?P<load>{NUM})(?![\w.,])")
PER_SIDE = re.compile(r"\b(?:each|per|a|every)\s+(?:leg|side)\b|/\s*side\b|\bper\s+leg\b|\beach\b", re.I)
FILLER = re.compile(r"\b(?:x|sets?|reps?|steps|of|with|for|and|did|done|today|rpe|kg|lbs?|at|the|my|i)\b|[@:;,()\-–—+#*×/!?.=]+", re.I)
HAS_DIGIT = re.compile(r"\d")


@dataclass(frozen=True)
class ParsedSet:
    reps: int | None = None
    load: float | None = None  # in `unit` as written (None = bodyweight)
    seconds: int | None = None


@dataclass(frozen=True)
class ParsedLine:
    exercise: str  # the name as written, cleaned
    sets: tuple[ParsedSet, ...]
    unit: str | None  # None when no load carried a unit
    per_side: bool = False
    rpe: float | None = None
    text: str = ""


@dataclass(frozen=True)
class Unreadable:
    text: str
    reason: str
    exercise: str = ""


@dataclass
class _Found:
    sets: list[ParsedSet] = field(default_factory=list)
    load: float | None = None
    unit: str | None = None
    reps: list[int] = field(default_factory=list)
    set_count: int | None = None
    seconds: int | None = None


def split_lines(message: str) -> list[str]:
    """One log per line; ';' also separates logs."""
    return [part.strip() for line in message.splitlines() for part in line.split(";") if part.strip()]


def looks_like_a_log(line: str) -> bool:
    """Only lines with numbers can be logs; everything else is conversation."""
    return bool(HAS_DIGIT.search(line))


def parse_line(line: str, default_unit: str = "kg", *, name_required: bool = True) -> ParsedLine | Unreadable:
    text = " ".join(line.split())[:300]
    rest = f" {text} "
    found = _Found()
    rpe = None

    match = RPE.search(rest)
    if match:
        rpe = _number(match["rpe"])
        rest = _cut(rest, match)
    match = SETS_REPS_LOAD.search(rest)
    if match:
        found.set_count, found.reps, found.load = int(match["sets"]), [int(match["reps"])], _number(match["load"])
        found.unit = UNITS[match["unit"].lower()] if match["unit"] else None
        rest = _cut(rest, match)
    match = LOAD_WITH_UNIT.search(rest)
    if match:
        if found.load is not None:
            return Unreadable(text, "two different loads in one line")
        found.load, found.unit = _number(match["load"]), UNITS[match["unit"].lower()]
        rest = _cut(rest, match)
        if LOAD_WITH_UNIT.search(rest):
            return Unreadable(text, "more than one load in one line")
    if found.set_count is None:
        rest = _sets_and_reps(rest, found)
    if found.load is None:
        match = BARE_LOAD.search(rest)
        if match is None and (found.reps or found.seconds) and len(LONE_NUMBER.findall(rest)) == 1:
            match = LONE_NUMBER.search(rest)  # "hip thrust 3x10 60": the one number left is the load
        if match:
            found.load = _number(match["load"])
            rest = _cut(rest, match)
    per_side = bool(PER_SIDE.search(rest))
    rest = PER_SIDE.sub(" ", rest)

    sets = _build_sets(found)
    name = _clean_name(rest)
    if not sets:
        return Unreadable(text, "no sets or reps", name)
    if HAS_DIGIT.search(name):
        return Unreadable(text, f"I couldn't place the number(s) in '{name}'", name)
    if not name and name_required:
        return Unreadable(text, "no exercise name")
    problem = _out_of_range(sets, found)
    if problem:
        return Unreadable(text, problem, name)
    unit = found.unit or (default_unit if found.load is not None else None)
    return ParsedLine(name, tuple(sets), unit, per_side, rpe, text)


def _sets_and_reps(rest: str, found: _Found) -> str:
    for pattern in (SETS_X_TIME,):
        match = pattern.search(rest)
        if match:
            found.set_count, found.seconds = int(match["sets"]), int(match["secs"])
            return _cut(rest, match)
    for pattern in (SETS_X_REPS, SETS_OF_REPS):
        match = pattern.search(rest)
        if match:
            sets, reps = int(match["sets"]), int(match["reps"])
            if pattern is SETS_X_REPS and found.load is None and sets > MAX_SETS:
                found.load, found.set_count, found.reps = float(sets), 1, [reps]  # "100x5": load x reps
            else:
                found.set_count, found.reps = sets, [reps]
            return _cut(rest, match)
    for pattern in (X_REP_LIST, REP_LIST):
        match = pattern.search(rest)
        if match:
            found.reps = [int(n) for n in re.split(r"\s*[,/]\s*", match["list"].strip())]
            return _cut(rest, match)
    match = N_REPS.search(rest)
    if match:
        found.reps = [int(match["reps"])]
        return _cut(rest, match)
    match = TIME.search(rest) or MINUTES.search(rest)
    if match:
        found.seconds = int(match["secs"]) if "secs" in match.groupdict() else int(match["mins"]) * 60
        return _cut(rest, match)
    return rest


def _build_sets(found: _Found) -> list[ParsedSet]:
    count = min(found.set_count or 1, MAX_SETS + 1)  # "99999999999x10" is refused below, never built
    if found.seconds is not None:
        return [ParsedSet(seconds=found.seconds, load=found.load)] * count
    if not found.reps:
        return []
    if len(found.reps) > 1:
        return [ParsedSet(reps=r, load=found.load) for r in found.reps]
    return [ParsedSet(reps=found.reps[0], load=found.load)] * count


def _out_of_range(sets: list[ParsedSet], found: _Found) -> str | None:
    if len(sets) > MAX_SETS:
        return f"{max(len(sets), found.set_count or 0)} sets is more than I can believe (max {MAX_SETS})"
    for s in sets:
        if s.reps is not None and not 1 <= s.reps <= MAX_REPS:
            return f"{s.reps} reps is out of range (1-{MAX_REPS})"
        if s.seconds is not None and not 1 <= s.seconds <= MAX_SECONDS:
            return f"{s.seconds} s is out of range (1-{MAX_SECONDS})"
    if found.load is not None and not 0 < found.load <= MAX_LOAD:
        return f"a load of {found.load:g} is out of range"
    return None


def _number(text: str) -> float:
    return float(text.replace(",", "."))


def _cut(rest: str, match: re.Match) -> str:
    return rest[: match.start()] + " " + rest[match.end():]


def _clean_name(rest: str) -> str:
    return " ".join(FILLER.sub(" ", rest).split()).strip()
