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
from core.answers import match_button, normalise, vocabulary
from core.conversation import (
    CHOICE,
    after_hooks,
    ask_again,
    fallback_handler,
    is_question,
    pending_for,
    remember_buttons,
    reminder_of_open_question,
    shown_question,
    text_handlers,
)
from core.domain import Button, Incoming, Reply
from core.profile import PendingState
from core.library import Library, default_library
from core.pain.detect import red_flags_in
from core.ports import OutcomeUnknown, ReadAhead, Store, TryAgain
from core.wording import listing

log = logging.getLogger(__name__)

Clock = Callable[[], datetime]

MAX_INPUT_CHARS = 8000  # Telegram allows 4096 and Discord 4000; longer is not a chat message
TOO_LONG = (
    "That message is {length} characters long, more than I can read at once, so I did nothing with it. "
    "Please send it in parts."
)
NOT_UNDERSTOOD = (
    "I didn't catch that. Log a set like:\n  hip thrust 3x10 @ 60kg\n  bridges 2x20\nor see what I can do with /help."
)
# Control characters (NUL above all: PostgreSQL refuses it in text) carry nothing a person
# meant to say; tabs and line breaks stay.
CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
INTERNAL_ERROR = "Sorry, something went wrong on my side and nothing was saved. Please try again in a moment."
OUTCOME_UNKNOWN = (
    "Sorry, my database connection broke just as I was saving that, so I can't tell whether it was saved. "
    "Before you send it again, check whether it took effect (/history lists your logged sets)."
)


def utc_now() -> datetime:
    return datetime.now(timezone.utc)


def split_command(text: str) -> tuple[str, str] | None:
    """'/today@gluteup_bot extra' -> ('today', 'extra'); None if not a command."""
    if not text.startswith("/") or len(text) < 2:
        return None
    head, _, rest = text[1:].partition(" ")
    name = head.split("@", 1)[0].lower()
    return name, rest.strip()


def reads_of(text: str) -> ReadAhead | None:
    """What the command this message names will read of the person's history, if it says."""
    parts = split_command(text.strip())
    spec = find(parts[0]) if parts is not None else None
    return spec.reads if spec is not None else None


