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


class StartError(SystemExit):
    """A start-up failure only the operator can fix: one line naming the setting, no traceback."""


def one_line(exc: BaseException) -> str:
    """The useful first line of an exception, without SQLAlchemy's trailing hints."""
    cause = getattr(exc, "orig", None) or exc
    text = str(cause).strip().splitlines()[0] if str(cause).strip() else ""
    return f"{type(cause).__name__}: {text}"[:300]


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
    engine = await open_database(settings.database_url)
    store = SqlStore(engine, default_timezone=settings.default_timezone)
    return App(settings, engine, store, Coach(store, clock=clock))


async def open_database(url: str) -> AsyncEngine:
    """An engine on a schema at head, or StartError naming DATABASE_URL."""
    engine = create_engine(url)
    try:
        await upgrade_to_head(engine)
    except Exception as exc:  # unreachable, unknown, not a database, newer schema: only the operator can fix it
        await engine.dispose()
        raise StartError(
            f"Glute Up cannot start: the database in DATABASE_URL cannot be opened "
            f"({one_line(exc)}). Check the URL, that the server runs and the folder exists."
        ) from None
    return engine


def platform_adapters(app: App) -> list[Adapter]:
    """The chat platforms that have a token configured."""
    adapters: list[Adapter] = []
    if app.settings.telegram_token:
        from bot.adapters.telegram_bot import TelegramAdapter

        adapters.append(TelegramAdapter.from_settings(app.settings, app.coach))
    if app.settings.discord_token:
        from bot.adapters.discord_bot import DiscordAdapter

        adapters.append(DiscordAdapter.from_settings(app.settings, app.coach))
    return adapters


async def run_chat(settings: Settings) -> None:
    app = await build_app(settings)
    try:
        console = ConsoleChat(app.coach, attachment_dir=settings.chart_dir)
        await console.run()
    finally:
        await app.close()


NO_PLATFORM = (
    "gluteup run --no-console: no platform token is configured (set TELEGRAM_TOKEN or DISCORD_TOKEN), "
    "so this worker would have nothing to deliver. For the console chat use `gluteup chat`."
)


async def run_all(settings: Settings, *, allow_console: bool = True) -> None:
    """`gluteup run`: every configured platform plus the scheduler; the console if none
    (unless `allow_console` is False: a headless worker with nothing to send is a setup mistake)."""
    if not allow_console and not (settings.telegram_token or settings.discord_token):
        raise SystemExit(NO_PLATFORM)
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
    if any(a.fatal.is_set() for a in adapters):
        raise SystemExit(1)  # the adapter logged why; non-zero so a supervisor restarts or alerts


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
