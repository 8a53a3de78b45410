"""One-off messages (pain check-ins) wait out a pause and quiet hours in the person's zone."""

from datetime import datetime, timezone

from core.profile import Profile
from core.reminders import held_until

UTC = timezone.utc


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def test_outside_quiet_hours_it_goes_now():
    profile = Profile(timezone="Europe/Berlin", quiet_start="22:00", quiet_end="07:00")
    assert held_until(profile, at("2026-11-23 12:00")) is None


def test_quiet_hours_over_midnight_hold_it_until_the_local_morning():
    profile = Profile(timezone="Europe/Berlin", quiet_start="22:00", quiet_end="07:00")
    assert held_until(profile, at("2026-11-23 22:30")) == at("2026-11-24 06:00")  # 07:00 in Berlin (UTC+1)
    assert held_until(profile, at("2026-11-24 03:00")) == at("2026-11-24 06:00")


def test_a_pause_that_ends_in_quiet_hours_holds_it_until_both_are_over():
    profile = Profile(timezone="UTC", quiet_start="22:00", quiet_end="07:00", paused_until=at("2026-11-25 23:00"))
    assert held_until(profile, at("2026-11-23 12:00")) == at("2026-11-26 07:00")
