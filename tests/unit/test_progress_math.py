"""Units, estimated 1RM, the chart series and the consistency streak."""

from datetime import date, datetime, timedelta, timezone

from hypothesis import given
from hypothesis import strategies as st

from core.history import LoggedSet
from core.progress import (
    consistency_streak,
    describe_set,
    estimated_1rm,
    format_load,
    in_units,
    progress_series,
)

MONDAY = date(2026, 11, 23)


def logged(day: date, reps: int | None, load: float | None, set_no: int = 1) -> LoggedSet:
    return LoggedSet(
        1, "hip_thrust", None, day, datetime(2026, 11, 23, tzinfo=timezone.utc), set_no, reps, load, None, None, False
    )


def test_loads_show_in_the_persons_units():
    assert format_load(60, "kg") == "60 kg"
    assert format_load(27.2155422, "lb") == "60 lb"  # 60 lb logged, stored as kg, shown as lb again
    assert format_load(100, "lb") == "220.46 lb"


@given(st.floats(min_value=0.5, max_value=500))
def test_kg_to_lb_and_back_is_lossless_to_display_precision(kg):
    assert abs(in_units(kg, "lb") * 0.45359237 - kg) < 1e-9


def test_epley_estimate_and_its_edges():
    assert estimated_1rm(100, 1) == 100
    assert estimated_1rm(60, 10) == 80
    assert estimated_1rm(None, 10) is None  # bodyweight: no load to estimate from
    assert estimated_1rm(60, 0) is None


def test_series_has_one_point_per_day_with_the_heaviest_set_and_best_estimate():
    sets = [
        logged(MONDAY, 10, 60),
        logged(MONDAY, 5, 70, 2),  # same day: top 70, e1RM max(80, 81.67)
        logged(MONDAY + timedelta(days=3), 12, 20),
        logged(MONDAY + timedelta(days=5), 20, None),  # bodyweight only: no point
    ]
    series = progress_series(sets)
    assert [p.day for p in series] == [MONDAY, MONDAY + timedelta(days=3)]
    assert series[0].top_load_kg == 70
    assert round(series[0].e1rm_kg, 2) == 81.67


def test_a_bodyweight_set_is_described_by_its_reps():
    assert describe_set(logged(MONDAY, 20, None), "kg") == "20 reps"
    assert describe_set(logged(MONDAY, 8, 80), "kg") == "80 kg x 8 (est. 1RM 101.5 kg)"


def days_in_weeks(*weeks_back_and_days: tuple[int, int]) -> set[date]:
    return {MONDAY - timedelta(weeks=w) + timedelta(days=d) for w, days in weeks_back_and_days for d in range(days)}


def test_streak_counts_weeks_on_plan_and_an_unfinished_week_does_not_break_it():
    dates = days_in_weeks((1, 3), (2, 3), (3, 2), (4, 3))
    assert consistency_streak(dates, MONDAY, 3) == 2  # week 3 missed a day; this week is still going
    dates |= days_in_weeks((0, 3))
    assert consistency_streak(dates, MONDAY, 3) == 3  # this week is already on plan


def test_no_planned_days_means_no_streak():
    assert consistency_streak(days_in_weeks((1, 3)), MONDAY, 0) == 0
