"""Quiet hours and snoozes meet a reminder: said out loud, never at night, never earlier than asked."""

from zoneinfo import ZoneInfo

from tests.integration.test_scheduler import Screen, postman, setup

BERLIN = ZoneInfo("Europe/Berlin")


async def deliveries(worker, clock, hours: int) -> list[str]:
    """Tick every 5 minutes for `hours`; the local times at which something was sent."""
    seen = []
    for _ in range(hours * 12):
        clock.advance(minutes=5)
        if await worker.tick():
            seen.append(clock.now.astimezone(BERLIN).strftime("%d %H:%M"))
    return seen


async def test_quiet_hours_over_the_reminder_time_are_announced_not_silent(app, chat, clock):
    await setup(chat, clock, at="07:30")
    await chat.send("/quiet 22:00-08:00")
    assert "07:30" in chat.text and "/remind" in chat.text, chat.text
    screen = Screen(app.coach)
    assert await deliveries(postman(app, clock, screen.console), clock, 48) == []
    await chat.send("/quiet off")
    clock.set_local("2026-11-26 07:00", "Europe/Berlin")
    assert await deliveries(postman(app, clock, screen.console), clock, 1) == ["26 07:30"]


async def test_a_snooze_into_quiet_hours_waits_for_them_to_end_and_comes_once(app, chat, clock):
    await setup(chat, clock, at="21:00", now="2026-11-23 20:00")
    await chat.send("/quiet 22:00-07:00")
    worker = postman(app, clock, Screen(app.coach).console)
    clock.set_local("2026-11-23 21:00", "Europe/Berlin")
    assert await worker.tick() == 1
    clock.advance(minutes=5)
    await chat.send("/snooze 2h")  # 23:05 is inside the quiet hours
    assert "07:00" in chat.text and "quiet" in chat.text.lower(), chat.text
    assert await deliveries(worker, clock, 24) == ["24 07:00", "24 21:00"]


async def test_a_snooze_landing_after_the_next_reminder_is_that_reminder(app, chat, clock):
    await setup(chat, clock, at="07:30", now="2026-11-23 07:00")
    await chat.send("/quiet 22:00-07:00")
    worker = postman(app, clock, Screen(app.coach).console)
    clock.set_local("2026-11-23 07:30", "Europe/Berlin")
    assert await worker.tick() == 1
    await chat.send("/snooze 23h")  # 06:30 tomorrow is quiet; held to 07:00 it would double 07:30
    assert "Tue 24 Nov 07:30" in chat.text, chat.text
    assert await deliveries(worker, clock, 24) == ["24 07:30"]


async def test_snoozing_before_any_reminder_was_sent_does_not_bring_it_earlier(app, chat, clock):
    await setup(chat, clock, at="07:30", now="2026-11-23 06:00")
    await chat.send("/snooze 30m")
    assert "Mon 23 Nov 07:30" in chat.text and "nothing to snooze" in chat.text.lower(), chat.text
    worker = postman(app, clock, Screen(app.coach).console)
    assert await deliveries(worker, clock, 2) == ["23 07:30"]


async def test_the_reminder_names_the_main_lifts_of_the_day_today_shows(app, chat, clock):
    await setup(chat, clock, at="07:30")
    screen = Screen(app.coach)
    clock.set_local("2026-11-23 07:30", "Europe/Berlin")
    assert await postman(app, clock, screen.console).tick() == 1
    lifts = [line[2:].rsplit(" ", 3)[0] for line in screen.out.getvalue().splitlines() if line.startswith("• ")]
    today = (await chat.send("/today")) and chat.text
    assert lifts and all(name in today for name in lifts), (lifts, today)
