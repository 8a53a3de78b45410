"""Reading what people type for their settings: weekdays, time zones, units, times.

Each parser returns the clean value or raises `PreferenceError` with a message
that shows an example, because the person will read it.
"""

from __future__ import annotations

import re
import tomllib
from datetime import datetime, timedelta, timezone
from functools import lru_cache
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from rapidfuzz import fuzz, process

from core.answers import normalise
from core.profile import WEEKDAYS
from core.setlog.words import words
from core.wording import listing

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
ZONE_ALIASES = {"utc": "UTC", "z": "UTC"}
ZONE_WORDS = Path(__file__).parent / "data" / "time_zones.toml"
OFFSET = re.compile(r"^(?:utc|gmt)?([+-])(\d{1,2})(?::?([0-5]\d))?$")  # "gmt+2", "utc-5", "+05:30"
OFFERED = 4  # places offered for an offset


DAY_PRESETS = {
    1: ("mon", "wed", "sat"),
    2: ("mon thu", "tue fri", "wed sat"),
    3: ("mon wed fri", "tue thu sat"),
    4: ("mon tue thu fri", "mon wed fri sat"),
    5: ("mon tue wed thu fri",),
    6: ("mon tue wed thu fri sat",),
    7: ("mon tue wed thu fri sat sun",),
}
COUNT_WORDS = {
    "one": 1,
    "once": 1,
    "two": 2,
    "twice": 2,
    "three": 3,
    "thrice": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "every": 7,
    "each": 7,
}
DAYS_A_WEEK = re.compile(
    r"^(?:i can do |i can train |maybe |about |around )?(\d|one|once|two|twice|three|thrice|four|five"
    r"|six|seven)(?: days?| times?| x| sessions?)?(?: (?:a|per|each|in a) week| weekly| a wk| pw)?$"
)
DAY_FILLERS = {
    "on",
    "every",
    "each",
    "i",
    "can",
    "train",
    "only",
    "please",
    "maybe",
    "and",
    "or",
    "the",
    "days",
    "day",
    "would",
    "like",
    "to",
    "want",
    "prefer",
    "lets",
    "say",
    "do",
    "id",
    "at",
    "best",
    "are",
    "is",
}
DAY_GROUPS = {
    "weekends": "sat sun",
    "weekend": "sat sun",
    "weekdays": "mon-fri",
    "workdays": "mon-fri",
    "daily": "mon-sun",
}
EVERY_DAY = re.compile(r"\b(?:every ?day|all week)\b")


class PreferenceError(ValueError):
    pass


class ZoneChoice(PreferenceError):
    """The text may mean several zones (an abbreviation, an offset): the person picks one."""

    def __init__(self, message: str, zones: tuple[str, ...]) -> None:
        super().__init__(message)
        self.zones = zones


def place_of(zone: str) -> str:
    """'America/Los_Angeles' -> 'Los Angeles': how a person names it."""
    return zone.rsplit("/", 1)[-1].replace("_", " ")


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


def read_days(text: str) -> str:
    """'mondays and thursdays', 'weekends', 'every day', 'on tue and fri' -> words parse_weekdays reads."""
    words = []
    for word in re.split(r"[\s,;/+&.!]+", EVERY_DAY.sub("daily", text.lower())):
        if not word or word in DAY_FILLERS:
            continue
        word = DAY_GROUPS.get(word, word)
        if word.endswith("s") and word[:-1] in DAY_NAMES:
            word = word[:-1]
        words.append(word)
    return " ".join(words) or text


def days_a_week(text: str) -> int | None:
    """'3 days', 'twice a week', '3x a week', '4' -> the number; None for anything else."""
    match = DAYS_A_WEEK.match(normalise(text).replace("3x", "3 x").replace("2x", "2 x").replace("4x", "4 x"))
    if match is None:
        return None
    count = int(match[1]) if match[1].isdigit() else COUNT_WORDS[match[1]]
    return count if 1 <= count <= 7 else None


def day_presets(count: int) -> list[tuple[str, str]]:
    """The usual days for `count` sessions a week, as (label, days): ('Mon, Wed, Fri', 'mon wed fri')."""
    return [(format_weekdays(parse_weekdays(days)), days) for days in DAY_PRESETS[count]]


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


@lru_cache(maxsize=1)
def _abbreviations() -> dict[str, tuple[str, ...]]:
    with ZONE_WORDS.open("rb") as fh:
        return {name: tuple(zones) for name, zones in tomllib.load(fh)["abbreviations"].items()}


def _places_meant(raw: str, now: datetime) -> ZoneChoice | None:
    """An abbreviation or an offset: the places it may mean, to ask which (core/data/time_zones.toml)."""
    word = raw.lower().replace(" ", "")
    if word in _abbreviations():
        zones = _abbreviations()[word]
        said = f"'{raw}' could be {listing([place_of(z) for z in zones], 'or')}, and it"
    else:
        offset = OFFSET.match(word)
        if offset is None:
            return None
        minutes = (int(offset[2]) * 60 + int(offset[3] or 0)) * (1 if offset[1] == "+" else -1)
        known = dict.fromkeys(z for zones in _abbreviations().values() for z in zones)
        zones = tuple(z for z in known if ZoneInfo(z).utcoffset(now) == timedelta(minutes=minutes))[:OFFERED]
        if not zones:
            return ZoneChoice(f"I know no place at {raw} today. Type your city, e.g. /tz Berlin", ())
        said = f"At {raw} today: {listing([place_of(z) for z in zones])}. An offset"
    return ZoneChoice(
        f"{said} doesn't say when the clocks change for summer time. Which is yours? (Or type your city.)", zones
    )


def resolve_timezone(text: str, now: datetime | None = None) -> str:
    """A zone name or a city; an abbreviation or offset (when summer time starts is not in it) raises
    ZoneChoice with the places it may mean, as of `now`."""
    raw = text.strip()
    if not raw:
        raise PreferenceError("Tell me your time zone. Example: /tz Europe/Berlin")
    key = raw.lower().replace(" ", "_")
    if key in ZONE_ALIASES:
        return ZONE_ALIASES[key]
    choice = _places_meant(raw, now or datetime.now(timezone.utc))
    if choice is not None:
        raise choice
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
