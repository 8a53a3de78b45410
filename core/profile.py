"""A person's coaching settings, as the core sees them (no storage detail)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

PendingState = dict[str, Any]  # JSON: the open question's kind, and what its feature wrote to read back

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
# Where someone trains (Profile.place, Program.place), with how /settings and onboarding say it.
PLACES = {"gym": "a gym", "home": "home, with bands and bodyweight"}


@dataclass
class Profile:
    experience: str | None = None
    place: str | None = None
    equipment: tuple[str, ...] = ()  # what they can train with (core.gear); empty = not asked yet
    form_notes: tuple[str, ...] = ()  # pinned form fixes (data/advice.toml ids)
    program_id: str | None = None
    weekdays: tuple[str, ...] = ()
    timezone: str = "UTC"
    units: str = "kg"
    reminder_time: str | None = None
    onboarded_at: datetime | None = None
    completed_sessions: int = 0
    quiet_start: str | None = None
    quiet_end: str | None = None
    paused_until: datetime | None = None
    pending: PendingState | None = None

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def onboarded(self) -> bool:
        return self.onboarded_at is not None

    def copy(self, **changes: Any) -> "Profile":  # Any: each field has its own type; replace() checks names
        return replace(self, **changes)


def weekday_key(day: date) -> str:
    return WEEKDAYS[day.weekday()]
