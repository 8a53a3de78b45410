"""PTB's rate limiter slot, filled with the platform's one pacer (bot/postman/pacer.py).

Every message-sending request waits for its turn (about 30/s per token, 1/s per chat)
and a 429 holds the whole pacer for its retry_after. A scheduled send whose turn the
postman already waited for (before recording "sending") does not wait again, and is
not retried here on a 429: the postman records it as not sent and tries again itself.
"""

from __future__ import annotations

import re

from telegram.error import RetryAfter
from telegram.ext import BaseRateLimiter

from bot.postman.pacer import Pacer

PACED = re.compile(r"^(send|copy|forward|edit)", re.I)


class PacedLimiter(BaseRateLimiter[int]):
    def __init__(self, pacer: Pacer, max_retries: int = 2) -> None:
        self.pacer = pacer
        self.max_retries = max_retries

    async def initialize(self) -> None:
        return None

    async def shutdown(self) -> None:
        return None

    async def process_request(self, callback, args, kwargs, endpoint, data, rate_limit_args):
        if not PACED.match(endpoint) or endpoint.lower() == "sendchataction":
            return await callback(*args, **kwargs)
        chat = str(data["chat_id"]) if data.get("chat_id") is not None else None
        had_turn = chat is not None and self.pacer.take(chat)
        for attempt in range(self.max_retries + 1):
            if attempt or not had_turn:
                await self.pacer.wait(chat)
            try:
                return await callback(*args, **kwargs)
            except RetryAfter as exc:  # nothing was sent: safe to try again after the hold
                retry_after = exc.retry_after
                self.pacer.hold(
                    retry_after.total_seconds() if hasattr(retry_after, "total_seconds") else float(retry_after)
                )
                if had_turn or attempt == self.max_retries:
                    raise
        raise AssertionError("unreachable")  # pragma: no cover
