"""Hostile input through the core on SQLite and PostgreSQL: the command's normal hint, nothing stored.

PostgreSQL is stricter than SQLite (no NUL in text, string lengths enforced, 32-bit
integers), so every case runs on both.
"""

from __future__ import annotations

import logging

import pytest
from sqlalchemy import text

from core.coach import INTERNAL_ERROR

TABLES = ("log_entries", "set_logs", "pain_reports", "reminders")

CASES = [
    # (message, what the normal hint says); nothing may be stored
    ("/log custom " + "a" * 58 + " 3x10 @ 20kg", "at most 50 characters"),
    ("/log custom " + "b" * 300 + " 3x10 @ 20kg", "nothing from those lines was stored"),
    ("/pain same 2147483648", "can't find that report"),
    ("/pain ok " + "9" * 5000, "can't find that report"),
    ("/pain worse ²", "can't find that report"),
    ("/pause 9999999999d", "between 1 minute and 90 days"),
    ("/snooze 99999999999h", "between 1 minute and 90 days"),
    ("/gluteup on every 99999999999999999999d", "between 1 minute and 90 days"),
    ("/remind 99999999999:00", "07:30"),
    ("hip thrust 99999999999x99999999999 @ 99999999999kg", "more than I can believe"),
    ("hip thrust 3x" + "9" * 5000, "longer than a set log can be"),  # refused whole before any number is read
]


async def counts(app) -> dict[str, int]:
    async with app.engine.connect() as conn:
        return {t: (await conn.execute(text(f"SELECT count(*) FROM {t}"))).scalar_one() for t in TABLES}


@pytest.mark.parametrize("message,hint", CASES, ids=[c[0][:30] for c in CASES])
async def test_hostile_commands_get_their_hint_and_store_nothing(chat, app, caplog, message, hint):
    before = await counts(app)
    caplog.set_level(logging.WARNING)
    replies = await chat.send(message)
    assert replies and INTERNAL_ERROR not in chat.text, chat.text
    assert hint.lower() in chat.text.lower(), chat.text
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR], caplog.text[-2000:]
    assert await counts(app) == before, chat.text


async def test_a_nul_character_is_dropped_and_the_set_stored(chat, app, caplog):
    caplog.set_level(logging.WARNING)
    await chat.send("hip thrust 3x10 @ 60kg\x00")
    assert "✓ Barbell hip thrust: 3 x 10 @ 60 kg" in chat.text
    await chat.send("/history\x00")
    assert "60 kg" in chat.text
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR], caplog.text[-2000:]
    async with app.engine.connect() as conn:
        raw = (await conn.execute(text("SELECT raw_text FROM log_entries"))).scalar_one()
    assert "\x00" not in raw
