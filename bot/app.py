"""The composition root: the one place that builds everything from settings.

Every platform runs in one asyncio loop with explicit start and stop, so the
scheduler, Telegram and Discord can share the database engine and the coach.
"""

from __future__ import annotations

import asyncio
import logging
import signal
from contextlib import AsyncExitStack
from dataclasses import dataclass, field

from sqlalchemy.ext.asyncio import AsyncEngine

from bot.adapters.base import Adapter
from bot.adapters.console import ConsoleChat
from bot.scheduling import ReminderScheduler
from bot.settings import Settings
from bot.storage.database import create_engine, upgrade_to_head
from bot.storage.store import SqlStore
from core.coach import Clock, Coach, utc_now

log = logging.getLogger(__name__)


@dataclass
class App:
    settings: Settings
    engine: AsyncEngine
    store: SqlStore
    coach: Coach
    adapters: dict[str, Adapter] = field(default_factory=dict)

    async def close(self) -> None:
        await self.engine.dispose()


async def build_app(settings: Settings, *, clock: Clock = utc_now) -> App:
    """Engine, schema at head, store and coach: what every command of the CLI needs."""
    engine = create_engine(settings.database_url)
    await upgrade_to_head(engine)
    store = SqlStore(engine, default_timezone=settings.default_timezone)
    return App(settings, engine, store, Coach(store, clock=clock))


def platform_adapters(app: App) -> list[Adapter]:
    """The chat platforms that have a token configured."""
    adapters: list[Adapter] = []
    if app.settings.telegram_token:
        from bot.adapters.telegram_bot import TelegramAdapter

        adapters.append(TelegramAdapter.from_settings(app.settings, app.coach, app.store))
    if app.settings.discord_token:
        from bot.adapters.discord_bot import DiscordAdapter

        adapters.append(DiscordAdapter.from_settings(app.settings, app.coach, app.store))
    return adapters


async def run_chat(settings: Settings) -> None:
    app = await build_app(settings)
    try:
        console = ConsoleChat(app.coach, attachment_dir=settings.chart_dir)
        await console.run()
    finally:
        await app.close()


async def run_all(settings: Settings) -> None:
    """`gluteup run`: every configured platform plus the scheduler; the console if none."""
    app = await build_app(settings)
    adapters = platform_adapters(app)
    console = None if adapters else ConsoleChat(app.coach, attachment_dir=settings.chart_dir)
    if console is not None:
        log.info("no platform token configured: starting the console chat")
        adapters = [console]
    app.adapters = {a.platform: a for a in adapters}
    stop = asyncio.Event()
    _stop_on_signals(stop)
    async with AsyncExitStack() as stack:
        stack.push_async_callback(app.close)
        for adapter in adapters:
            await adapter.start()
            stack.push_async_callback(adapter.stop)
        stack.push_async_callback(_start_scheduler(app).stop)
        if console is not None:
            await console.run()
        else:
            await _first_of(stop, *[a.fatal for a in adapters])


async def _first_of(*events: asyncio.Event) -> None:
    """Run until a signal, or until an adapter hits an error only the operator can fix."""
    waiters = [asyncio.create_task(event.wait()) for event in events]
    try:
        await asyncio.wait(waiters, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for waiter in waiters:
            waiter.cancel()


def _start_scheduler(app: App) -> ReminderScheduler:
    scheduler = ReminderScheduler.from_app(app)
    scheduler.start()
    return scheduler


def _stop_on_signals(stop: asyncio.Event) -> None:
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        try:
            loop.add_signal_handler(sig, stop.set)
        except (NotImplementedError, RuntimeError):  # pragma: no cover - not on this platform
            pass
