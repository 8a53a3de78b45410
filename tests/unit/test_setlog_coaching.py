"""Double progression, rounding to real plates, records and the echo, without a database."""

from datetime import date, datetime, timezone

from core.catalog import Catalog
from core.domain import Block, PlannedExercise
from core.progress import KG_PER_LB
from core.setlog.coaching import describe_sets, next_load, personal_records, round_load
from core.setlog.entries import LoggedEntry, SetRecord

CATALOG = Catalog.load()
HIP_THRUST = CATALOG.get("hip_thrust")
PLAN = PlannedExercise("hip_thrust", Block.MAIN, 3, 8, 12, rest_s=120)


def entry(reps, load, day=1):
    return LoggedEntry(day, "hip_thrust", None, "kg", "", datetime(2026, 11, day, tzinfo=timezone.utc),
                       date(2026, 11, day), tuple(SetRecord(r, load) for r in reps))


def test_every_set_at_the_top_of_the_range_earns_a_small_increase():
    hint = next_load(PLAN, HIP_THRUST, [entry([12, 12, 12], 60)], "kg")
    assert hint.startswith("62.5 kg") and "up from 60 kg" in hint


def test_the_increase_stays_within_acsm_2_to_10_percent():
    hint = next_load(PLAN, HIP_THRUST, [entry([12, 12, 12], 100)], "kg")
    load = float(hint.split(" kg")[0])
    assert 102 <= load <= 110


def test_reps_below_the_range_twice_running_backs_off():
    hint = next_load(PLAN, HIP_THRUST, [entry([7, 6, 6], 80, 8), entry([8, 7, 6], 80, 5)], "kg")
    assert hint.startswith("72.5 kg") and "down from 80 kg" in hint


def test_once_below_the_range_keeps_the_load():
    hint = next_load(PLAN, HIP_THRUST, [entry([7, 6, 6], 80, 8), entry([10, 10, 9], 80, 5)], "kg")
    assert hint.startswith("80 kg (as last time")


def test_pound_users_get_pound_plates():
    load_kg = round_load(61.2, HIP_THRUST, "lb")
    assert abs(load_kg / KG_PER_LB - 135) < 1e-6


def test_bodyweight_exercises_get_no_load_hint():
    bridge = CATALOG.get("glute_bridge")
    assert next_load(PlannedExercise("glute_bridge", Block.ACTIVATION, 2, 15, 15), bridge, [entry([15, 15], None)], "kg") is None


def test_records_need_history_and_compare_like_with_like():
    assert personal_records((SetRecord(10, 60),), [], "kg") == []
    records = personal_records((SetRecord(10, 65),), [SetRecord(10, 60), SetRecord(5, 80)], "kg")
    assert [r.text for r in records] == ["New record: 65 kg for 10 reps (before: 60 kg)"]
    assert personal_records((SetRecord(10, 60),), [SetRecord(12, 60)], "kg") == []


def test_echo_reads_like_the_log():
    assert describe_sets((SetRecord(10, 60),) * 3, "kg") == "3 x 10 @ 60 kg"
    assert describe_sets((SetRecord(10, 60), SetRecord(10, 60), SetRecord(8, 60)), "kg") == "60 kg x 10, 10, 8"
    assert describe_sets((SetRecord(None, None, 45),) * 3, "kg") == "3 x 45 s"
    assert describe_sets((SetRecord(15, None, per_side=True),) * 2, "kg") == "2 x 15 per side"
