"""Per-person turns: both chat adapters handle updates concurrently, yet one person's
messages must reach the coach in the order they were sent (a set log, then /undo)."""

from __future__ import annotations

import asyncio
from contextlib import asynccontextmanager
from typing import AsyncIterator


class _Turn:
    __slots__ = ("lock", "holders")

    def __init__(self) -> None:
        self.lock = asyncio.Lock()
        self.holders = 0  # the task inside plus those queued behind it


class UserTurns:
    """One lock per person (keyed by platform user id, not chat: a person's group mention and
    private message share their data). asyncio.Lock is first come, first served, and `turn`
    queues on it before any other await, so tasks run in update order. A person's entry lives
    only while they have a message in flight: memory follows concurrency, not everyone ever seen.
    """

    def __init__(self) -> None:
        self._turns: dict[str, _Turn] = {}

    @asynccontextmanager
    async def turn(self, user_id: str) -> AsyncIterator[None]:
        entry = self._turns.get(user_id)
        if entry is None:
            entry = self._turns[user_id] = _Turn()
        entry.holders += 1
        try:
            async with entry.lock:
                yield
        finally:
            entry.holders -= 1
            if entry.holders == 0:
                del self._turns[user_id]

    def __len__(self) -> int:
        """People with a message in flight."""
        return len(self._turns)
