"""Programs chosen and counted the way a coach would: experience, weekly hard sets, loaded bridges."""

import re

import pytest
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


LOADING = ("barbell", "dumbbell", "kettlebell", "cable", "machine", "band")


def needs_missing(name: str, have: set[str]) -> bool:
    from core.catalog import Catalog

    exercise = next(e for e in Catalog.load() if e.name == name)
    kit = [k for k in exercise.equipment if k in LOADING]
    return "bodyweight" not in exercise.equipment and bool(kit) and not set(kit) & have


@pytest.mark.parametrize(
    "place, answer, have, days, pain",
    [
        ("gym", "dumbbells and bands", {"dumbbell", "band"}, "mon wed fri", None),
        ("gym", "db, bands", {"dumbbell", "band"}, "mon thu", "lower back mild"),
        ("home", "nothing", set(), "mon thu", None),
        ("home", "nothing", set(), "mon thu", "knee moderate"),
    ],
)
async def test_onboarding_asks_for_equipment_and_nothing_missing_is_ever_planned(
    chat, clock, place, answer, have, days, pain
):
    from core.catalog import Catalog

    names = {e.name for e in Catalog.load()}
    await chat.send("/start experience novice")
    await chat.send(f"/start place {place}")
    assert "What can you train with?" in chat.text
    await chat.send(answer)
    for step in (f"days {days}", "tz UTC", "units kg", "remind off"):
        await chat.send(f"/start {step}")
    if pain:
        await chat.send(f"/pain {pain}")
        if "safety check" in chat.text:
            await chat.press("None of these")
    planned = set()
    for offset in range(7):
        await on(chat, clock, MONDAY + timedelta(days=offset), "/today train")
        lines = [line.lstrip("•✅ ").split(":")[0] for line in chat.text.splitlines() if line.startswith(("•", "✅"))]
        planned |= {n for n in lines if n in names}
        await chat.send("/done")
    missing = sorted(n for n in planned if needs_missing(n, have))
    print(
        f"\n{place} with {sorted(have) or 'nothing'}{' + ' + pain if pain else ''}: {len(planned)} exercises planned, "
        f"{len(missing)} needing missing equipment"
    )
    assert planned and missing == []
