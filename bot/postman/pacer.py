"""The one pacing layer per platform: steady spacing overall and per chat, and the 429 hold.

Evenly spaced turns, not a token bucket: a bucket allows a burst and then the steady
rate, which briefly doubles the rate a platform sees and earns a 429. A 429's
retry_after moves every turn not yet taken behind it, so nothing else is tried
while the platform asks us to wait (one 429, not a stream of them).
"""

from __future__ import annotations

import asyncio
from collections.abc import Hashable

CHATS_KEPT = 10_000
# Sends per second. Telegram allows about 30/s per bot token (29 leaves room for the few
# milliseconds between a turn and its request); Discord 50/s per bot.
SEND_RATES = {"telegram": 29.0, "discord": 45.0, "console": 1000.0}


class Pacer:
    def __init__(self, per_second: float, per_chat_seconds: float = 1.0) -> None:
        self.interval = 1.0 / per_second
        self.per_chat = per_chat_seconds
        self.holds = 0
        self._next = 0.0
        self._chat_next: dict[Hashable, float] = {}
        self._epoch = 0
        self._lock = asyncio.Lock()
        self._reserved: set[Hashable] = set()

    async def wait(self, chat: Hashable | None = None, *, reserve: bool = False) -> None:
        """Wait for this send's turn. With `reserve`, the next request to `chat` has had its
        turn already (see take()): the caller waits here, before recording "sending"."""
        loop = asyncio.get_running_loop()
        while True:
            async with self._lock:
                now = loop.time()
                at = max(now, self._next, self._chat_next.get(chat, 0.0))
                self._next = at + self.interval
                if chat is not None:
                    self._chat_next[chat] = at + self.per_chat
                    if len(self._chat_next) > CHATS_KEPT:
                        self._chat_next = {k: v for k, v in self._chat_next.items() if v > now}
                epoch = self._epoch
            if at > now:
                await asyncio.sleep(at - now)
            # A busy loop wakes us late; the next turn counts from now, so a late turn is
            # not followed by a catch-up burst (which is what crowds a sliding second).
            self._next = max(self._next, loop.time() + self.interval)
            if epoch == self._epoch:  # no 429 arrived while we waited
                if reserve:
                    self._reserved.add(chat)
                return

    def take(self, chat: Hashable) -> bool:
        """True once after wait(chat, reserve=True): that request must not wait a second time."""
        if chat in self._reserved:
            self._reserved.discard(chat)
            return True
        return False

    def hold(self, seconds: float) -> None:
        """The platform said 429: no send before `seconds` from now, turns already given included."""
        now = asyncio.get_running_loop().time()
        self.holds += 1
        self._epoch += 1
        self._next = max(self._next, now + seconds)
