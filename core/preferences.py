"""Reading what people type for their settings: weekdays, time zones, units, times.

Each parser returns the clean value or raises `PreferenceError` with a message
that shows an example, because the person will read it.
"""

from __future__ import annotations

import re
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from rapidfuzz import fuzz, process

from core.profile import WEEKDAYS
from core.setlog.words import words

DAY_NAMES = {
    "monday": "mon",
    "tuesday": "tue",
    "tues": "tue",
    "wednesday": "wed",
    "thursday": "thu",
    "thur": "thu",
    "thurs": "thu",
    "friday": "fri",
    "saturday": "sat",
    "sunday": "sun",
    **{d: d for d in WEEKDAYS},
}
DAY_LABELS = {"mon": "Mon", "tue": "Tue", "wed": "Wed", "thu": "Thu", "fri": "Fri", "sat": "Sat", "sun": "Sun"}
FULL_DAY = {
    "mon": "Monday",
    "tue": "Tuesday",
    "wed": "Wednesday",
    "thu": "Thursday",
    "fri": "Friday",
    "sat": "Saturday",
    "sun": "Sunday",
}
ZONE_ALIASES = {"utc": "UTC", "gmt": "UTC", "z": "UTC"}


class PreferenceError(ValueError):
    pass


def parse_weekdays(text: str) -> tuple[str, ...]:
    words = [w for w in re.split(r"[\s,;/+&]+|\band\b", text.lower()) if w]
    days: list[str] = []
    for word in words:
        day = DAY_NAMES.get(word.strip(".")) or _day_range(word)
        if day is None:
            raise PreferenceError(f"'{word[:20]}' is not a weekday. Example: /days mon thu")
        for d in day if isinstance(day, tuple) else (day,):
            if d not in days:
                days.append(d)
    if not days:
        raise PreferenceError("Name at least one weekday. Example: /days mon thu")
    return tuple(sorted(days, key=WEEKDAYS.index))


def _day_range(word: str) -> tuple[str, ...] | None:
    """'mon-fri' -> mon..fri."""
    start, sep, end = word.partition("-")
    if not sep or DAY_NAMES.get(start) is None or DAY_NAMES.get(end) is None:
        return None
    i, j = WEEKDAYS.index(DAY_NAMES[start]), WEEKDAYS.index(DAY_NAMES[end])
    return WEEKDAYS[i : j + 1] if i <= j else WEEKDAYS[i:] + WEEKDAYS[: j + 1]


def format_weekdays(days: tuple[str, ...]) -> str:
    return ", ".join(DAY_LABELS[d] for d in days) if days else "none"


@lru_cache(maxsize=1)
def _zones() -> dict[str, str]:
    """Lookup keys for every zone: 'europe/berlin' and 'berlin' -> 'Europe/Berlin'."""
    keys: dict[str, str] = {}
    for zone in available_timezones():
        if zone.startswith(("Etc/", "SystemV/", "posix/", "right/")) or "/" not in zone:
            continue
        keys[zone.lower()] = zone
        keys.setdefault(zone.rsplit("/", 1)[1].lower().replace("_", " "), zone)
    return keys


def resolve_timezone(text: str) -> str:
    raw = text.strip()
    if not raw:
        raise PreferenceError("Tell me your time zone. Example: /tz Europe/Berlin")
    key = raw.lower().replace(" ", "_")
    if key in ZONE_ALIASES:
        return ZONE_ALIASES[key]
    zones = _zones()
    found = zones.get(key) or zones.get(key.replace("_", " "))
    if found is None:
        guess = process.extractOne(key.replace("_", " "), list(zones), scorer=fuzz.WRatio, score_cutoff=88)
        found = zones[guess[0]] if guess else None
    if found is None:
        raise PreferenceError(
            f"I don't know the time zone '{raw[:40]}'. Use a region/city name, e.g. /tz Europe/Berlin or /tz America/New_York"
        )
    try:
        ZoneInfo(found)
    except ZoneInfoNotFoundError as exc:  # pragma: no cover - tzdata is a dependency
        raise PreferenceError(f"Time zone {found} is not available here") from exc
    return found


def parse_units(text: str) -> str:
    unit = words().unit_choices.get(text.strip().lower())  # the set-log reader's unit words, one list
    if unit is None:
        raise PreferenceError("Units are kg or lb. Example: /units kg")
    return unit


def parse_clock_time(text: str) -> str:
    """'7:30', '07.30', '7am', '19h' -> '07:30' style strings."""
    raw = text.strip().lower().replace(" ", "")
    match = re.fullmatch(r"(\d{1,2})(?:[:.h](\d{2}))?h?(am|pm)?", raw)
    if not match:
        raise PreferenceError("Give a time as HH:MM, e.g. 07:30 or 18:00")
    hour, minute, half = int(match[1]), int(match[2] or 0), match[3]
    if half:
        if not 1 <= hour <= 12:
            raise PreferenceError("With am/pm the hour is 1-12, e.g. 7am or 6:30pm")
        hour = hour % 12 + (12 if half == "pm" else 0)
    if hour > 23 or minute > 59:
        raise PreferenceError("Give a time as HH:MM between 00:00 and 23:59")
    return f"{hour:02d}:{minute:02d}"
