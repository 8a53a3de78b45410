"""The set-log reader's first half: a line as tokens, its words sorted into name, note and
the words around the numbers (units, per side, warm-up, effort), numbers joined to their units.

The vocabulary is data (core/data/setlog_words.toml, via core.setlog.words).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from rapidfuzz import fuzz

from core.setlog.readings import Refuse
from core.setlog.words import words

TOKEN = re.compile(
    r"""
    (?P<time>\d{1,2}:[0-5]\d(?!\d))
  | (?P<num>\d+(?:\.\d+)?)
  | (?P<x>(?<![^\W\d_])[xX×✕*](?![^\W\d_]))
  | (?P<at>@)
  | (?P<sep>[,;+/&|\-–—>])
  | (?P<word>[^\W\d_]+(?:['’][^\W\d_]+)*)
  | (?P<other>\S)
""",
    re.X,
)


NUMERIC = {"num", "time"}
RECORD_WORDS = {"pr", "pb", "prs", "pbs"}


Load = tuple[float, str | None]  # the amount and its unit as written (None: no unit written)


@dataclass
class Tok:
    kind: str
    value: float | str | Load  # a number, a word (lowercased) or, for kind "load", a Load
    start: int
    end: int
    each: bool = False

    @property
    def number(self) -> float:
        """The value of a numeric token; the grammar asks only after it has matched the kind."""
        if isinstance(self.value, (int, float)):
            return self.value
        raise TypeError(f"a {self.kind} token holds no number")

    @property
    def word(self) -> str:
        if isinstance(self.value, str):
            return self.value
        raise TypeError(f"a {self.kind} token holds no word")

    @property
    def load(self) -> Load:
        if isinstance(self.value, tuple):
            return self.value
        raise TypeError(f"a {self.kind} token holds no load")


def tokenize(body: str) -> list[Tok]:
    result = []
    for match in TOKEN.finditer(body):
        kind = match.lastgroup or "other"  # every alternative of TOKEN is a named group
        raw = match.group()
        if kind == "num":
            value: float | str = float(raw)
        elif kind == "time":
            minutes, seconds = raw.split(":")
            value = int(minutes) * 60 + int(seconds)
        else:
            value = raw.lower()
        result.append(Tok(kind, value, match.start(), match.end()))
    return result


def classify(toks: list[Tok], first_number: int) -> list[Tok]:
    """Words get their kind; unit words count only right after a number, and equipment
    words only after the numbers (before them, 'DB RDL' and 'bw squat' are names)."""
    w = words()
    for i, tok in enumerate(toks):
        if tok.kind != "word":
            continue
        word = tok.word
        after_number = i > 0 and toks[i - 1].kind == "num"
        if word == "zzband":
            tok.kind = "band"
        elif word == "zzwarm":
            tok.kind = "warmup"
        elif word == "zzeach":
            tok.kind = "each"
        elif word == "zzhand":
            tok.kind = "equipment"
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
        elif (
            word == "for"
            and 0 < i < len(toks) - 1
            and toks[i - 1].kind in ("unit", "num")
            and toks[i + 1].kind == "num"
            and (i + 2 >= len(toks) or toks[i + 2].kind not in ("x", "word", "sep"))
        ):
            tok.kind = "for"  # "80kg for 8", "185 for 8": 8 reps at that load
        elif word == "by" and 0 < i < len(toks) - 1 and toks[i - 1].kind == "num" and toks[i + 1].kind == "num":
            tok.kind, tok.value = "x", "x"  # "3 by 8": said the way '3x8' is read out
        elif w.kinds.get(word) == "filler":
            tok.kind = "filler"
    for i, tok in enumerate(toks):
        if tok.kind == "filler" and 0 < i < len(toks) - 1 and toks[i - 1].kind == "num" and toks[i + 1].kind == "num":
            tok.kind = "gap"  # "3x10 at 60": a word between two numbers keeps them from reading as '10 60' reps
    return toks


def split_name(toks: list[Tok], first_number: int) -> tuple[list[Tok], list[Tok]]:
    """Unknown words before the numbers are the name; if there are none, the first run of
    unknown words after them is. Every other unknown word (or emoji) is the note."""
    records = [t for t in toks if t.kind == "word" and t.value in RECORD_WORDS]
    for tok in records:
        tok.kind = "record"  # "hip thrust PR 120kg x 3": the PR is a note, not part of the name
    lead = [t for t in toks[:first_number] if t.kind == "word"]
    rest = [t for t in toks[first_number:] if t.kind in ("word", "other")]
    if lead:
        name = lead
        note = rest
    else:
        name, started = [], False
        for tok in toks[first_number:]:
            if tok.kind == "word" and (not name or started):
                name.append(tok)  # "3x10 hip thrust 60kg", "did 20 glute bridges"
                started = True
            elif name and tok.kind not in ("filler", "sep", "x"):
                started = False  # the name ends at the next number or other mark
        name_set = {id(t) for t in name}
        note = [t for t in rest if id(t) not in name_set]
    note = sorted(note + records, key=lambda t: t.start)
    for tok in note:
        tok.kind = "note"
    for tok in name:
        tok.kind = "name"
    return name, note


def known_prefix(
    body: str, name_toks: list[Tok], note_toks: list[Tok], is_known: Callable[[str], bool]
) -> tuple[str, list[Tok]]:
    """'50 squats felt easy': the longest known start of the words is the name, the rest the note."""
    for cut in range(len(name_toks) - 1, 0, -1):
        candidate = name_span(body, name_toks[:cut])
        if is_known(candidate):
            for tok in name_toks[cut:]:
                tok.kind = "note"
            return candidate, sorted(name_toks[cut:] + note_toks, key=lambda t: t.start)
    return name_span(body, name_toks), note_toks


def name_span(body: str, name_toks: list[Tok]) -> str:
    if not name_toks:
        return ""
    span = body[name_toks[0].start : name_toks[-1].end]
    return " ".join(span.replace(":", " ").split()).strip(" -–—,.")


def note_spans(body: str, toks: list[Tok], note_toks: list[Tok]) -> list[str]:
    """Runs of note words, each as written (with the filler and punctuation inside it)."""
    if not note_toks:
        return []
    members = {id(t) for t in note_toks}
    spans, current = [], None
    for i, tok in enumerate(toks):
        if id(tok) in members:
            if tok.kind == "note" and i > 0 and toks[i - 1].kind == "num" and _looks_like_a_unit(str(tok.value)):
                raise Refuse(
                    f"I couldn't tell what '{tok.value}' after {show_number(toks[i - 1].number)} means (kg, lb, reps?)"
                )
            current = [tok.start, tok.end] if current is None else [current[0], tok.end]
        elif current is not None and tok.kind == "filler":
            current[1] = tok.end  # "easy, go up next": filler words inside and after a note are part of it
        elif current is not None and tok.kind in ("sep", "other"):
            continue
        elif current is not None:
            spans.append(body[current[0] : current[1]])
            current = None
    if current is not None:
        spans.append(body[current[0] : current[1]])
    spans = [s.strip(" ,;-–—") for s in spans]
    return [s for s in spans if any(c.isalnum() or ord(c) > 0x2000 for c in s)]  # a lone "." or "!" is no note


def _looks_like_a_unit(word: str) -> bool:
    """'kgg', 'lbz', 'st' right after a number: a unit we can't read, so the number can't be placed."""
    w = words()
    known = [*w.units, *w.seconds, *w.metres]
    return len(word) <= 4 and any(fuzz.ratio(word, unit) >= 66 for unit in known if len(unit) <= 4)


def merge(toks: list[Tok]) -> list[Tok]:
    """Numbers take the unit after them: 60 kg -> load, 45 s -> time, 20 m -> distance,
    10 reps -> reps, 3 sets -> sets, 15 each -> reps per side; 'rpe 8' / '8 rpe' -> effort."""
    out: list[Tok] = []
    i = 0
    while i < len(toks):
        tok = toks[i]
        nxt = toks[i + 1] if i + 1 < len(toks) else None
        if tok.kind == "num" and nxt is not None and nxt.kind == "for":
            out.append(Tok("load", (tok.number, None), tok.start, tok.end))  # "185 for 8": the first is the load
        elif tok.kind == "for":
            out.append(Tok("x", "x", tok.start, tok.end))
        elif tok.kind == "time":
            out.append(Tok("dur", tok.value, tok.start, tok.end))
        elif tok.kind == "num" and nxt is not None and nxt.kind == "unit":
            out.append(Tok("load", (tok.number, nxt.word), tok.start, nxt.end))
            i += 1
        elif tok.kind == "num" and nxt is not None and nxt.kind == "secunit":
            out.append(Tok("dur", tok.number * nxt.number, tok.start, nxt.end))
            i += 1
        elif tok.kind == "num" and nxt is not None and nxt.kind == "metreunit":
            out.append(Tok("dist", tok.number * nxt.number, tok.start, nxt.end))
            i += 1
        elif tok.kind == "num" and nxt is not None and nxt.kind in ("reps", "sets"):
            out.append(Tok(nxt.kind + "n", tok.value, tok.start, nxt.end))
            i += 1
        elif tok.kind == "num" and nxt is not None and nxt.kind == "each" and not (out and out[-1].kind == "at"):
            out.append(Tok("repsn", tok.value, tok.start, nxt.end, each=True))
            i += 1
        elif tok.kind in ("rpe", "rir") and nxt is not None and nxt.kind == "num":
            out.append(Tok(tok.kind + "v", nxt.value, tok.start, nxt.end))
            i += 1
        elif (
            tok.kind == "num"
            and nxt is not None
            and nxt.kind in ("rpe", "rir")
            and not (i + 2 < len(toks) and toks[i + 2].kind == "num")
        ):
            out.append(Tok(nxt.kind + "v", tok.value, tok.start, nxt.end))
            i += 1
        elif tok.kind in ("rpe", "rir"):
            raise Refuse(f"{tok.word.upper()} needs a number, e.g. 'rpe 8' or 'rir 2'")
        else:
            out.append(tok)
        i += 1
    # "w/ 2x12kg db": two dumbbells of 12 kg; the load is per dumbbell
    merged: list[Tok] = []
    for tok in out:
        if (
            tok.kind == "load"
            and len(merged) >= 2
            and merged[-1].kind == "x"
            and merged[-2].kind == "num"
            and merged[-2].value in (1, 2)
            and _followed_by_equipment(toks, tok)
        ):
            merged[-2:] = []
        if tok.kind == "at" and merged and merged[-1].kind == "at":
            continue
        merged.append(tok)
    return (
        [
            t
            for t in merged
            if t.kind not in ("equipment", "filler", "name", "rpe", "rir", "unit", "secunit", "metreunit")
        ]
        if _no_stray_units(merged)
        else []
    )


def _followed_by_equipment(toks: list[Tok], load: Tok) -> bool:
    after = [t for t in toks if t.start >= load.end and t.kind not in ("filler",)]
    return bool(after) and after[0].kind == "equipment"


def _no_stray_units(toks: list[Tok]) -> bool:
    for tok in toks:
        if tok.kind in ("unit", "secunit", "metreunit"):
            raise Refuse(f"'{tok.value}' stands without a number")
    return True


def show_number(value: float) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)
