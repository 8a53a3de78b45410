"""Next due times in the person's zone, across daylight-saving changes."""

from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from core.recurrence import Schedule, latest_slot_at_or_before, next_slot

UTC = timezone.utc
ALL_DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def local(text: str, zone: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=ZoneInfo(zone))


def fired(schedule: Schedule, start: datetime, end: datetime) -> list[datetime]:
    slots, probe = [], start
    while (slot := next_slot(schedule, probe)) is not None and slot <= end:
        slots.append(slot)
        probe = slot
    return slots


def test_a_reminder_fires_at_the_local_time_on_training_days():
    schedule = Schedule("Europe/Berlin", ("mon", "thu"), at="07:30")
    slot = next_slot(schedule, local("2026-11-23 06:00", "Europe/Berlin"))
    assert slot == local("2026-11-23 07:30", "Europe/Berlin")
    assert next_slot(schedule, slot) == local("2026-11-26 07:30", "Europe/Berlin")


def test_berlin_spring_forward_fires_once_just_after_the_gap():
    schedule = Schedule("Europe/Berlin", ALL_DAYS, at="02:30")
    slots = fired(schedule, local("2026-03-28 12:00", "Europe/Berlin"), local("2026-03-30 12:00", "Europe/Berlin"))
    assert [s.astimezone(ZoneInfo("Europe/Berlin")).strftime("%d %H:%M") for s in slots] == ["29 03:30", "30 02:30"]


def test_berlin_fall_back_fires_once_not_twice():
    schedule = Schedule("Europe/Berlin", ALL_DAYS, at="02:30")
    slots = fired(schedule, local("2026-10-24 12:00", "Europe/Berlin"), local("2026-10-26 12:00", "Europe/Berlin"))
    assert len(slots) == 2  # the 25th once (02:30 happens twice that night) and the 26th
    assert slots[1] - slots[0] == timedelta(hours=25)


def test_new_york_spring_forward_and_fall_back():
    spring = Schedule("America/New_York", ("sun",), at="02:30")
    slot = next_slot(spring, datetime(2026, 3, 7, 12, tzinfo=UTC))
    assert slot.astimezone(ZoneInfo("America/New_York")).strftime("%Y-%m-%d %H:%M") == "2026-03-08 03:30"
    fall = Schedule("America/New_York", ALL_DAYS, at="01:30")
    slots = fired(fall, datetime(2026, 10, 31, 12, tzinfo=UTC), datetime(2026, 11, 2, 12, tzinfo=UTC))
    assert [s.astimezone(ZoneInfo("America/New_York")).day for s in slots] == [1, 2]


def test_a_morning_reminder_keeps_its_local_time_across_the_change():
    schedule = Schedule("Europe/Berlin", ALL_DAYS, at="07:00")
    before = next_slot(schedule, local("2026-03-28 06:00", "Europe/Berlin"))
    after = next_slot(schedule, before + timedelta(days=1))
    assert before.astimezone(UTC).hour == 6 and after.astimezone(UTC).hour == 5
    assert after.astimezone(ZoneInfo("Europe/Berlin")).hour == 7


def test_window_prompts_skip_quiet_hours_and_weekends():
    schedule = Schedule(
        "Europe/Berlin",
        ("mon", "tue", "wed", "thu", "fri"),
        window=("10:00", "17:00"),
        every_minutes=120,
        quiet=("11:30", "12:30"),
    )
    slots = fired(schedule, local("2026-11-27 00:00", "Europe/Berlin"), local("2026-11-30 23:00", "Europe/Berlin"))
    hours = [s.astimezone(ZoneInfo("Europe/Berlin")).strftime("%a %H:%M") for s in slots]
    assert hours == ["Fri 10:00", "Fri 14:00", "Fri 16:00", "Mon 10:00", "Mon 14:00", "Mon 16:00"]


def test_quiet_hours_over_midnight():
    schedule = Schedule("UTC", ALL_DAYS, at="06:30", quiet=("22:00", "07:00"))
    assert next_slot(schedule, datetime(2026, 11, 23, tzinfo=UTC)) is None


def test_pause_and_skip():
    paused = Schedule("UTC", ALL_DAYS, at="08:00", paused_until=datetime(2026, 11, 25, 9, tzinfo=UTC))
    assert next_slot(paused, datetime(2026, 11, 23, tzinfo=UTC)) == datetime(2026, 11, 26, 8, tzinfo=UTC)
    skipped = Schedule("UTC", ALL_DAYS, at="08:00", skip_date=date(2026, 11, 23))
    assert next_slot(skipped, datetime(2026, 11, 23, tzinfo=UTC)) == datetime(2026, 11, 24, 8, tzinfo=UTC)


def test_after_downtime_only_the_newest_missed_slot_counts():
    schedule = Schedule("UTC", ALL_DAYS, at="08:00")
    latest = latest_slot_at_or_before(
        schedule, datetime(2026, 11, 20, 8, tzinfo=UTC), datetime(2026, 11, 23, 8, 10, tzinfo=UTC)
    )
    assert latest == datetime(2026, 11, 23, 8, tzinfo=UTC)
