"""Progression a coach would sign, simulated over weeks with the TestClock through the core."""

import re
from datetime import date, timedelta

from tests.support import ChatDriver, TestClock

MONDAY = date(2026, 11, 23)


def line_of(text: str, name: str) -> str:
    """The plan line of one exercise in a /today reply."""
    found = [line for line in text.splitlines() if line.lstrip("•✅ ").startswith(name + ":")]
    assert found, f"no line for {name!r} in:\n{text}"
    return found[0]


def planned(text: str, name: str) -> bool:
    return any(line.lstrip("•✅ ").startswith(name + ":") for line in text.splitlines())


def suggested(text: str, name: str, units: str = "kg") -> float:
    match = re.search(rf"@ ([\d.]+) {units}", line_of(text, name))
    assert match, line_of(text, name)
    return float(match.group(1))


async def on(chat: ChatDriver, clock: TestClock, day: date, *messages: str) -> None:
    clock.set_local(f"{day.isoformat()} 18:00", "UTC")
    for message in messages:
        await chat.send(message)


async def test_heavy_and_light_days_progress_separately_over_four_weeks(chat, clock):
    await chat.send("/program gym_3x")
    await chat.send("/days mon wed fri")
    heavy, light, seen_heavy, seen_light = 100.0, 70.0, [], []
    for week in range(4):
        monday = MONDAY + timedelta(weeks=week)
        await on(chat, clock, monday, "/today")
        assert "Day A" in chat.text
        if week:
            heavy = suggested(chat.text, "Barbell hip thrust")
            seen_heavy.append(heavy)
        await on(chat, clock, monday, f"hip thrust 3x10 @ {heavy:g}kg", "/done")
        await on(chat, clock, monday + timedelta(days=2), "/today", "/done")
        await on(chat, clock, monday + timedelta(days=4), "/today")
        assert "Day C" in chat.text
        if week:
            light = suggested(chat.text, "Barbell hip thrust")
            seen_light.append(light)
        await on(chat, clock, monday + timedelta(days=4), f"hip thrust 3x12 @ {light:g}kg", "/done")
    print(f"\nheavy day (6-10): {seen_heavy}; light day (10-12): {seen_light}")
    assert seen_heavy == [105.0, 110.0, 115.0]  # each +5 % from its own last heavy session
    assert seen_light == [72.5, 75.0, 77.5]  # never the heavy load: no sawtooth
    assert all(b / a <= 1.10 for a, b in zip([100.0] + seen_heavy, seen_heavy))


async def test_pound_dumbbells_round_to_real_dumbbells_and_add_reps_when_the_jump_is_too_big(chat, clock):
    await chat.send("/program gym_2x")
    await chat.send("/days mon thu")
    await chat.send("/units lb")
    week_loads = []
    for week in range(3):
        monday = MONDAY + timedelta(weeks=week)
        await on(chat, clock, monday, "/today")
        text = chat.text
        assert not re.search(r"\d+\.\d+ lb", text), text  # no 29.41 lb
        if week:
            week_loads.append(line_of(text, "Bulgarian split squat"))
        reps = 14 if week else 12
        await on(chat, clock, monday, f"bss 3x{reps} @ 25 lb", "/done")
        await on(chat, clock, monday + timedelta(days=3), "/today", "/done")
    assert "25 lb x 14 reps a set" in week_loads[0] and "+20 %" in week_loads[0]
    assert "@ 30 lb" not in week_loads[0]


async def test_rpe_10_at_the_top_of_the_range_is_not_progress(chat, clock):
    await chat.send("/program gym_2x")
    await chat.send("/days mon thu")
    await on(chat, clock, MONDAY, "hip thrust 3x12 @ 60kg rpe 10", "/done")
    await on(chat, clock, MONDAY + timedelta(days=3), "/today", "/done")
    await on(chat, clock, MONDAY + timedelta(days=7), "/today")
    assert suggested(chat.text, "Barbell hip thrust") == 60
    assert "RPE 10" in line_of(chat.text, "Barbell hip thrust")


async def test_warm_up_ramp_for_the_first_main_lift_on_real_plates(chat, clock):
    await chat.send("/program gym_2x")
    await chat.send("/days mon thu")
    await on(chat, clock, MONDAY, "/today")
    assert "Warm-up sets first: about 40 %, 60 %, 80 % of your working weight, for 8, 5, 3 reps" in chat.text
    await on(chat, clock, MONDAY, "hip thrust 3x12 @ 100kg", "/done")
    await on(chat, clock, MONDAY + timedelta(days=3), "/today", "/done")
    await on(chat, clock, MONDAY + timedelta(days=7), "/today")
    assert suggested(chat.text, "Barbell hip thrust") == 105
    assert "Warm-up sets first: 42.5 kg x 8, 62.5 kg x 5, 85 kg x 3" in chat.text
    assert chat.text.count("Warm-up sets first") == 1  # only the first main lift


async def test_coming_back_after_three_weeks_starts_lighter_and_says_why(chat, clock):
    await chat.send("/program gym_2x")
    await chat.send("/days mon thu")
    await on(chat, clock, MONDAY, "hip thrust 3x12 @ 100kg", "/done")
    await on(chat, clock, MONDAY + timedelta(days=24), "/today")
    assert "Day B" in chat.text or "Barbell hip thrust" not in chat.text
    await chat.send("/done")
    await on(chat, clock, MONDAY + timedelta(days=28), "/today")
    load = suggested(chat.text, "Barbell hip thrust")
    assert 80 <= load <= 90
    assert "4 weeks" in line_of(chat.text, "Barbell hip thrust") and "ease back in" in chat.text


