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
from typing import Callable

from core.setlog.grammar import groups_of, readings_of
from core.setlog.readings import (
    MAX_LINE,
    MAX_SETS,
    PLAUSIBLE_SETS,
    Ambiguous,
    ParsedLine,
    ParsedSet,
    Refuse,
    Unreadable,
)
from core.setlog.tokens import NUMERIC, classify, known_prefix, merge, name_span, note_spans, split_name, tokenize
from core.setlog.words import words

__all__ = [
    "MAX_SETS",
    "PLAUSIBLE_SETS",
    "Ambiguous",
    "ParsedLine",
    "ParsedSet",
    "Unreadable",
    "is_chat",
    "looks_like_a_log",
    "parse_line",
    "split_lines",
]

HAS_DIGIT = re.compile(r"\d")
SET_PREFIX = re.compile(r"^(?:set\s*\d{1,2}|s\d{1,2})\s*[:.)\-]\s*", re.I)
WARMUP_PREFIX = re.compile(r"^(?:w\d{0,2}|wu|w/u|warm-?\s?up(?:\s*sets?)?)\s*\d{0,2}\s*[:)\-]\s*", re.I)
LIST_PREFIX = re.compile(r"^(?:\d{1,2}[.)]|[a-z]\d{1,2}[.):]|[-•*▪●◦]|\(?[a-z]\d?\))\s+", re.I)
BRACKETS = re.compile(r"[(\[]([^()\[\]]*)[)\]]")
EQUIPMENT_IN_BRACKETS = {
    "barbell",
    "dumbbell",
    "dumbbells",
    "machine",
    "cable",
    "smith machine",
    "smith",
    "bodyweight",
    "band",
    "banded",
    "kettlebell",
    "ez bar",
    "plate loaded",
    "weighted",
    "assisted",
    "trap bar",
    "bb",
    "db",
    "kb",
}
WITH_SLASH = re.compile(r"(?<![^\W\d_])w/(?!u(?![^\W\d_]))", re.I)  # "w/ 16kg", not "w/u"
PERCENT = re.compile(r"\d\s*%")
TEMPO = re.compile(
    r"(?<![^\W\d_])tempo\s*[:=]?\s*"
    r"(?:\d(?:\s*[-/:]\s*\d){2,3}|\d{3,4}|[\dx](?:-[\dx]){2,3})(?!\d)",
    re.I,
)
REST = re.compile(
    r"(?<![^\W\d_])rest(?:ed|ing)?\s*[:=]?\s*(?:\d{1,2}:\d{2}|\d+(?:\.\d+)?\s*"
    r"(?:s|secs?|seconds?|m|mins?|minutes?)(?![^\W\d_]))(?:\s*between(?:\s+sets)?)?"
    r"|(?<![\d.])\d+(?:\.\d+)?\s*(?:s|secs?|seconds?|m|mins?|minutes?)\s+rest(?![^\W\d_])",
    re.I,
)
MIN_SEC = re.compile(
    r"(?<!\d)(?P<min>\d{1,2})\s*(?:m|mins?|minutes?)\s*(?P<sec>[0-5]?\d)\s*"
    r"(?:s|secs?|seconds?)(?![^\W\d_])",
    re.I,
)
NEGATIVE = re.compile(r"(?:^|(?<=[\s@x×(]))[-−–](?=\d)")
POUND_SIGN = re.compile(r"(\d)\s*#")
COMMA_DECIMAL = re.compile(r"(?<![\d,])(\d+),(\d{1,2})(?=\s*(?:kgs?|kilos?|lbs?|pounds?|#|s|sec|m)(?![^\W\d_]))", re.I)
GLUED_X = re.compile(r"(?<=kg|lb|bs|gs)[x×](?=\d)", re.I)


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


def parse_line(
    line: str,
    default_unit: str = "kg",
    *,
    name_required: bool = True,
    is_known: Callable[[str], bool] | None = None,
    is_name: Callable[[str], bool] | None = None,
) -> ParsedLine | Ambiguous | Unreadable:
    """Read one line. `is_known` tells a catalog name (also a typo of one), to split 'squats felt easy'
    into name and note; `is_name` tells an exact catalog name, to keep '45 degree hip extension' whole."""
    text = " ".join(line.split())
    if len(text) > MAX_LINE:
        return Unreadable(
            text[:60] + "…", f"a line of {len(text)} characters is longer than a set log can be (at most {MAX_LINE})"
        )
    try:
        return _parse(text, default_unit, name_required, is_known, is_name)
    except Refuse as problem:
        return Unreadable(text, str(problem))


