"""What the scheduler needs from any adapter: push a reply to a person who did not just write."""

from __future__ import annotations

import asyncio
from typing import Protocol

from core.domain import Reply


# A photo, sticker or voice note with no text: what both platforms answer (nothing reaches the coach).
NON_TEXT_ANSWER = "I read text messages. Log a set like: hip thrust 3x10 @ 60kg, or send /help."


class Unreachable(Exception):
    """The person blocked the bot or closed their DMs; stop scheduled sends to them."""


class NotSent(Exception):
    """Provably nothing reached the platform (connection refused, DNS): safe to try again."""


class MaybeSent(Exception):
    """The request may have reached the platform (it timed out after being written): trying
    again could deliver it twice, so the caller must not repeat it."""


class RateLimited(Exception):
    def __init__(self, retry_after: float) -> None:
        super().__init__(f"rate limited, retry after {retry_after} s")
        self.retry_after = retry_after


class Adapter(Protocol):
    platform: str
    fatal: asyncio.Event  # set on an error only the operator can fix (a bad token, a second poller); `run` stops

    async def start(self) -> None: ...

    async def stop(self) -> None: ...

    async def push(self, chat_id: str, replies: list[Reply]) -> None:
        """Send without a prompting message to the person's private chat; `chat_id` is their
        platform user id (Telegram: the private chat's id; Discord: the user to DM), never a
        group they wrote in. Raises Unreachable, RateLimited, NotSent or MaybeSent."""
        ...
