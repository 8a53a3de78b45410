"""Time zones as people type them: abbreviations and offsets name no rules for summer time and are
shared by several places, so the coach asks which place, with a button each, instead of refusing
('I don't know the time zone PST') or picking one that is an hour off half the year."""

import pytest

from tests.integration.test_conversation import start_to


@pytest.mark.parametrize(
    "typed, city, zone",
    [
        ("PST", "Los Angeles", "America/Los_Angeles"),
        ("est", "New York", "America/New_York"),
        ("CET", "Berlin", "Europe/Berlin"),
        ("IST", "Kolkata", "Asia/Kolkata"),
        ("AEST", "Sydney", "Australia/Sydney"),
        ("GMT", "London", "Europe/London"),
    ],
)
async def test_an_abbreviation_asks_which_place_with_buttons(chat, typed, city, zone):
    await chat.send(f"/tz {typed}")
    assert "summer time" in chat.text and city in chat.text, chat.text
    await chat.press(city)
    assert f"Time zone set: {zone}" in chat.text, chat.text


@pytest.mark.parametrize(
    "typed, when, city",
    [
        ("GMT+2", "2026-12-06 12:00", "Athens"),  # Berlin is at +1 in December
        ("UTC-5", "2026-12-06 12:00", "New York"),
        ("utc +5:30", "2026-12-06 12:00", "Kolkata"),
        ("GMT+2", "2026-07-01 12:00", "Berlin"),  # and at +2 in July
    ],
)
async def test_an_offset_offers_the_places_at_that_offset_now(chat, clock, typed, when, city):
    clock.set_local(when, "UTC")
    await chat.send(f"/tz {typed}")
    assert city in [b.label for r in chat.replies for row in r.buttons for b in row], chat.text


async def test_gmt_is_no_longer_taken_for_utc_in_silence(chat):
    """'/tz GMT' was set to UTC: for someone in London, every reminder an hour late all summer."""
    await chat.send("/tz gmt")
    assert "Time zone set" not in chat.text, chat.text


async def test_an_abbreviation_typed_during_setup_asks_for_the_city(chat):
    await start_to(chat, "tz")
    await chat.send("EST")
    assert "New York" in chat.text and "Time zone:" not in chat.text, chat.text
    await chat.send("new york")
    assert "Time zone: America/New_York" in chat.text, chat.text
