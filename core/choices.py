"""What a typed command option may hold, for platforms that offer choices while typing.

Short closed lists (units, pain levels, programs) are fixed choices; open or long ones
(exercises, time zones, times) are suggestions for what the person has typed so far,
and any typed value is still accepted and checked by the command itself.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from zoneinfo import available_timezones

from core.catalog import normalise
from core.commands import Option, all_commands
from core.library import Library
from core.pain.rules import SEVERITIES
from core.preferences import PreferenceError, format_weekdays, parse_clock_time, parse_weekdays

MAX_CHOICES = 25  # Discord's limit for both fixed choices and suggestions
MAX_TEXT = 100
UNITS = (("Kilograms (kg)", "kg"), ("Pounds (lb)", "lb"))
COMMON_ZONES = ("Europe/London", "Europe/Berlin", "America/New_York", "America/Los_Angeles", "Asia/Kolkata", "UTC")
WEEKDAY_PRESETS = ("mon thu", "tue fri", "wed sat", "mon wed fri", "tue thu sat", "mon tue thu fri")
Choice = tuple[str, str]  # (label, value)


def fixed_choices(option: Option, library: Library) -> list[Choice] | None:
    """The closed list for this option, or None when it is open (suggestions instead)."""
    if option.kind == "fixed":
        return list(option.choices)
    if option.kind == "pain_level":
        return [(level.capitalize(), level) for level in SEVERITIES]
    if option.kind == "units":
        return list(UNITS)
    if option.kind == "program" and len(library.programs) <= MAX_CHOICES:
        return [(_fit(program.name), program.id) for program in library.programs.values()]
    return None


def suggests(option: Option) -> bool:
    return option.kind not in ("text", "fixed", "pain_level", "units")


def suggestions(option: Option, typed: str, library: Library) -> list[Choice]:
    """Up to 25 choices matching what has been typed so far (best first)."""
    typed = (typed or "").strip()
    source = _SOURCES.get(option.kind)
    found = source(typed, library) if source is not None else []
    seen: set[str] = set()
    result: list[Choice] = []
    for label, value in found:
        if value and value not in seen and len(value) <= MAX_TEXT:
            seen.add(value)
            result.append((_fit(label), value))
    return result[:MAX_CHOICES]


def _fit(label: str) -> str:
    return label if len(label) <= MAX_TEXT else label[: MAX_TEXT - 1] + "…"


def _exercises(typed: str, library: Library) -> list[Choice]:
    catalog = library.catalog
    if not typed:
        return sorted((e.name, e.name) for e in catalog)
    key = normalise(typed)
    starts = [e for e in catalog if normalise(e.name).startswith(key)]
    contains = [e for e in catalog if key in normalise(e.name) or any(key in normalise(a) for a in e.aliases)]
    fuzzy = [match.exercise for match in catalog.candidates(typed, limit=MAX_CHOICES)]
    return [(e.name, e.name) for e in (*starts, *contains, *fuzzy)]


@lru_cache(maxsize=1)
def _zone_names() -> tuple[str, ...]:
    skip = ("Etc/", "SystemV/", "posix/", "right/")
    return tuple(sorted({z for z in available_timezones() if "/" in z and not z.startswith(skip)} | {"UTC"}))


def _timezones(typed: str, library: Library) -> list[Choice]:
    zones = _zone_names()
    if not typed:
        return [(zone, zone) for zone in COMMON_ZONES]
    key = typed.lower().replace(" ", "_")
    starts = [z for z in zones if z.lower().startswith(key) or z.lower().rsplit("/", 1)[-1].startswith(key)]
    contains = [z for z in zones if key in z.lower()]
    return [(zone.replace("_", " "), zone) for zone in (*starts, *contains)]


def _pain_areas(typed: str, library: Library) -> list[Choice]:
    key = typed.lower()
    areas = library.pain.areas.values()
    return [
        (area.name.capitalize(), area.id)
        for area in areas
        if not key or key in area.name.lower() or key in area.id or any(key in w for w in area.words)
    ]


def _programs(typed: str, library: Library) -> list[Choice]:
    key = typed.lower()
    return [
        (program.name, program.id)
        for program in library.programs.values()
        if not key or key in program.name.lower() or key in program.id
    ]


def _weekdays(typed: str, library: Library) -> list[Choice]:
    result = []
    if typed:
        try:
            result.append((format_weekdays(parse_weekdays(typed)), typed))
        except ValueError:
            pass
    return result + [(format_weekdays(parse_weekdays(p)), p) for p in WEEKDAY_PRESETS if p.startswith(typed.lower())]


def _times(typed: str, library: Library) -> list[Choice]:
    times = [f"{hour:02d}:{minute:02d}" for hour in range(5, 24) for minute in (0, 30)]
    key = typed.replace(".", ":")
    matching = [t for t in times if t.startswith(key) or t.lstrip("0").startswith(key)]
    try:  # a complete time typed its own way ("6:45", "7am") comes first, as the command will read it
        exact = parse_clock_time(typed) if len(typed) >= 3 or typed.endswith(("am", "pm")) else None
    except PreferenceError:
        exact = None
    typed_first = [(exact, exact)] if exact else []
    off = [("off (no reminder)", "off")] if "off".startswith(typed.lower()) else []
    return typed_first + [(t, t) for t in matching] + off


def _quiet_hours(typed: str, library: Library) -> list[Choice]:
    presets = ("22:00-07:00", "21:00-08:00", "23:00-06:00", "00:00-08:00")
    typed_first = [(typed, typed)] if typed else []
    return typed_first + [(p, p) for p in presets if p.startswith(typed)] + [("off", "off")]


def _commands(typed: str, library: Library) -> list[Choice]:
    key = typed.lstrip("/").lower()
    names = [spec for spec in all_commands() if spec.name.startswith(key)]
    return [(f"/{spec.name}: {spec.summary}", spec.name) for spec in names]


_SOURCES: dict[str, Callable[[str, Library], list[Choice]]] = {
    "exercise": _exercises,
    "timezone": _timezones,
    "pain_area": _pain_areas,
    "program": _programs,
    "weekdays": _weekdays,
    "time": _times,
    "quiet_hours": _quiet_hours,
    "command": _commands,
}
