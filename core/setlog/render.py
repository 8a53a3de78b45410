"""Writing parsed sets back as text the reader reads exactly the same way.

Buttons ("did you mean ...?", "which reading?", "yes, that load is right") resend
a line in this form, so what the person confirms is what gets stored; a property
test checks that parse(render(x)) == x.
"""

from __future__ import annotations

from itertools import groupby

from core.setlog.parser import PLAUSIBLE_SETS, ParsedLine, ParsedSet


def _num(value: float) -> str:
    return f"{round(value, 2):g}"


def numbers_text(line: ParsedLine) -> str:
    """'3x10 @ 60kg', '1x10 @ 20kg warmup, 3x10 @ 60kg rpe 8', '3x45s each side with green band (felt easy)'."""
    parts = []
    for s, run in groupby(line.sets):
        parts.append(_group(s, len(list(run)), line.unit or "kg"))
    text = ", ".join(parts)
    if line.per_side:
        text += " each side"
    if line.band:
        text += f" with {line.band} band"
    if line.note:
        note = line.note.replace("(", " ").replace(")", " ").replace("[", " ").replace("]", " ")
        text += f" ({' '.join(note.split())})"
    return text


def _group(s: ParsedSet, count: int, unit: str) -> str:
    if s.seconds is not None:
        body = f"{count}x{s.seconds}s"
    elif s.distance_m is not None:
        body = f"{count}x{_num(s.distance_m)}m"
    elif s.load is None and count > PLAUSIBLE_SETS:
        body = f"{count} sets x {s.reps} reps"
    else:
        body = f"{count}x{s.reps}"
    if s.load is not None:
        body += f" @ {_num(s.load)}{unit}"
    if s.rpe is not None:
        body += f" rpe {_num(s.rpe)}"
    if s.rir is not None:
        body += f" rir {s.rir}"
    if s.warmup:
        body += " warmup"
    return body