def _parse(
    text: str,
    default_unit: str,
    name_required: bool,
    is_known: Callable[[str], bool] | None,
    is_name: Callable[[str], bool] | None,
) -> ParsedLine | Ambiguous | Unreadable:
    w = words()
    body, all_warmup = text, False
    body = LIST_PREFIX.sub("", body, count=1)
    if match := SET_PREFIX.match(body):
        body = body[match.end() :]
    elif match := WARMUP_PREFIX.match(body):
        body, all_warmup = body[match.end() :], True
    notes: list[str] = []
    equipment = None

    def bracket(match: re.Match[str]) -> str:
        nonlocal equipment
        inside = match[1].strip()
        if HAS_DIGIT.search(inside) and w.per_side.search(inside):
            raise Refuse(
                f"I couldn't tell how '({inside})' relates to the sets; write it without the brackets, "
                f"e.g. '3x10 each leg'"
            )
        if (
            HAS_DIGIT.search(inside)
            or w.band.search(inside)
            or w.per_side.fullmatch(inside.strip())
            or w.warmup.fullmatch(inside.strip())
        ):
            return f" {inside} "  # "(70kg)", "(RPE 8)", "(red band)", "(each leg)": read like the rest of the line
        if inside.lower() in EQUIPMENT_IN_BRACKETS:
            equipment = inside.lower()
            return " "
        if HAS_DIGIT.search(inside) or not inside:
            return f" {inside} "
        notes.append(inside)
        return " "

    body = BRACKETS.sub(bracket, body)
    if PERCENT.search(body):
        raise Refuse("a percentage of your max isn't a load I can store; write the load, e.g. '3x8 @ 70kg'")
    for how in (TEMPO, REST):  # "tempo 3-1-1", "rest 90s": how the sets were done, not more sets
        if match := how.search(body):
            notes.append(match.group(0))
            body = body[: match.start()] + " " + body[match.end() :]
    body = MIN_SEC.sub(lambda m: f"{int(m['min']) * 60 + int(m['sec'])}s", body)  # "1min 30s" is one hold
    if NEGATIVE.search(body):
        raise Refuse("a negative number can't be a load, a rep count or a set count")
    numbered_name = _numbered_name(body, is_name)
    if numbered_name:
        body = "zzname " + body[len(numbered_name) :]
    body = WITH_SLASH.sub(" with ", body)
    body = POUND_SIGN.sub(r"\1 lb", body)
    body = COMMA_DECIMAL.sub(r"\1.\2", body)
    body = GLUED_X.sub(" x ", body)
    band = None
    if match := w.band.search(body):
        band = " ".join(match["level"].lower().split())
        body = body[: match.start()] + " zzband " + body[match.end() :]
    body = w.warmup.sub(" zzwarm ", body)
    body = w.per_hand.sub(" zzhand ", body)
    body = w.per_side.sub(" zzeach ", body)

    toks = tokenize(body)
    first_number = next((i for i, t in enumerate(toks) if t.kind in NUMERIC), None)
    if first_number is None:
        name = name_span(body, [t for t in toks if t.kind == "word"])
        return Unreadable(text, "no sets or reps", name)
    toks = classify(toks, first_number)
    name_toks, note_toks = split_name(toks, first_number)
    name = name_span(body, name_toks)
    if numbered_name and name.startswith("zzname"):
        name = numbered_name + name[len("zzname") :]
    name_after_numbers = bool(name_toks) and name_toks[0].start > toks[first_number].start
    if name_after_numbers and len(name_toks) > 1 and is_known and not is_known(name):
        name, note_toks = known_prefix(body, name_toks, note_toks, is_known)
    notes.extend(note_spans(body, toks, note_toks))
    seq = merge([t for t in toks if t.kind not in ("word", "filler", "name", "other")])
    per_side = any(t.kind == "each" or t.each for t in seq)
    bodyweight = any(t.kind == "bodyweight" for t in seq)
    groups, loose = groups_of([t for t in seq if t.kind not in ("each", "band", "bodyweight")], all_warmup)
    readings = readings_of(groups, loose, default_unit, bodyweight, count_first=name_after_numbers)
    note = " ".join(n.strip() for n in notes if n.strip()) or None
    lines = [ParsedLine(name, sets, unit, per_side, band, note, text, equipment) for sets, unit in readings]
    if not name and name_required:
        return Unreadable(text, "no exercise name")
    if len(lines) == 1:
        return lines[0]
    return Ambiguous(text, name, tuple(lines), "Which did you mean?")


def _numbered_name(body: str, is_known: Callable[[str], bool] | None) -> str | None:
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
