"""Issue 12 through the real discord.py client and the fake Discord: a flag written in a DM,
the referral holding in /today and /gluteup, and 'yes' asking which flag with buttons."""

from tests.e2e.test_discord_journey import USER, answer, discord_bot, text_of  # noqa: F401 (fixture)

SAME_DAY = "same-day care"


async def test_a_flag_in_a_dm_refers_and_holds(discord_bot, clock):
    fake, _ = discord_bot
    clock.set_local("2026-11-23 09:00", "UTC")
    before = len(fake.messages)
    await fake.user_sends_dm(USER, "my back hurts and my legs feel weak")
    [reply] = await fake.wait_for_messages(1, after=before, kind="channel_message")
    assert "Please get this checked" in text_of(reply) and SAME_DAY in text_of(reply)
    clock.advance(days=60)
    today = await answer(fake, await fake.slash("today", {"args": "train"}))
    assert SAME_DAY in text_of(today) and "Main lifts" not in text_of(today)
    breaks = await answer(fake, await fake.slash("gluteup", {"args": "on"}))
    assert "exercise breaks yet" in text_of(breaks)


async def test_yes_to_the_check_asks_which_flag(discord_bot, clock):
    fake, _ = discord_bot
    clock.set_local("2026-11-23 09:00", "UTC")
    check = await answer(fake, await fake.slash("pain", {"args": "knee moderate"}))
    assert "locks" in text_of(check) and "saddle" not in text_of(check).lower()
    which = await answer(fake, await fake.press_button(check, label="Yes, one or more"))
    assert SAME_DAY in text_of(which) and "first four" not in text_of(which)
    reply = await answer(fake, await fake.press_button(which, label="Locking or giving way"))
    assert "locking or giving way" in text_of(reply)
