import pytest

from core.preferences import PreferenceError, parse_clock_time, parse_units, parse_weekdays, resolve_timezone


@pytest.mark.parametrize(
    "text, days",
    [
        ("mon thu", ("mon", "thu")),
        ("Thursday, Monday", ("mon", "thu")),
        ("tue,fri", ("tue", "fri")),
        ("mon wed fri", ("mon", "wed", "fri")),
        ("mon-fri", ("mon", "tue", "wed", "thu", "fri")),
        ("sat and sun", ("sat", "sun")),
    ],
)
def test_weekdays_are_read_the_way_people_write_them(text, days):
    assert parse_weekdays(text) == days


def test_a_non_day_is_refused_with_an_example():
    with pytest.raises(PreferenceError, match="/days mon thu"):
        parse_weekdays("mon funday")


@pytest.mark.parametrize(
    "text, zone",
    [
        ("Europe/Berlin", "Europe/Berlin"),
        ("europe/berlin", "Europe/Berlin"),
        ("Berlin", "Europe/Berlin"),
        ("new york", "America/New_York"),
        ("America/New_York", "America/New_York"),
        ("utc", "UTC"),
    ],
)
def test_time_zones_accept_names_and_cities(text, zone):
    assert resolve_timezone(text) == zone


def test_an_unknown_zone_gets_an_example():
    with pytest.raises(PreferenceError, match="Europe/Berlin"):
        resolve_timezone("Atlantis/Nowhere")


@pytest.mark.parametrize("text, unit", [("kg", "kg"), ("LBS", "lb"), ("pounds", "lb")])
def test_units(text, unit):
    assert parse_units(text) == unit


@pytest.mark.parametrize(
    "text, clock",
    [("7:30", "07:30"), ("07.30", "07:30"), ("7am", "07:00"), ("6:30pm", "18:30"), ("18", "18:00"), ("12am", "00:00")],
)
def test_clock_times(text, clock):
    assert parse_clock_time(text) == clock


@pytest.mark.parametrize("text", ["25:00", "7:75", "13pm", "soon"])
def test_bad_clock_times_are_refused(text):
    with pytest.raises(PreferenceError):
        parse_clock_time(text)
