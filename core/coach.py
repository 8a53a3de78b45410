"""The entry point of the core: one message in, replies out.

Adapters call `Coach.handle` for every message and button press. Each call is
one unit of work: either everything it changed is committed, or nothing is and
the person is told so. Nothing here knows which chat platform is talking.
"""

from __future__ import annotations

import dataclasses
import logging
import re
from datetime import datetime, timezone
from typing import Callable

from rapidfuzz import process

from core.commands import all_commands, find
from core.context import Context
from core.conversation import after_hooks, pending_for, text_handlers
from core.domain import Incoming, Reply
from core.library import Library, default_library
from core.ports import Store

log = logging.getLogger(__name__)

Clock = Callable[[], datetime]

MAX_INPUT_CHARS = 8000  # Telegram allows 4096 and Discord 4000; longer is not a chat message
TOO_LONG = ("That message is {length} characters long, more than I can read at once, so I did nothing with it. "
            "Please send it in parts.")
NOT_UNDERSTOOD = (
    "I didn't catch that. Log a set like:\n"
    "  hip thrust 3x10 @ 60kg\n"
    "  bridges 2x20\n"
    "or see what I can do with /help."
)
# Control characters (NUL above all: PostgreSQL refuses it in text) carry nothing a person
# meant to say; tabs and line breaks stay.
CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
INTERNAL_ERROR = "Sorry, something went wrong on my side and nothing was saved. Please try again in a moment."


def utc_now() -> datetime:
    return datetime.now(timezone.utc)


def split_command(text: str) -> tuple[str, str] | None:
    """'/today@gluteup_bot extra' -> ('today', 'extra'); None if not a command."""
    if not text.startswith("/") or len(text) < 2:
        return None
    head, _, rest = text[1:].partition(" ")
    name = head.split("@", 1)[0].lower()
    return name, rest.strip()


class Coach:
    def __init__(self, store: Store, *, clock: Clock = utc_now, library: Library | None = None) -> None:
        self.store = store
        self.clock = clock
        self.library = library or default_library()
        all_commands()  # import every feature so its handlers are registered

    async def handle(self, incoming: Incoming) -> list[Reply]:
        incoming = without_control_chars(incoming)
        try:
            async with self.store.unit_of_work() as uow:
                now = self.clock()
                user = await uow.users.get_or_create(
                    incoming.platform, incoming.user_id, incoming.chat_id, incoming.display_name, now
                )
                profile = await uow.profiles.get(user.id)
                ctx = Context(uow, user, profile, now, self.library, incoming)
                before = profile.copy()
                if len(incoming.text) > MAX_INPUT_CHARS:  # never act on a cut-off message
                    return [Reply(TOO_LONG.format(length=len(incoming.text)))]
                replies = await self._dispatch(ctx, incoming.text.strip())
                if not ctx.forgotten:
                    for hook in after_hooks():
                        await hook(ctx, before)
                await ctx.save_profile()
                await uow.commit()
                return replies
        except Exception:
            # The transaction was rolled back, so the person hears that nothing was saved.
            log.exception("failed to handle a %s message", incoming.platform)
            return [Reply(INTERNAL_ERROR)]

    async def _dispatch(self, ctx: Context, text: str) -> list[Reply]:
        if not text:
            return [Reply(NOT_UNDERSTOOD)]
        parts = split_command(text)
        if parts is not None:
            return await self._run_command(ctx, *parts)
        if ctx.profile.pending:
            handler = pending_for(ctx.profile.pending.get("kind", ""))
            if handler is not None:
                replies = await handler(ctx, text)
                if replies:
                    return replies
        for handler in text_handlers():
            replies = await handler(ctx, text)
            if replies:
                return replies
        return [Reply(NOT_UNDERSTOOD)]

    async def _run_command(self, ctx: Context, name: str, args: str) -> list[Reply]:
        spec = find(name)
        if spec is None:
            return [Reply(unknown_command_text(name))]
        ctx.clear_pending()  # a command cancels any question still open; it may ask a new one
        return await spec.handler(ctx, args)


def without_control_chars(incoming: Incoming) -> Incoming:
    if not (CONTROL_CHARS.search(incoming.text) or CONTROL_CHARS.search(incoming.display_name or "")):
        return incoming
    return dataclasses.replace(incoming, text=CONTROL_CHARS.sub("", incoming.text),
                               display_name=CONTROL_CHARS.sub("", incoming.display_name or ""))


def unknown_command_text(name: str) -> str:
    names = [spec.name for spec in all_commands()]
    guess = process.extractOne(name, names, score_cutoff=60)
    hint = f" Did you mean /{guess[0]}?" if guess else ""
    return f"I don't know /{name[:40]}.{hint} /help lists every command."
