"""The one pacing layer per platform: steady spacing overall and per chat, and the 429 hold.

Evenly spaced turns, not a token bucket: a bucket allows a burst and then the steady
rate, which briefly doubles the rate a platform sees and earns a 429. A 429's
retry_after moves every turn not yet taken behind it, so nothing else is tried
while the platform asks us to wait (one 429, not a stream of them).

Telegram also limits each group to about 20 messages a minute. Group chats (negative ids)
get that window on top of the per-chat spacing: a lively group still gets quick answers,
and the 21st message in a minute waits for the window instead of earning a 429.
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import Hashable

CHATS_KEPT = 10_000
# Sends per second, a little under each platform's limit to leave room for the few milliseconds
# between a turn and its request: Telegram allows about 30/s per bot token, Discord 50/s per bot.
SEND_RATES = {"telegram": 29.0, "discord": 45.0, "console": 1000.0}
# At most this many sends in this many seconds to one group (Telegram's Bot FAQ: 20 a minute).
GROUP_LIMITS = {"telegram": (20, 60.0)}
GROUP_MARGIN = 0.5  # seconds: requests take different times to arrive, the window counts arrivals


def pacer_for(platform: str) -> Pacer:
    return Pacer(SEND_RATES.get(platform, 30.0), per_group=GROUP_LIMITS.get(platform))


def is_group(chat: Hashable | None) -> bool:
    """Telegram's group and supergroup chat ids are negative; private chats are the user id."""
    return chat is not None and str(chat).startswith("-")


class Pacer:
    def __init__(
        self, per_second: float, per_chat_seconds: float = 1.0, per_group: tuple[int, float] | None = None
    ) -> None:
        self.interval = 1.0 / per_second
        self.per_chat = per_chat_seconds
        self.per_group = per_group  # (count, seconds) for group chats, or None
        self._group_turns: dict[Hashable, deque[float]] = {}
        self.holds = 0
        self._next = 0.0
        self._chat_next: dict[Hashable, float] = {}
        self._epoch = 0
        self._lock = asyncio.Lock()
        self._reserved: set[Hashable] = set()
        self._later: list[float] = []  # turns given ahead of the overall spacing, for a held chat

    async def wait(self, chat: Hashable | None = None, *, reserve: bool = False) -> None:
        """Wait for this send's turn. With `reserve`, the next request to `chat` has had its
        turn already (see take()): the caller waits here, before recording "sending"."""
        loop = asyncio.get_running_loop()
        while True:
            async with self._lock:
                now = loop.time()
                self._later = [t for t in self._later if t > now - self.interval]
                given = self._free(max(now, self._next))
                at = max(given, self._chat_next.get(chat, 0.0), self._group_free(chat, now))
                if at > given:  # held by its own chat or group: it must not hold everyone else
                    at = self._free(at)
                    self._later.append(at)
                else:
                    self._next = at + self.interval
                if chat is not None:
                    self._chat_next[chat] = at + self.per_chat
                    if len(self._chat_next) > CHATS_KEPT:
                        self._chat_next = {k: v for k, v in self._chat_next.items() if v > now}
                if self.per_group is not None and is_group(chat):  # counted when given, so waiters queue
                    self._group_turns.setdefault(chat, deque(maxlen=self.per_group[0])).append(at)
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

    def _free(self, at: float) -> float:
        """The first moment from `at` that keeps the overall spacing around turns given for later."""
        for later in sorted(self._later):
            if later - self.interval < at < later + self.interval:
                at = later + self.interval
        return at

    def _group_free(self, chat: Hashable | None, now: float) -> float:
        """When the group's window has room again (0.0: now, or not a group)."""
        if self.per_group is None or not is_group(chat):
            return 0.0
        count, seconds = self.per_group
        turns = self._group_turns.get(chat)
        if turns is None or len(turns) < count:
            return 0.0
        if len(self._group_turns) > CHATS_KEPT:
            self._group_turns = {k: v for k, v in self._group_turns.items() if v[-1] > now - seconds}
        return turns[0] + seconds + GROUP_MARGIN

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