async def set_up_home(chat: ChatDriver, experience: str) -> None:
    for step in (f"experience {experience}", "place home", "days mon thu", "tz UTC", "units kg", "remind off"):
        await chat.send(f"/start {step}")
    assert "All set" in chat.text


async def test_a_home_user_moves_up_the_ladders_over_six_weeks(chat, clock):
    await set_up_home(chat, "intermediate")
    first_day_a = None
    moved_up = []
    for week in range(6):
        monday = MONDAY + timedelta(weeks=week)
        await on(chat, clock, monday, "/today")
        day_a = chat.text
        first_day_a = first_day_a or day_a
        moved_up += [(week, "A", line) for line in day_a.splitlines() if "Ready to move up" in line]
        await on(
            chat,
            clock,
            monday,
            "single leg hip thrust 3x12",
            "reverse lunge 3x12 per leg",
            "side lying abduction 2x20",
            "/done",
        )
        await on(chat, clock, monday + timedelta(days=3), "/today")
        day_b = chat.text
        moved_up += [(week, "B", line) for line in day_b.splitlines() if "Ready to move up" in line]
        lunge = "reverse lunge" if "Reverse lunge:" in day_b or "try Reverse lunge" in day_b else "split squat"
        await on(
            chat,
            clock,
            monday + timedelta(days=3),
            "banded hip thrust 3x12",
            f"{lunge} 3x12 per leg",
            "seated banded abduction 2x20",
            "/done",
        )
        if week == 3:
            assert "Reverse lunge instead of Split squat" in day_b
    print(f"\nhome user, 6 weeks: {len(moved_up)} move-up suggestions, first in week {moved_up[0][0] + 1}")
    assert moved_up and moved_up[0][0] == 2  # after the top of the range twice, not before
    assert day_a != first_day_a
    suggestions = " ".join(line for _, _, line in moved_up)
    assert "try Reverse lunge instead" in suggestions  # Day B's split squat -> reverse lunge
    assert "next band up" in suggestions  # the banded thrust has no harder rung: a heavier band
    assert "pause at the top" in suggestions  # single-leg hip thrust at the top rung: a pause


async def test_a_complete_beginner_starts_easier_than_single_leg_hip_thrusts(chat, clock):
    await set_up_home(chat, "novice")
    await on(chat, clock, MONDAY, "/today")
    assert planned(chat.text, "Single-leg glute bridge") and not planned(chat.text, "Single-leg hip thrust")
    assert "easier first step" in chat.text
    for week in range(2):
        await on(chat, clock, MONDAY + timedelta(weeks=week), "single leg bridge 3x12", "/done")
        await on(chat, clock, MONDAY + timedelta(weeks=week, days=3), "/today", "/done")
    await on(chat, clock, MONDAY + timedelta(weeks=2), "/today")
    assert "try Single-leg hip thrust instead" in chat.text
    await chat.send("single leg hip thrust 3x8")
    await chat.send("/done")
    await on(chat, clock, MONDAY + timedelta(weeks=2, days=3), "/today", "/done")
    await on(chat, clock, MONDAY + timedelta(weeks=3), "/today")
    assert planned(chat.text, "Single-leg hip thrust") and not planned(chat.text, "Single-leg glute bridge")


async def test_progress_compares_heavy_days_with_heavy_days_and_light_with_light(chat, clock):
    await chat.send("/program gym_3x")
    await chat.send("/days mon wed fri")
    for week in range(3):
        monday = MONDAY + timedelta(weeks=week)
        await on(chat, clock, monday, f"hip thrust 3x10 @ {100 + 5 * week}kg", "/done")
        await on(chat, clock, monday + timedelta(days=2), "/today", "/done")
        await on(chat, clock, monday + timedelta(days=4), f"hip thrust 3x12 @ {70 + 2.5 * week:g}kg", "/done")
    replies = await chat.send("/progress hip thrust")
    assert replies[0].attachment is not None
    assert "Top set, 6-10 reps: 100 kg → 110 kg" in chat.text
    assert "Top set, 10-12 reps: 70 kg → 75 kg" in chat.text


async def test_a_break_is_counted_in_local_days_across_the_dst_switch(chat, clock):
    await chat.send("/tz Europe/Berlin")
    await chat.send("/program gym_2x")
    await chat.send("/days mon thu")
    clock.set_local("2027-03-15 23:30", "Europe/Berlin")  # Monday late evening: 22:30 UTC
    await chat.send("hip thrust 3x12 @ 100kg")
    await chat.send("/done")
    clock.set_local("2027-03-28 23:30", "Europe/Berlin")  # 13 local days later, after the spring switch
    await chat.send("/today train")
    await chat.send("/done")
    clock.set_local(
        "2027-03-29 00:30", "Europe/Berlin"
    )  # 14 local days: a break (the UTC dates are only 13 days apart)
    await chat.send("/today train")
    assert "about 15 % lighter" in line_of(chat.text, "Barbell hip thrust") and "2 weeks" in chat.text
