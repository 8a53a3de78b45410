"""When a reminder is due next, computed in the person's own zone and stored in UTC.

Wall-clock rules are what people mean ("07:30 on training days"), so slots are
built as local times and only then converted. Daylight-saving edges:
- a local time that does not exist (spring forward, 02:30 in Berlin on the last
  Sunday of March) fires at the first valid moment after the gap (03:30 local,
  the same UTC instant 02:30 would have been before the change);
- a local time that happens twice (fall back) fires once, at its first occurrence.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

from core.profile import WEEKDAYS

UTC = timezone.utc
SEARCH_DAYS = 15


@dataclass(frozen=True)
class Schedule:
    """What a reminder repeats on; times are local 'HH:MM' strings."""

    zone: str
    weekdays: tuple[str, ...]
    at: str | None = None  # once a day at this time
    window: tuple[str, str] | None = None  # or every `every_minutes` within this window
    every_minutes: int | None = None
    quiet: tuple[str, str] | None = None  # no prompts in here (may wrap midnight)
    skip_date: date | None = None  # nothing on this local date
    paused_until: datetime | None = None  # nothing before this instant


def clock(text: str) -> time:
    hours, minutes = text.split(":")
    return time(int(hours), int(minutes))


def to_utc(day: date, at: time, zone: ZoneInfo) -> datetime:
    """Local wall time to UTC; nonexistent times move past the gap, doubled ones take the first."""
    # fold=0 picks the first of a doubled time; for a time in the gap it applies the offset from
    # before the change, which lands just after the gap: exactly the rule in the module docstring.
    return datetime.combine(day, at, tzinfo=zone).replace(fold=0).astimezone(UTC)


def in_quiet(local: datetime, quiet: tuple[str, str] | None) -> bool:
    if quiet is None:
        return False
    start, end, now = clock(quiet[0]), clock(quiet[1]), local.time()
    return start <= now < end if start <= end else (now >= start or now < end)


def slots_on(day: date, schedule: Schedule, zone: ZoneInfo) -> list[datetime]:
    if WEEKDAYS[day.weekday()] not in schedule.weekdays or day == schedule.skip_date:
        return []
    if schedule.at:
        return [to_utc(day, clock(schedule.at), zone)]
    if schedule.window and schedule.every_minutes:
        start, end = clock(schedule.window[0]), clock(schedule.window[1])
        slots, current = [], datetime.combine(day, start)
        while current.time() <= end and current.date() == day:
            slots.append(to_utc(day, current.time(), zone))
            current += timedelta(minutes=schedule.every_minutes)
        return slots
    return []


def next_slot(schedule: Schedule, after: datetime) -> datetime | None:
    """The first slot strictly after `after` (aware), honouring quiet hours, skip and pause."""
    zone = ZoneInfo(schedule.zone)
    floor = max(after, schedule.paused_until) if schedule.paused_until else after
    first_day = floor.astimezone(zone).date() - timedelta(days=1)
    seen: set[datetime] = set()
    for offset in range(SEARCH_DAYS):
        for slot in slots_on(first_day + timedelta(days=offset), schedule, zone):
            if slot in seen:
                continue
            seen.add(slot)
            if slot > floor or (slot == floor and floor != after):
                if not in_quiet(slot.astimezone(zone), schedule.quiet):
                    return slot
    return None


def latest_slot_at_or_before(schedule: Schedule, since: datetime, now: datetime) -> datetime | None:
    """After downtime: the newest slot in (since, now], so only that one is considered for sending."""
    latest, probe = None, since - timedelta(microseconds=1)
    for _ in range(10_000):
        slot = next_slot(schedule, probe)
        if slot is None or slot > now:
            return latest
        latest, probe = slot, slot
    return latest
