"""Long polling that confirms a Telegram update only once it has been handled.

Telegram confirms (and forgets) every update below the `offset` of the next
getUpdates. PTB's Updater moves the offset as soon as updates are fetched, so a
process killed with -9 loses everything fetched but not yet handled. Here the
offset stays at the oldest update still being handled: after a crash Telegram
sends those again, and a redelivered set log is stored once because logs are
keyed by the platform message. At worst a person gets an answer twice.

A run of 401s (token revoked, or the API briefly confused) is retried with
backoff for `unauthorized_patience` seconds, so a passing outage heals by itself;
after that the poller gives up through `on_fatal`, so the process can exit
non-zero and a supervisor can restart it, instead of running deaf.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable

from telegram import Update
from telegram.error import InvalidToken, RetryAfter, TelegramError, TimedOut
from telegram.ext import Application

log = logging.getLogger(__name__)

POLL_TIMEOUT = 10  # seconds a getUpdates may wait for news (long polling)
MAX_BACKOFF = 30.0
UNAUTHORIZED_PATIENCE = 120.0  # seconds of nothing but 401s before giving up
REFETCH_BELOW = 10  # ask again once fewer updates than this are in flight (enough to keep the handlers busy)
STALL_WAIT = 1.0  # ask again anyway when no update has finished for this long


class ConfirmingPoller:
    def __init__(
        self,
        application: Application,
        *,
        on_error: Callable[[TelegramError], None],
        on_fatal: Callable[[str], None],
        poll_timeout: float = POLL_TIMEOUT,
        unauthorized_patience: float = UNAUTHORIZED_PATIENCE,
    ) -> None:
        self.application = application
        self.on_error = on_error
        self.on_fatal = on_fatal
        self.poll_timeout = poll_timeout
        self.unauthorized_patience = unauthorized_patience
        self._in_flight: set[int] = set()
        self._done: set[int] = set()  # handled, but above an update still in flight
        self._next = 0  # one past the newest update seen
        self._progress = asyncio.Event()
        self._tasks: set[asyncio.Task] = set()
        self._loop: asyncio.Task | None = None
        self._stopping = False

    @property
    def offset(self) -> int:
        """What the next getUpdates confirms: everything below the oldest update in flight."""
        return min(self._in_flight) if self._in_flight else self._next

    async def start(self) -> None:
        await self.application.bot.delete_webhook()  # polling and a webhook exclude each other
        self._loop = asyncio.create_task(self._poll(), name="telegram-poller")

    async def stop(self) -> None:
        """Stop fetching, let what is in flight finish, then confirm it (a short getUpdates)."""
        self._stopping = True  # a cancel alone can be swallowed by a wait that ends at that moment
        if self._loop is not None:
            self._loop.cancel()
            await asyncio.gather(self._loop, return_exceptions=True)
            self._loop = None
        if self._tasks:
            await asyncio.gather(*self._tasks, return_exceptions=True)
        if self._next:
            try:
                await self.application.bot.get_updates(offset=self.offset, timeout=0, limit=1)
            except TelegramError as exc:  # they come again at the next start; stored once
                log.warning(
                    "telegram: could not confirm the last handled updates (%s); "
                    "they will be delivered again at the next start",
                    exc,
                )

    async def _poll(self) -> None:
        backoff = 0.0
        unauthorized_since: float | None = None
        clock = asyncio.get_running_loop().time
        while not self._stopping:
            try:
                updates = await self.application.bot.get_updates(
                    offset=self.offset, timeout=self.poll_timeout
                )  # Telegram's default kinds, as the Updater asked
            except RetryAfter as exc:
                await asyncio.sleep(_seconds(exc.retry_after) + 0.5)
                continue
            except TimedOut:
                continue
            except InvalidToken:
                unauthorized_since = unauthorized_since if unauthorized_since is not None else clock()
                waited = clock() - unauthorized_since
                if waited >= self.unauthorized_patience:
                    self.on_fatal(
                        f"Telegram has answered 401 Unauthorized for {waited:.0f} s: the token was "
                        "revoked or replaced. Put the current token from @BotFather in "
                        "TELEGRAM_TOKEN and start again."
                    )
                    return
                backoff = min(MAX_BACKOFF, max(1.0, backoff * 2))
                log.warning("telegram: 401 Unauthorized while polling; retrying in %.0f s", backoff)
                await asyncio.sleep(min(backoff, max(0.1, self.unauthorized_patience - waited)))
                continue
            except TelegramError as exc:
                self.on_error(exc)
                backoff = min(MAX_BACKOFF, max(1.0, backoff * 1.5))
                await asyncio.sleep(backoff)
                continue
            if unauthorized_since is not None:
                log.warning("telegram: the API accepts the token again; polling resumed")
            backoff, unauthorized_since = 0.0, None
            fresh = [
                u
                for u in updates
                if u.update_id not in self._in_flight and u.update_id not in self._done and u.update_id >= self.offset
            ]
            for update in fresh:
                self._dispatch(update)
            if updates:
                # Asking again sends everything from the oldest update in flight once more
                # (up to 100, each parsed anew): after every handled update, a backlog cost a
                # full fetch per update. So wait until most of what we hold is done; if only
                # updates in flight came back, until one of them is.
                await self._until_in_flight_below(REFETCH_BELOW if fresh else len(self._in_flight))

    async def _until_in_flight_below(self, count: int) -> None:
        while len(self._in_flight) >= count and not self._stopping:
            self._progress.clear()
            try:
                async with asyncio.timeout(STALL_WAIT):
                    await self._progress.wait()
            except TimeoutError:
                return  # nothing finished for a while: asking again costs little then

    def _dispatch(self, update: Update) -> None:
        self._in_flight.add(update.update_id)
        self._next = max(self._next, update.update_id + 1)
        processor = self.application.update_processor
        task = asyncio.create_task(processor.process_update(update, self._handle(update)))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _handle(self, update: Update) -> None:
        try:
            await self.application.process_update(update)
        finally:
            self._in_flight.discard(update.update_id)
            self._done.add(update.update_id)
            floor = self.offset
            self._done = {uid for uid in self._done if uid >= floor}
            self._progress.set()


def _seconds(value) -> float:
    return value.total_seconds() if hasattr(value, "total_seconds") else float(value)
