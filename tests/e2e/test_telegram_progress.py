"""/progress, /export and /forget through the real Telegram client and the fake Bot API."""

from __future__ import annotations

import csv
import io
from datetime import date

from bot.adapters.telegram_bot import PLATFORM
from tests.e2e.test_telegram_journey import USER, press, say, telegram  # noqa: F401 (telegram is a fixture)
from tests.seed import log_sets
from tests.support import ChatDriver

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


async def test_progress_arrives_as_a_photo_and_export_as_a_csv_document(app, telegram):
    fake, _ = telegram
    person = ChatDriver(app.coach, platform=PLATFORM, user_id=str(USER))
    for day, load in ((date(2026, 11, 2), 60), (date(2026, 11, 9), 65), (date(2026, 11, 16), 70)):
        await log_sets(app, person, "hip_thrust", [(10, load)] * 3, on=day)

    photo = await say(fake, "/progress hip thrust")
    assert photo["method"] == "sendPhoto" and photo["chat_id"] == USER
    assert photo["file_bytes"].startswith(PNG_SIGNATURE)
    assert photo["message"]["photo"][0]["width"] == 960
    assert "3 training days" in photo["caption"]

    document = await say(fake, "/export")
    assert document["method"] == "sendDocument" and document["filename"].endswith(".csv")
    rows = list(csv.reader(io.StringIO(document["file_bytes"].decode("utf-8"))))
    assert rows[0][:4] == ["Date", "Workout Name", "Exercise Name", "Set Order"]
    assert len(rows) == 1 + 9


async def test_forget_through_telegram_buttons(app, telegram):
    fake, _ = telegram
    await say(fake, "/units lb")
    question = await say(fake, "/forget")
    assert "cannot be undone" in question["text"]
    done = await press(fake, question, "Yes, delete everything")
    assert "deleted" in done["text"]
    settings = await say(fake, "/settings")
    assert "Units: kg" in settings["text"]  # a fresh start: the lb setting went with everything else
