"""The golden journeys (tests/golden/*.txt) typed on Telegram and in Discord DMs.

Each line goes through the real client library and the platform's fake server; what
the person sees there must carry every line of what the coach answers the same
person in the core (a second person on the same app and clock, as a reference),
so the typed-word conversation works the same on every platform.
"""

from __future__ import annotations

import asyncio
import html
import re

import pytest
from pydantic import SecretStr

from bot.adapters.discord_bot import DiscordAdapter
from bot.adapters.telegram_bot import TelegramAdapter
from tests.fakes.discord_server import FakeDiscord
from tests.fakes.telegram_server import FakeTelegram
from tests.journeys import move_clock, read_script, scripts
from tests.support import ChatDriver

TAG = re.compile(r"<[^>]+>")


def plain(text: str) -> str:
    return html.unescape(TAG.sub("", text))


def expected_lines(replies) -> list[str]:
    return [
        line.strip()
        for reply in replies
        for line in ((reply.title or "") + "\n" + reply.text).splitlines()
        if line.strip()
    ]


async def until(seen, wanted: list[str], timeout: float = 15) -> str:
    """Wait until every wanted line has arrived; returns what arrived."""
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        text = seen()
        missing = [line for line in wanted if line not in text]
        if not missing:
            return text
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"never arrived: {missing[:3]}\n--- got:\n{text[-1500:]}")
        await asyncio.sleep(0.02)


async def run_journey(script, clock, reference: ChatDriver, send, seen_since) -> int:
    lines_checked = 0
    for line in read_script(script):
        if line.kind == "clock":
            move_clock(clock, line.text)
            continue
        expected = expected_lines(await reference.send(line.text))
        mark = await send(line.text)
        await until(lambda: seen_since(mark), expected)
        lines_checked += 1
    return lines_checked


@pytest.mark.parametrize("script", scripts(), ids=lambda p: p.stem)
async def test_golden_journey_on_telegram(script, app, settings, clock):
    async with FakeTelegram() as fake:
        configured = settings.model_copy(
            update={"telegram_token": SecretStr(fake.token), "telegram_base_url": fake.base_url}
        )
        adapter = TelegramAdapter.from_settings(configured, app.coach)
        await adapter.start()
        try:
            reference = ChatDriver(app.coach, platform="reference", user_id="ref-tg")

            async def send(text: str) -> int:
                start = len(fake.sent_to(FakeTelegram.DEFAULT_USER_ID))
                fake.user_sends(text)
                return start

            def seen_since(start: int) -> str:
                return "\n".join(plain(m.get("text", "")) for m in fake.sent_to(FakeTelegram.DEFAULT_USER_ID)[start:])

            assert await run_journey(script, clock, reference, send, seen_since) > 10
        finally:
            await adapter.stop()


@pytest.mark.parametrize("script", scripts(), ids=lambda p: p.stem)
async def test_golden_journey_in_discord_dms(script, app, clock):
    async with FakeDiscord() as fake:
        adapter = DiscordAdapter(app.coach, fake.token, guild_ready_timeout=0.1)
        await adapter.start()
        try:
            reference = ChatDriver(app.coach, platform="reference", user_id="ref-dc")
            user = FakeDiscord.DEFAULT_USER_ID

            async def send(text: str) -> int:
                start = len(fake.messages)
                await fake.user_sends_dm(user, text)
                return start

            def seen_since(start: int) -> str:
                sent = [m for m in fake.messages[start:] if m.recipient_id == user]
                return "\n".join(
                    m.content + "".join(f"\n{e.get('title', '')}\n{e.get('description', '')}" for e in m.embeds)
                    for m in sent
                )

            assert await run_journey(script, clock, reference, send, seen_since) > 10
        finally:
            await adapter.stop()
