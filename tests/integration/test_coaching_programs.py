"""Programs chosen and counted the way a coach would: experience, weekly hard sets, loaded bridges."""

import re
from datetime import timedelta

from tests.integration.test_coaching_progression import MONDAY, on


async def test_a_novice_choosing_three_gym_days_gets_8_to_12_reps_for_three_weeks(chat, clock):
    for step in ("experience novice", "place gym", "days mon wed fri", "tz UTC", "units kg", "remind off"):
        await chat.send(f"/start {step}")
    assert "6+ months" not in chat.text
    ranges = set()
    for week in range(3):
        for offset in (0, 2, 4):
            await on(chat, clock, MONDAY + timedelta(weeks=week, days=offset), "/today")
            main = chat.text.split("Main lifts")[1].split("Single-leg work")[0]
            ranges |= set(re.findall(r": \d+ x (\d+)-(\d+)", main))
            await chat.send("/done")
    print(f"\nnovice main-lift rep ranges over 3 weeks: {sorted(ranges)}")
    assert ranges and all(int(low) >= 8 and int(high) <= 12 for low, high in ranges)


async def test_gym_3x_plans_what_week_counts_as_within_10_to_20(chat, app):
    await chat.send("/program gym_3x")
    await chat.send("/week")
    planned = int(re.search(r"your program plans (\d+)", chat.text).group(1))
    assert 10 <= planned <= 20


async def test_a_loaded_glute_bridge_is_main_work_and_counts(chat, clock):
    await on(chat, clock, MONDAY, "barbell glute bridge 3x10 @ 60kg")
    assert "Did you mean" not in chat.text and "Barbell glute bridge" in chat.text
    await chat.send("glute bridge 2x10 @ 40kg")
    await chat.send("bridges 2x20")  # the bodyweight warm-up drill stays uncounted
    await chat.send("/week")
    assert "Hard glute sets: 5 " in chat.text
