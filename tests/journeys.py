"""The scripted journeys of tests/golden/*.txt, shared by the golden transcripts and the
platform journey tests.

A script is what one person types, one message a line, with two extras:
  # a comment              ignored
  @ 2026-11-23 08:30 Europe/London   sets the clock to this local time
  @ +2d  /  @ +3h          moves the clock on (days, hours, minutes)
A literal `\\n` inside a line is a line break (several set logs in one message).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from tests.support import TestClock

GOLDEN = Path(__file__).parent / "golden"
STEP = re.compile(r"^\+(\d+)([dhm])$")
UNITS = {"d": "days", "h": "hours", "m": "minutes"}


@dataclass(frozen=True)
class Line:
    kind: str  # "say" or "clock"
    text: str


def scripts() -> list[Path]:
    return sorted(GOLDEN.glob("*.txt"))


def read_script(path: Path) -> list[Line]:
    lines = []
    for raw in path.read_text(encoding="utf-8").splitlines():
        if not raw.strip() or raw.lstrip().startswith("#"):
            continue
        if raw.startswith("@"):
            lines.append(Line("clock", raw[1:].strip()))
        else:
            lines.append(Line("say", raw.replace("\\n", "\n")))
    return lines


def move_clock(clock: TestClock, directive: str) -> str:
    """Apply '@ ...' and return how the transcript shows the new time."""
    step = STEP.match(directive)
    if step:
        clock.advance(**{UNITS[step[2]]: int(step[1])})
        return f"+{step[1]}{step[2]}"
    when, _, zone = directive.rpartition(" ")
    clock.set_local(when, zone)
    return directive


def clock_heading(clock: TestClock, shown: str) -> str:
    return f"@ {shown}  ({clock.now:%a %d %b %Y %H:%M} UTC)"