class Coach:
    def __init__(self, store: Store, *, clock: Clock = utc_now, library: Library | None = None) -> None:
        self.store = store
        self.clock = clock
        self.library = library or default_library()
        all_commands()  # import every feature so its handlers are registered

    async def handle(self, incoming: Incoming) -> list[Reply]:
        incoming = without_control_chars(incoming)
        try:
            try:
                return await self._handle(incoming)
            except TryAgain as reason:  # nothing was stored: another worker's row (seen now) or a dead connection
                log.info("handling a %s message again: %s", incoming.platform, type(reason).__name__)
                return await self._handle(incoming)
        except OutcomeUnknown:
            log.warning("the connection broke during the commit of a %s message", incoming.platform, exc_info=True)
            return [Reply(OUTCOME_UNKNOWN)]
        except Exception:
            # The transaction was rolled back, so the person hears that nothing was saved.
            log.exception("failed to handle a %s message", incoming.platform)
            return [Reply(INTERNAL_ERROR)]

    async def _handle(self, incoming: Incoming) -> list[Reply]:
        """One unit of work: everything it changed is committed, or (it raises) nothing is."""
        async with self.store.unit_of_work() as uow:
            now = self.clock()
            user = await uow.users.get_or_create(
                incoming.platform,
                incoming.user_id,
                incoming.chat_id,
                incoming.display_name,
                now,
                message_key=incoming.message_key,
                ahead=reads_of(incoming.text),
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

    async def _dispatch(self, ctx: Context, text: str) -> list[Reply]:
        parts = split_command(text)
        replies = await (self._run_command(ctx, *parts) if parts is not None else self._free_text(ctx, text))
        if not ctx.forgotten:
            remember_buttons(ctx, replies)
        return replies

    async def _free_text(self, ctx: Context, text: str) -> list[Reply]:
        """The open question first (buttons on screen, then its own reader), then everything else
        the bot understands; an interrupted question is asked again afterwards."""
        pending = dict(ctx.profile.pending) if ctx.profile.pending else None
        question = shown_question(ctx)
        said_yes = False
        if pending:
            if question is not None and not text_is_alarming(ctx, text):  # red flags never press a button
                asked = is_question(question) or pending.get("kind") != CHOICE  # a feature's own question
                match = match_button(text, [b for row in question.buttons for b in row], question=asked)
                if match.button is not None:
                    parts = split_command(match.button.command)
                    if parts is not None:
                        return await self._run_command(ctx, *parts)
                said_yes = match.said_yes
            kind = pending_for(pending.get("kind", ""))
            if kind is not None:
                replies = await kind.handler(ctx, text)
                if replies:
                    return replies
            if said_yes and question is not None:
                # "yes" to "Log it as your own? [Log as my own] [Cancel]"; not to a notice with a button
                only = the_one_not_no(question) if is_question(question) else None
                parts = split_command(only.command) if only is not None else None
                return await self._run_command(ctx, *parts) if parts is not None else [which_one(question)]
        for handler in text_handlers():
            replies = await handler(ctx, text)
            if replies:
                replies = replies + ctx.also
                return replies + reminder_of_open_question(ctx, pending, replies)
        if ctx.also:  # nothing else read the rest of the message
            return ctx.also + reminder_of_open_question(ctx, pending, ctx.also)
        reminder = reminder_of_open_question(ctx, pending, [])
        if reminder:  # one message: why that was no answer, then the question again
            question = reminder[0]
            why = ctx.not_an_answer or "I didn't catch that."
            return [Reply(f"{why}\n\n{question.text}", question.title, question.buttons)] + reminder[1:]
        unknown = fallback_handler()
        return [await unknown(ctx, text) if unknown is not None else Reply(NOT_UNDERSTOOD)]

    async def _run_command(self, ctx: Context, name: str, args: str) -> list[Reply]:
        spec = find(name)
        if spec is None:
            return [Reply(unknown_command_text(name))] + reminder_of_open_question(ctx, ctx.profile.pending, [])
        before = ctx.profile.pending
        ctx.clear_pending()  # a command cancels a choice still open; it may ask a new one
        replies = await spec.handler(ctx, args)
        if before is None or ctx.forgotten or ctx.profile.pending is not None or owns_question(before, name):
            return replies
        asks_its_own = any(r.buttons and is_question(r) for r in replies)
        kind = pending_for(before.get("kind", ""))
        if kind is not None:  # a feature's question: asked again in its own words
            if kind.repeat is None or kind.owner == spec.name:
                return replies
            ctx.profile.pending = {k: v for k, v in before.items() if k != "ask"}
            if asks_its_own:  # it comes back after that answer
                return replies
            return replies + [kind.repeat(ctx, any(r.buttons for r in replies))]
        question = shown_question(ctx, before)  # a question asked with buttons alone ("Is it right?")
        if question is None or asks_its_own or not is_question(question):
            return replies
        return replies + ask_again(ctx, before, question)  # a looked-up /week must not drop "log this?"


def owns_question(pending: PendingState, name: str) -> bool:
    """Whether this command is the one the buttons on screen run ("/pain clear" for "/pain knee
    mild"), so it answers or replaces their question."""
    rows = (pending.get("ask") or {}).get("buttons", [])
    return any((split_command(command) or ("", ""))[0] == name for row in rows for _label, command in row)


def text_is_alarming(ctx: Context, text: str) -> bool:
    return bool(red_flags_in(text, ctx.library.pain))


def not_no(row: tuple[Button, ...]) -> list[Button]:
    """The buttons of a row that are not a no ('Cancel', 'No, leave my plan as it is')."""
    no = vocabulary().no
    return [b for b in row if normalise(b.label).split(" ")[0] not in no]


def the_one_not_no(question: Reply) -> Button | None:
    """The question's only button that is not a no, if there is one."""
    rest = [b for row in question.buttons for b in not_no(row)]
    return rest[0] if len(rest) == 1 else None


def which_one(question: Reply) -> Reply:
    """'yes' to a question whose buttons are not yes/no: ask which of them, with the same buttons."""
    rows = [not_no(row) for row in question.buttons]
    rows = [row for row in rows if row] or [list(row) for row in question.buttons]
    labels = [b.label for row in rows for b in row]
    return Reply(f"OK. Which one: {listing(labels, 'or')}?").with_buttons(rows)


def without_control_chars(incoming: Incoming) -> Incoming:
    if not (CONTROL_CHARS.search(incoming.text) or CONTROL_CHARS.search(incoming.display_name or "")):
        return incoming
    return dataclasses.replace(
        incoming,
        text=CONTROL_CHARS.sub("", incoming.text),
        display_name=CONTROL_CHARS.sub("", incoming.display_name or ""),
    )


def unknown_command_text(name: str) -> str:
    names = [spec.name for spec in all_commands()]
    guess = process.extractOne(name, names, score_cutoff=60)
    hint = f" Did you mean /{guess[0]}?" if guess else ""
    return f"I don't know /{name[:40]}.{hint} /help lists every command."
