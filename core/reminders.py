"""Reminders as the core sees them, and what each one says when it is due."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from core.profile import Profile
from core.recurrence import Schedule, clock, in_quiet, next_slot, to_utc

WORKOUT, GLUTE_UP = "workout", "gluteup"
WORKDAYS = ("mon", "tue", "wed", "thu", "fri")
DEFAULT_WINDOW = ("10:00", "17:00")
DEFAULT_EVERY = 120


@dataclass(frozen=True)
class ReminderRow:
    id: int
    user_id: int
    kind: str
    enabled: bool
    weekdays: tuple[str, ...]
    local_time: str | None = None
    window_start: str | None = None
    window_end: str | None = None
    every_minutes: int | None = None
    next_due_at: datetime | None = None
    snoozed_until: datetime | None = None
    skip_local_date: date | None = None


def schedule_of(reminder: ReminderRow, profile: Profile) -> Schedule:
    window = (reminder.window_start, reminder.window_end) if reminder.window_start and reminder.window_end else None
    quiet = (profile.quiet_start, profile.quiet_end) if profile.quiet_start and profile.quiet_end else None
    return Schedule(
        profile.timezone,
        reminder.weekdays,
        reminder.local_time,
        window,
        reminder.every_minutes,
        quiet,
        reminder.skip_local_date,
        profile.paused_until,
    )


def next_due(reminder: ReminderRow, profile: Profile, after: datetime) -> datetime | None:
    """The regular next slot, or an earlier snooze."""
    if not reminder.enabled:
        return None
    regular = next_slot(schedule_of(reminder, profile), after)
    snooze = reminder.snoozed_until if reminder.snoozed_until and reminder.snoozed_until > after else None
    candidates = [t for t in (regular, snooze) if t is not None]
    return min(candidates) if candidates else None


def held_until(profile: Profile, now: datetime) -> datetime | None:
    """When a one-off message (a pain check-in) may go out, if not now: after a pause and
    outside quiet hours, in the person's zone. None means it may go now."""
    if profile.paused_until and profile.paused_until > now:
        return held_until(profile, profile.paused_until) or profile.paused_until
    quiet = (profile.quiet_start, profile.quiet_end) if profile.quiet_start and profile.quiet_end else None
    zone = ZoneInfo(profile.timezone)
    local = now.astimezone(zone)
    if quiet is None or not in_quiet(local, quiet):
        return None
    end = clock(quiet[1])
    day = local.date() if local.time() < end else local.date() + timedelta(days=1)
    return to_utc(day, end, zone)
