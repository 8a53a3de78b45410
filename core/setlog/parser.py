"""Reading a set log the way people write it.

    hip thrust 3x10 @ 60kg        60kg x10, 70kg x8, 80kg x6     Hip thrust 60 x 10, 10, 8
    bss 12.5kg x 8 x 3 each leg   rdl 2x10 @ 70kg, 1x8 @ 75kg    clams 15 each side
    rdl 4x8 @ 70 kg rpe 8         135# 5x5 (felt easy)           plank 3x45s, walking lunges 3x20m

A line is cut into tokens (numbers, times, 'x', '@', separators, words); the
words around the numbers are classified from core/data/setlog_words.toml (units,
per side, warm-up, band colours, filler), the unknown words before the numbers
are the exercise name and those after them the note. The numbers are then read
by a small grammar into groups of sets. A line is either understood completely
or not at all: a number that fits no group makes the whole line unreadable,
and when two readings are plausible (12x10: 12 sets, or 12 kg?) the result
is `Ambiguous` with both, so the person chooses: a half-read or guessed line
would store a wrong set, which is worse than asking.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Callable

from rapidfuzz import fuzz

from core.setlog.words import words

MAX_SETS = 20
MAX_REPS = 200
MAX_SECONDS = 3600
MAX_METRES = 10_000.0
MAX_LOAD = 1000.0  # in the unit written
MAX_LINE = 300
PLAUSIBLE_SETS = 10  # more sets than this is not a reading we pick on our own

HAS_DIGIT = re.compile(r"\d")
TOKEN = re.compile(r"""
    (?P<time>\d{1,2}:[0-5]\d(?!\d))
  | (?P<num>\d+(?:\.\d+)?)
  | (?P<x>(?<![^\W\d_])[x×✕*](?![^\W\d_]))
  | (?P<at>@)
  | (?P<sep>[,;+/&|\-–—>])
  | (?P<word>[^\W\d_]+(?:['’][^\W\d_]+)*)
  | (?P<other>\S)
""", re.X)
SET_PREFIX = re.compile(r"^(?:set\s*\d{1,2}|s\d{1,2})\s*[:.)\-]\s*", re.I)
WARMUP_PREFIX = re.compile(r"^(?:w\d{0,2}|wu|w/u|warm-?\s?up(?:\s*sets?)?)\s*\d{0,2}\s*[:)\-]\s*", re.I)
LIST_PREFIX = re.compile(r"^(?:\d{1,2}[.)]|[a-z]\d{1,2}[.):]|[-•*▪●◦]|\(?[a-z]\d?\))\s+", re.I)
BRACKETS = re.compile(r"[(\[]([^()\[\]]*)[)\]]")
EQUIPMENT_IN_BRACKETS = {"barbell", "dumbbell", "dumbbells", "machine", "cable", "smith machine", "smith",
                         "bodyweight", "band", "banded", "kettlebell", "ez bar", "plate loaded", "weighted",
                         "assisted", "trap bar", "bb", "db", "kb"}
WITH_SLASH = re.compile(r"(?<![^\W\d_])w/(?!u(?![^\W\d_]))", re.I)  # "w/ 16kg", not "w/u"
NEGATIVE = re.compile(r"(?:^|(?<=[\s@x×(]))[-−–](?=\d)")
POUND_SIGN = re.compile(r"(\d)\s*#")
COMMA_DECIMAL = re.compile(r"(\d),(\d{1,2})(?=\s*(?:kgs?|kilos?|lbs?|pounds?|#|s|sec|m)(?![^\W\d_]))", re.I)
GLUED_X = re.compile(r"(?<=kg|lb|bs|gs)[x×](?=\d)", re.I)
NUMERIC = {"num", "time"}


@dataclass(frozen=True)
class ParsedSet:
    reps: int | None = None
    load: float | None = None  # in the line's unit as written (None = bodyweight)
    seconds: int | None = None
    distance_m: float | None = None
    rpe: float | None = None
    rir: int | None = None
    warmup: bool = False


@dataclass(frozen=True)
class ParsedLine:
    exercise: str  # the name as written, cleaned ("" when only numbers were written)
    sets: tuple[ParsedSet, ...]
    unit: str | None  # None when no set has a load
    per_side: bool = False
    band: str | None = None
    note: str | None = None
    text: str = ""
    equipment: str | None = None  # "Romanian Deadlift (Dumbbell)" -> "dumbbell"

    @property
    def rpe(self) -> float | None:
        values = {s.rpe for s in self.sets}
        return values.pop() if len(values) == 1 else None


@dataclass(frozen=True)
class Ambiguous:
    """Two plausible readings of the numbers; the person picks one."""

    text: str
    exercise: str
    readings: tuple[ParsedLine, ...]
    question: str


@dataclass(frozen=True)
class Unreadable:
    text: str
    reason: str
    exercise: str = ""


class _Refuse(Exception):
    pass


@dataclass
class _Tok:
    kind: str
    value: float | str | None
    start: int
    end: int
    each: bool = False


@dataclass
class _Group:
    kind: str  # "sets" (count x reps), "pair" (undecided AxB), "triple" (undecided AxBxC), "list", "time", "dist"
    count: int | None = None
    reps: list[int] = field(default_factory=list)
    load: tuple[float, str | None] | None = None
    seconds: int | None = None
    metres: float | None = None
    rpe: float | None = None
    rir: int | None = None
    warmup: bool = False
    a: float = 0
    b: float = 0
    c: float = 0
    at_small: float | None = None  # "@ 8" after the reps with no load anywhere: RPE 8 or 8 kg?


def split_lines(message: str) -> list[str]:
    """One log per line; ';' also separates logs."""
    return [part.strip() for line in message.splitlines() for part in line.split(";") if part.strip()]


def looks_like_a_log(line: str, is_known: Callable[[str], bool] | None = None) -> bool:
    """Only lines with numbers can be logs, and talk about training is not a log of it."""
    return bool(HAS_DIGIT.search(line)) and not is_chat(line, is_known)


def is_chat(line: str, is_known: Callable[[str], bool] | None = None) -> bool:
    """'is 3x10 enough for hip thrusts?', 'my trainer says 3x12 at 50kg next time', 'I weigh 65kg'.

    Talk words after the numbers of a line that starts with a known exercise are its note
    ('hip thrust 3x10 60kg felt better than last week')."""
    text = " ".join(line.split())
    w = words()
    if text.rstrip().endswith("?") or w.chat_start.search(text):
        return True
    phrases = list(w.chat_phrase.finditer(text))
    if not phrases:
        return False
    digit = HAS_DIGIT.search(text)
    if is_known is not None and digit is not None and all(m.start() > digit.start() for m in phrases):
        lead = LIST_PREFIX.sub("", text[: digit.start()]).strip(" :-–—,")
        return not (lead and is_known(lead))
    return True


def parse_line(line: str, default_unit: str = "kg", *, name_required: bool = True,
               is_known: Callable[[str], bool] | None = None,
               is_name: Callable[[str], bool] | None = None) -> ParsedLine | Ambiguous | Unreadable:
    """Read one line. `is_known` tells a catalog name (also a typo of one), to split 'squats felt easy'
    into name and note; `is_name` tells an exact catalog name, to keep '45 degree hip extension' whole."""
    text = " ".join(line.split())
    if len(text) > MAX_LINE:
        return Unreadable(text[:60] + "…", f"a line of {len(text)} characters is longer than a set log can be "
                                            f"(at most {MAX_LINE})")
    try:
        return _parse(text, default_unit, name_required, is_known, is_name)
    except _Refuse as problem:
        return Unreadable(text, str(problem))


def _parse(text: str, default_unit: str, name_required: bool, is_known, is_name) -> ParsedLine | Ambiguous | Unreadable:
    w = words()
    body, all_warmup = text, False
    body = LIST_PREFIX.sub("", body, count=1)
    if match := SET_PREFIX.match(body):
        body = body[match.end():]
    elif match := WARMUP_PREFIX.match(body):
        body, all_warmup = body[match.end():], True
    notes: list[str] = []
    equipment = None

    def bracket(match: re.Match) -> str:
        nonlocal equipment
        inside = match[1].strip()
        if inside.lower() in EQUIPMENT_IN_BRACKETS:
            equipment = inside.lower()
            return " "
        if HAS_DIGIT.search(inside) or not inside:
            return f" {inside} "
        notes.append(inside)
        return " "

    body = BRACKETS.sub(bracket, body)
    if NEGATIVE.search(body):
        raise _Refuse("a negative number can't be a load, a rep count or a set count")
    numbered_name = _numbered_name(body, is_name)
    if numbered_name:
        body = "zzname " + body[len(numbered_name):]
    body = WITH_SLASH.sub(" with ", body)
    body = POUND_SIGN.sub(r"\1 lb", body)
    body = COMMA_DECIMAL.sub(r"\1.\2", body)
    body = GLUED_X.sub(" x ", body)
    band = None
    if match := w.band.search(body):
        band = " ".join(match["level"].lower().split())
        body = body[: match.start()] + " zzband " + body[match.end():]
    body = w.warmup.sub(" zzwarm ", body)
    body = w.per_side.sub(" zzeach ", body)

    toks = _tokens(body)
    first_number = next((i for i, t in enumerate(toks) if t.kind in NUMERIC), None)
    if first_number is None:
        name = _name_span(body, [t for t in toks if t.kind == "word"])
        return Unreadable(text, "no sets or reps", name)
    toks = _classify(toks, first_number)
    name_toks, note_toks = _split_name(toks, first_number)
    name = _name_span(body, name_toks)
    if numbered_name and name.startswith("zzname"):
        name = numbered_name + name[len("zzname"):]
    name_after_numbers = bool(name_toks) and name_toks[0].start > toks[first_number].start
    if name_after_numbers and len(name_toks) > 1 and is_known and not is_known(name):
        name, note_toks = _known_prefix(body, name_toks, note_toks, is_known)
    notes.extend(_note_spans(body, toks, note_toks))
    seq = _merge([t for t in toks if t.kind not in ("word", "filler", "name", "other")])
    per_side = any(t.kind == "each" or t.each for t in seq)
    bodyweight = any(t.kind == "bodyweight" for t in seq)
    groups, loose = _groups(seq, all_warmup)
    readings = _readings(groups, loose, default_unit, bodyweight, count_first=name_after_numbers)
    note = "; ".join(n.strip() for n in notes if n.strip()) or None
    lines = [ParsedLine(name, sets, unit, per_side, band, note, text, equipment) for sets, unit in readings]
    if not name and name_required:
        return Unreadable(text, "no exercise name")
    if len(lines) == 1:
        return lines[0]
    return Ambiguous(text, name, tuple(lines), "Which did you mean?")


def _numbered_name(body: str, is_known) -> str | None:
    """A catalog name with a number in it, at the start of the line: '45 degree hip extension 3x15'."""
    if is_known is None:
        return None
    parts = body.split()
    for end in range(min(len(parts), 5), 0, -1):
        candidate = " ".join(parts[:end])
        if not HAS_DIGIT.search(candidate) or not parts[end - 1].isalpha() or not body.startswith(candidate):
            continue
        if all(p.isdigit() or p.isalpha() for p in parts[:end]) and is_known(candidate):
            return candidate
    return None


def _tokens(body: str) -> list[_Tok]:
    result = []
    for match in TOKEN.finditer(body):
        kind = match.lastgroup
        raw = match.group()
        if kind == "num":
            value: float | str | None = float(raw)
        elif kind == "time":
            minutes, seconds = raw.split(":")
            value = int(minutes) * 60 + int(seconds)
        else:
            value = raw.lower()
        result.append(_Tok(kind, value, match.start(), match.end()))
    return result


def _classify(toks: list[_Tok], first_number: int) -> list[_Tok]:
    """Words get their kind; unit words count only right after a number, and equipment
    words only after the numbers (before them, 'DB RDL' and 'bw squat' are names)."""
    w = words()
    for i, tok in enumerate(toks):
        if tok.kind != "word":
            continue
        word = tok.value
        after_number = i > 0 and toks[i - 1].kind == "num"
        if word == "zzband":
            tok.kind = "band"
        elif word == "zzwarm":
            tok.kind = "warmup"
        elif word == "zzeach":
            tok.kind = "each"
        elif after_number and word in w.units:
            tok.kind, tok.value = "unit", w.units[word]
        elif after_number and word in w.seconds:
            tok.kind, tok.value = "secunit", w.seconds[word]
        elif after_number and word in w.metres:
            tok.kind, tok.value = "metreunit", w.metres[word]
        elif word in ("reps", "sets", "rpe", "rir") or w.kinds.get(word) in ("reps", "sets", "rpe", "rir"):
            kind = w.kinds.get(word, word)
            if kind in ("reps", "sets") and not after_number:
                continue  # 'step ups' is a name and 'last set grindy' a note: only '3 sets', '10 reps' count
            tok.kind = kind
        elif w.kinds.get(word) in ("equipment", "bodyweight") and i > first_number:
            tok.kind = w.kinds[word]
        elif word == "for" and 0 < i < len(toks) - 1 and toks[i - 1].kind == "unit" and toks[i + 1].kind == "num" \
                and (i + 2 >= len(toks) or toks[i + 2].kind not in ("x", "word", "sep")):
            tok.kind = "x"  # "80kg for 8": 8 reps at 80 kg
        elif w.kinds.get(word) == "filler":
            tok.kind = "filler"
    return toks


def _split_name(toks: list[_Tok], first_number: int) -> tuple[list[_Tok], list[_Tok]]:
    """Unknown words before the numbers are the name; if there are none, the first run of
    unknown words after them is. Every other unknown word (or emoji) is the note."""
    lead = [t for t in toks[:first_number] if t.kind == "word"]
    rest = [t for t in toks[first_number:] if t.kind in ("word", "other")]
    if lead:
        name = lead
        note = rest
    else:
        name, note, started = [], [], False
        for tok in toks[first_number:]:
            if tok.kind == "word" and (not name or started):
                name.append(tok)
                started = True
            elif tok.kind in ("word", "other"):
                note.append(tok)
                if tok.kind == "word":
                    started = False
            elif started and tok.kind not in ("filler", "sep", "x"):
                started = False
        name_set = {id(t) for t in name}
        note = [t for t in rest if id(t) not in name_set]
    for tok in note:
        tok.kind = "note"
    for tok in name:
        tok.kind = "name"
    return name, note


def _known_prefix(body: str, name_toks: list[_Tok], note_toks: list[_Tok], is_known):
    """'50 squats felt easy': the longest known start of the words is the name, the rest the note."""
    for cut in range(len(name_toks) - 1, 0, -1):
        candidate = _name_span(body, name_toks[:cut])
        if is_known(candidate):
            for tok in name_toks[cut:]:
                tok.kind = "note"
            return candidate, sorted(name_toks[cut:] + note_toks, key=lambda t: t.start)
    return _name_span(body, name_toks), note_toks


def _name_span(body: str, name_toks: list[_Tok]) -> str:
    if not name_toks:
        return ""
    span = body[name_toks[0].start: name_toks[-1].end]
    return " ".join(span.replace(":", " ").split()).strip(" -–—,.")


def _note_spans(body: str, toks: list[_Tok], note_toks: list[_Tok]) -> list[str]:
    """Runs of note words, each as written (with the filler and punctuation inside it)."""
    if not note_toks:
        return []
    members = {id(t) for t in note_toks}
    spans, current = [], None
    for i, tok in enumerate(toks):
        if id(tok) in members:
            if tok.kind == "note" and i > 0 and toks[i - 1].kind == "num" and _looks_like_a_unit(str(tok.value)):
                raise _Refuse(f"I couldn't tell what '{tok.value}' after {_num(toks[i - 1].value)} means "
                              f"(kg, lb, reps?)")
            current = [tok.start, tok.end] if current is None else [current[0], tok.end]
        elif current is not None and tok.kind == "filler":
            current[1] = tok.end  # "easy, go up next": filler words inside and after a note are part of it
        elif current is not None and tok.kind in ("sep", "other"):
            continue
        elif current is not None:
            spans.append(body[current[0]: current[1]])
            current = None
    if current is not None:
        spans.append(body[current[0]: current[1]])
    return [s.strip(" ,;-–—") for s in spans if s.strip(" ,;-–—")]


def _looks_like_a_unit(word: str) -> bool:
    """'kgg', 'lbz', 'st' right after a number: a unit we can't read, so the number can't be placed."""
    w = words()
    known = [*w.units, *w.seconds, *w.metres]
    return len(word) <= 4 and any(fuzz.ratio(word, unit) >= 66 for unit in known if len(unit) <= 4)


def _merge(toks: list[_Tok]) -> list[_Tok]:
    """Numbers take the unit after them: 60 kg -> load, 45 s -> time, 20 m -> distance,
    10 reps -> reps, 3 sets -> sets, 15 each -> reps per side; 'rpe 8' / '8 rpe' -> effort."""
    out: list[_Tok] = []
    i = 0
    while i < len(toks):
        tok = toks[i]
        nxt = toks[i + 1] if i + 1 < len(toks) else None
        if tok.kind == "time":
            out.append(_Tok("dur", tok.value, tok.start, tok.end))
        elif tok.kind == "num" and nxt is not None and nxt.kind == "unit":
            out.append(_Tok("load", (tok.value, nxt.value), tok.start, nxt.end))
            i += 1
        elif tok.kind == "num" and nxt is not None and nxt.kind == "secunit":
            out.append(_Tok("dur", tok.value * nxt.value, tok.start, nxt.end))
            i += 1
        elif tok.kind == "num" and nxt is not None and nxt.kind == "metreunit":
            out.append(_Tok("dist", tok.value * nxt.value, tok.start, nxt.end))
            i += 1
        elif tok.kind == "num" and nxt is not None and nxt.kind in ("reps", "sets"):
            out.append(_Tok(nxt.kind + "n", tok.value, tok.start, nxt.end))
            i += 1
        elif tok.kind == "num" and nxt is not None and nxt.kind == "each" and not (out and out[-1].kind == "at"):
            out.append(_Tok("repsn", tok.value, tok.start, nxt.end, each=True))
            i += 1
        elif tok.kind in ("rpe", "rir") and nxt is not None and nxt.kind == "num":
            out.append(_Tok(tok.kind + "v", nxt.value, tok.start, nxt.end))
            i += 1
        elif tok.kind == "num" and nxt is not None and nxt.kind in ("rpe", "rir") and not (
                i + 2 < len(toks) and toks[i + 2].kind == "num"):
            out.append(_Tok(nxt.kind + "v", tok.value, tok.start, nxt.end))
            i += 1
        elif tok.kind in ("rpe", "rir"):
            raise _Refuse(f"{tok.value.upper()} needs a number, e.g. 'rpe 8' or 'rir 2'")
        else:
            out.append(tok)
        i += 1
    # "w/ 2x12kg db": two dumbbells of 12 kg; the load is per dumbbell
    merged: list[_Tok] = []
    for tok in out:
        if (tok.kind == "load" and len(merged) >= 2 and merged[-1].kind == "x" and merged[-2].kind == "num"
                and merged[-2].value in (1, 2) and _followed_by_equipment(toks, tok)):
            merged[-2:] = []
        if tok.kind == "at" and merged and merged[-1].kind == "at":
            continue
        merged.append(tok)
    return [t for t in merged if t.kind not in ("equipment", "filler", "name", "rpe", "rir", "unit", "secunit",
                                                "metreunit")] if _no_stray_units(merged) else []


def _followed_by_equipment(toks: list[_Tok], load: _Tok) -> bool:
    after = [t for t in toks if t.start >= load.end and t.kind not in ("filler",)]
    return bool(after) and after[0].kind == "equipment"


def _no_stray_units(toks: list[_Tok]) -> bool:
    for tok in toks:
        if tok.kind in ("unit", "secunit", "metreunit"):
            raise _Refuse(f"'{tok.value}' stands without a number")
    return True


def _num(value) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


def _int(value: float, what: str) -> int:
    if value != int(value):
        raise _Refuse(f"{_num(value)} {what} is not a whole number")
    return int(value)


@dataclass
class _Loose:
    loads: list[tuple[float, str | None]] = field(default_factory=list)
    numbers: list[float] = field(default_factory=list)
    set_counts: list[int] = field(default_factory=list)
    rpe: list[float] = field(default_factory=list)
    rir: list[int] = field(default_factory=list)


def _groups(seq: list[_Tok], all_warmup: bool) -> tuple[list[_Group], _Loose]:
    groups: list[_Group] = []
    loose = _Loose()
    warm_next = False
    adjacent = False  # the previous token ended a group with no separator since
    i = 0

    def kinds(*expected: str) -> bool:
        return len(seq) >= i + len(expected) and all(
            seq[i + k].kind in alternatives.split("|") for k, alternatives in enumerate(expected))

    running: list = []  # a load written before its sets ("70kg 3x8, 75kg 2x6") holds until the next load

    def add(group: _Group) -> None:
        nonlocal warm_next, adjacent
        group.warmup = group.warmup or warm_next or all_warmup
        if group.load is None and running:
            group.load = running[-1]
        warm_next = False
        groups.append(group)
        adjacent = True

    while i < len(seq):
        tok = seq[i]
        if kinds("num", "x", "num", "x", "num"):
            add(_Group("triple", a=seq[i].value, b=seq[i + 2].value, c=seq[i + 4].value))
            i += 5
        elif kinds("num", "x", "num|repsn", "x", "load"):
            add(_Group("sets", count=_int(seq[i].value, "sets"), reps=[_int(seq[i + 2].value, "reps")],
                       load=seq[i + 4].value))
            i += 5
        elif kinds("load", "x", "num|repsn", "x", "num|setsn"):
            add(_Group("sets", count=_int(seq[i + 4].value, "sets"), reps=[_int(seq[i + 2].value, "reps")],
                       load=seq[i].value))
            i += 5
        elif kinds("load", "x", "num|repsn"):
            group = _Group("list", load=seq[i].value, reps=[_int(seq[i + 2].value, "reps")])
            i += 3
            i = _rep_list_tail(seq, i, group)
            add(group)
        elif kinds("num|setsn", "x", "dur") or kinds("num|setsn", "x", "dist"):
            count = _int(seq[i].value, "sets")
            add(_time_or_distance(seq[i + 2], count))
            i += 3
        elif kinds("dur|dist", "x", "num|setsn"):
            add(_time_or_distance(seq[i], _int(seq[i + 2].value, "sets")))
            i += 3
        elif kinds("num|setsn", "x", "repsn"):
            add(_Group("sets", count=_int(seq[i].value, "sets"), reps=[_int(seq[i + 2].value, "reps")]))
            i += 3
        elif kinds("repsn", "x", "num|setsn"):
            add(_Group("sets", count=_int(seq[i + 2].value, "sets"), reps=[_int(seq[i].value, "reps")]))
            i += 3
        elif kinds("setsn", "x", "num") or kinds("setsn", "num|repsn") and not _list_ahead(seq, i + 1):
            step = 3 if seq[i + 1].kind == "x" else 2
            add(_Group("sets", count=_int(seq[i].value, "sets"), reps=[_int(seq[i + step - 1].value, "reps")]))
            i += step
        elif kinds("repsn", "setsn"):
            add(_Group("sets", count=_int(seq[i + 1].value, "sets"), reps=[_int(seq[i].value, "reps")]))
            i += 2
        elif kinds("num", "x", "num", "sep", "num") and not _pair_follows(seq, i + 4):
            if seq[i].value <= PLAUSIBLE_SETS and seq[i].value == int(seq[i].value):
                raise _Refuse(f"I couldn't tell whether {_num(seq[i].value)} is the number of sets or the load; "
                              f"write e.g. '{_num(seq[i].value)}kg x 10, 10, 8'")
            group = _Group("list", load=(seq[i].value, None), reps=[_int(seq[i + 2].value, "reps")])
            i = _rep_list_tail(seq, i + 3, group)
            add(group)
        elif kinds("num", "x", "num|repsn"):
            if seq[i + 2].kind == "repsn":
                add(_Group("sets", count=_int(seq[i].value, "sets"), reps=[_int(seq[i + 2].value, "reps")]))
            else:
                add(_Group("pair", a=seq[i].value, b=seq[i + 2].value))
            i += 3
        elif kinds("num", "sep|num|repsn") and _list_ahead(seq, i) and not loose.set_counts \
                and not any(t.kind == "setsn" for t in seq):
            group = _Group("list", reps=[_int(seq[i].value, "reps")])
            i = _rep_list_tail(seq, i + 1, group, bare=True)
            add(group)
        elif tok.kind == "repsn":
            add(_Group("sets", count=None, reps=[_int(tok.value, "reps")]))
            i += 1
        elif tok.kind in ("dur", "dist"):
            add(_time_or_distance(tok, None))
            i += 1
        elif tok.kind == "setsn":
            loose.set_counts.append(_int(tok.value, "sets"))
            i += 1
        elif tok.kind == "load":
            if groups and adjacent and groups[-1].load is None and groups[-1].kind in ("sets", "pair", "list", "time",
                                                                                       "dist"):
                groups[-1].load = tok.value
            elif groups and _group_follows(seq, i + 1):
                running.append(tok.value)
            else:
                loose.loads.append(tok.value)
            i += 1
        elif tok.kind == "at" and i + 1 < len(seq) and seq[i + 1].kind in ("load", "num", "rpev", "rirv"):
            target = seq[i + 1]
            if target.kind in ("rpev", "rirv"):
                i += 1  # "@ rpe 8": the '@' adds nothing
                continue
            value = target.value if target.kind == "load" else (target.value, None)
            last = groups[-1] if groups else None
            if target.kind == "num" and last is not None and target.value <= 10 and last.kind != "time" \
                    and (target.value * 2) == int(target.value * 2):
                if last.load is not None or last.kind == "pair" and last.a > 20:
                    last.rpe = target.value  # "60kg x 8 @8": effort, the load is written already
                else:
                    last.at_small = target.value
            elif last is not None and last.load is None:
                last.load = value
            else:
                loose.loads.append(value)
            i += 2
            adjacent = True
            continue
        elif tok.kind in ("rpev", "rirv"):
            target = groups[-1] if groups else None
            if target is None:
                (loose.rpe if tok.kind == "rpev" else loose.rir).append(tok.value)
            elif tok.kind == "rpev":
                target.rpe = tok.value
            else:
                target.rir = _int(tok.value, "RIR")
            i += 1
            continue
        elif tok.kind == "warmup":
            if groups and adjacent:
                groups[-1].warmup = True
            else:
                warm_next = True
            i += 1
            continue
        elif tok.kind in ("each", "band", "bodyweight"):
            i += 1
            continue
        elif tok.kind == "num":
            loose.numbers.append(tok.value)
            i += 1
        elif tok.kind in ("sep", "note"):
            adjacent = False
            i += 1
            continue
        elif tok.kind == "x":
            raise _Refuse("an 'x' with no number on one side")
        elif tok.kind == "at":
            raise _Refuse("'@' with no load or effort after it")
        else:
            i += 1
            continue
    if warm_next and groups:
        groups[-1].warmup = True
    return groups, loose


def _time_or_distance(tok: _Tok, count: int | None) -> _Group:
    if tok.kind == "dur":
        return _Group("time", count=count, seconds=_int(tok.value, "seconds"))
    return _Group("dist", count=count, metres=float(tok.value))


def _rep_list_tail(seq: list[_Tok], i: int, group: _Group, bare: bool = False) -> int:
    """'60kg x 10, 10, 8' / '12-10-8' / '12 12 10 reps': the reps that follow."""
    while i < len(seq):
        if seq[i].kind == "sep" and i + 1 < len(seq) and seq[i + 1].kind in ("num", "repsn") \
                and not _pair_follows(seq, i + 1):
            i += 1
        elif seq[i].kind in ("num", "repsn") and (bare or seq[i - 1].kind == "sep") and not _pair_follows(seq, i):
            pass
        else:
            break
        group.reps.append(_int(seq[i].value, "reps"))
        i += 1
    return i


def _pair_follows(seq: list[_Tok], i: int) -> bool:
    return i + 1 < len(seq) and seq[i].kind == "num" and seq[i + 1].kind == "x"


def _list_ahead(seq: list[_Tok], i: int) -> bool:
    """A rep list needs two or more numbers in a row ('12 12 10', '10,10,8')."""
    j = i + 1 if i < len(seq) and seq[i].kind in ("num", "repsn") else i
    if j < len(seq) and seq[j].kind == "sep":
        j += 1
    return j < len(seq) and seq[j].kind in ("num", "repsn") and not _pair_follows(seq, j)


def _group_follows(seq: list[_Tok], i: int) -> bool:
    while i < len(seq) and seq[i].kind in ("sep", "each", "band"):
        i += 1
    return i < len(seq) and seq[i].kind in ("num", "load", "repsn", "setsn", "dur", "dist")


def _readings(groups: list[_Group], loose: _Loose, default_unit: str, bodyweight: bool, count_first: bool):
    """The sets the groups stand for: one reading, or two when both are plausible."""
    if not groups:
        if len(loose.numbers) == 1 and not loose.loads and not count_first:
            raise _Refuse(f"I couldn't tell whether {_num(loose.numbers[0])} is reps, sets or the load; "
                          f"write e.g. '{_num(loose.numbers[0])} reps'")
        if len(loose.numbers) == 1 and not loose.loads:
            groups = [_Group("sets", count=None, reps=[_int(loose.numbers.pop(), "reps")])]  # "50 squats"
        elif loose.numbers or loose.loads:
            raise _Refuse("I found no sets or reps, only numbers I couldn't place")
        else:
            raise _Refuse("no sets or reps")
    for count in loose.set_counts:
        open_groups = [g for g in groups if g.count is None and g.kind in ("sets", "time", "dist")]
        if len(open_groups) != 1 or len(loose.set_counts) > 1:
            raise _Refuse("I couldn't tell which sets the set count belongs to")
        open_groups[0].count = count
    if loose.numbers:
        if len(loose.numbers) == 1 and not loose.loads and not bodyweight and not any(g.load for g in groups):
            loose.loads.append((loose.numbers.pop(), None))  # "hip thrust 3x10 60": the number left is the load
        else:
            raise _Refuse(f"I couldn't place the number(s) {', '.join(_num(n) for n in loose.numbers)}")
    if len(loose.loads) > 1:
        raise _Refuse("more than one load for the same sets")
    if loose.loads:
        if all(g.load is not None for g in groups):
            raise _Refuse("more than one load for the same sets")
        for group in groups:
            if group.load is None:
                group.load = loose.loads[0]
    for group in groups:
        if group.rpe is None and loose.rpe:
            group.rpe = loose.rpe[-1]
        if group.rir is None and loose.rir:
            group.rir = _int(loose.rir[-1], "RIR")
    kinds_written = {"time" if g.kind == "time" else "dist" if g.kind == "dist" else "reps" for g in groups}
    if len(kinds_written) > 1:
        raise _Refuse("reps and a time or distance on one line; I couldn't tell which is meant "
                      "(for dumbbells write '25lb', for a hold '3x45s')")
    choices = _choices(groups)
    readings = []
    for choice in choices:
        sets = _expand(choice, default_unit)
        units = {unit for _, unit in sets if unit}
        if len(units) > 1:
            raise _Refuse("loads in both kg and lb on one line")
        unit = units.pop() if units else None
        unit = unit or (default_unit if any(s.load is not None for s, _ in sets) else None)
        readings.append((tuple(s for s, _ in sets), unit))
    unique = []
    for reading in readings:
        if reading not in unique:
            unique.append(reading)
    return unique


def _choices(groups: list[_Group]) -> list[list[_Group]]:
    """Settle the undecided 'AxB' and 'AxBxC' groups, and '@ 8' with no load. Each returned
    list is one complete reading; two lists mean both are plausible and the person picks."""
    pairs = [g for g in groups if g.kind == "pair"]
    triples = [g for g in groups if g.kind == "triple"]
    smalls = [g for g in groups if g.at_small is not None]
    smalls = [g for g in smalls if g.load is None]
    for g in groups:
        if g.at_small is not None and g.load is not None:
            g.rpe, g.at_small = g.at_small, None  # "bss 3x10 @ 8 16kg": the load is written, so 8 is effort
    undecided = bool(pairs and not all(p.load for p in pairs) and _pair_undecided(pairs)) + len(triples) \
        + bool(smalls)
    if undecided > 1:
        raise _Refuse("several numbers could be read more than one way; write them like '3x10 @ 60kg'")
    options: list[list[_Group]] = [groups]
    if pairs:
        as_sets = [replace(p, kind="sets", count=_int(p.a, "sets"), reps=[_int(p.b, "reps")]) for p in pairs]
        as_loads = [replace(p, kind="sets", count=1, reps=[_int(p.b, "reps")],
                            load=p.load or (p.a, None)) for p in pairs]
        if all(p.load for p in pairs):
            options = [_swap(groups, pairs, as_sets)]
        elif _pairs_are_loads(pairs):
            options = [_swap(groups, pairs, as_loads)]  # "185x10 185x10 185x8", "100x5", "12.5x8"
        elif all(p.a <= PLAUSIBLE_SETS for p in pairs):
            options = [_swap(groups, pairs, as_sets)]  # "3x10"
        else:
            options = [_swap(groups, pairs, as_sets), _swap(groups, pairs, as_loads)]  # "12x10": sets or kg?
    if triples:
        t = triples[0]
        sets_first = replace(t, kind="sets", count=None, reps=[_int(t.b, "reps")], load=(t.c, None))
        load_first = replace(t, kind="sets", count=None, reps=[_int(t.b, "reps")], load=(t.a, None))
        candidates = []
        if t.a == int(t.a) and t.a <= PLAUSIBLE_SETS:
            sets_first.count = int(t.a)
            candidates.append(_swap(groups, [t], [sets_first]))
        if t.c == int(t.c) and t.c <= PLAUSIBLE_SETS and t.a != t.c:
            load_first.count = int(t.c)
            candidates.append(_swap(groups, [t], [load_first]))
        if not candidates:
            raise _Refuse(f"in {_num(t.a)}x{_num(t.b)}x{_num(t.c)} neither end is a believable set count "
                          f"(at most {PLAUSIBLE_SETS} unless written '12 sets of 10')")
        options = candidates
    if smalls:
        g = smalls[0]
        forked = []
        for option in options:
            current = next(o for o in option if o is g or (o.at_small == g.at_small and o.at_small is not None))
            forked.append(_swap(option, [current], [replace(current, rpe=current.at_small, at_small=None)]))
            forked.append(_swap(option, [current], [replace(current, load=(current.at_small, None), at_small=None)]))
        options = forked
    return options


def _pairs_are_loads(pairs: list[_Group]) -> bool:
    return any(p.a != int(p.a) or p.a > MAX_SETS for p in pairs) or (
        len(pairs) > 1 and len({p.a for p in pairs}) == 1 and pairs[0].a > PLAUSIBLE_SETS)


def _pair_undecided(pairs: list[_Group]) -> bool:
    return not _pairs_are_loads(pairs) and not all(p.a <= PLAUSIBLE_SETS for p in pairs)


def _swap(groups: list[_Group], old: list[_Group], new: list[_Group]) -> list[_Group]:
    mapping = {id(o): n for o, n in zip(old, new)}
    return [mapping.get(id(g), g) for g in groups]


def _expand(groups: list[_Group], default_unit: str) -> list[tuple[ParsedSet, str | None]]:
    """Counts are checked before any list is built: '100000000x10' costs nothing."""
    total = 0
    for g in groups:
        count = g.count if g.count is not None else (len(g.reps) if g.kind == "list" else 1)
        if count < 1:
            raise _Refuse("a set count of 0 means nothing was done")
        if count > MAX_SETS:
            raise _Refuse(f"{count} sets is more than I can believe (max {MAX_SETS})")
        total += count if g.kind != "list" else len(g.reps)
        if total > MAX_SETS:
            raise _Refuse(f"{total} sets in one line is more than I can believe (max {MAX_SETS})")
    result = []
    for g in groups:
        load, unit = (g.load if g.load is not None else (None, None))
        if load is not None and not 0 < load <= MAX_LOAD:
            raise _Refuse(f"a load of {_num(load)} is out of range (more than 0, at most {MAX_LOAD:g})")
        if g.rpe is not None and not (1 <= g.rpe <= 10 and g.rpe * 2 == int(g.rpe * 2)):
            raise _Refuse(f"RPE {_num(g.rpe)} is out of range: RPE goes from 1 to 10 (halves allowed), "
                          f"e.g. 'rpe 8'")
        if g.rir is not None and not 0 <= g.rir <= 10:
            raise _Refuse(f"RIR {g.rir} is out of range: reps in reserve go from 0 to 10, e.g. 'rir 2'")
        common = dict(load=load, rpe=g.rpe, rir=g.rir, warmup=g.warmup)
        if g.kind == "time":
            if not 1 <= g.seconds <= MAX_SECONDS:
                raise _Refuse(f"{g.seconds} s is out of range (1-{MAX_SECONDS})")
            sets = [ParsedSet(seconds=g.seconds, **common)] * (g.count or 1)
        elif g.kind == "dist":
            if not 0 < g.metres <= MAX_METRES:
                raise _Refuse(f"{_num(g.metres)} m is out of range")
            sets = [ParsedSet(distance_m=round(g.metres, 2), **common)] * (g.count or 1)
        else:
            for reps in g.reps:
                if not 1 <= reps <= MAX_REPS:
                    raise _Refuse(f"{reps} reps is out of range (1-{MAX_REPS})")
            if g.kind == "list" or len(g.reps) > 1:
                sets = [ParsedSet(reps=r, **common) for r in g.reps]
            else:
                sets = [ParsedSet(reps=g.reps[0], **common)] * (g.count or 1)
        result.extend((s, unit if s.load is not None else None) for s in sets)
    return result
