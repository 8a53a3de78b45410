"""How messages that are not commands find their handler.

Registries, filled by feature modules:
- pending handlers answer a question the bot asked (onboarding's time zone),
  keyed by the `kind` stored in the profile, with a way to ask it again;
- text handlers read free text in the order of core/pipeline.py (pain talk before set logs); the
  first that returns replies wins;
- a fallback answers text nobody understood.

The buttons last shown are remembered with the pending state ("ask"), so a
typed word can press them (core/answers.py), and a question interrupted by
something else (a set log, /help) is asked again instead of being lost.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Awaitable, Callable

from core.domain import Button, Reply
from core.ordered import Ordered
from core.pipeline import TEXT_HANDLERS
from core.profile import PendingState

if TYPE_CHECKING:
    from core.context import Context
    from core.profile import Profile

TextHandler = Callable[["Context", str], Awaitable[list[Reply] | None]]

# repeat(ctx, compact): the open question again; compact = one line without buttons, used when
# other buttons are already on screen.
Repeat = Callable[["Context", bool], Reply]
Fallback = Callable[["Context", str], Awaitable[Reply]]


@dataclass(frozen=True)
class PendingKind:
    handler: TextHandler
    repeat: Repeat | None = None
    owner: str = ""  # the command that answers this question; running it does not resume the question


CHOICE = "choice"  # only buttons on screen, no feature-specific question
_pending: dict[str, PendingKind] = {}
_text: Ordered[TextHandler] = Ordered(TEXT_HANDLERS, "core/pipeline.py TEXT_HANDLERS")
_fallback: list[Fallback] = []


def pending_handler(
    kind: str, *, repeat: Repeat | None = None, owner: str = ""
) -> Callable[[TextHandler], TextHandler]:
    """`handler` returns replies for an answer, or None when the text is not one (it may set
    ctx.not_an_answer to say why, shown if nothing else understands the text)."""

    def register(handler: TextHandler) -> TextHandler:
        _pending[kind] = PendingKind(handler, repeat, owner)
        return handler

    return register


def fallback(handler: Fallback) -> Fallback:
    """The answer to text nobody understood (one per process; the last registered wins)."""
    _fallback[:] = [handler]
    return handler


def fallback_handler() -> Fallback | None:
    return _fallback[0] if _fallback else None


def text_handler(handler: TextHandler) -> TextHandler:
    """Where it runs among the others is listed in core/pipeline.py."""
    return _text.register(handler)


AfterHook = Callable[["Context", "Profile"], Awaitable[None]]
_after: list[AfterHook] = []


def after_message(hook: AfterHook) -> AfterHook:
    """Runs after every handled message with the profile as it was before, so a feature can
    follow changes made elsewhere (a new time zone moves the reminders)."""
    if hook not in _after:
        _after.append(hook)
    return hook


def after_hooks() -> list[AfterHook]:
    return list(_after)


def pending_for(kind: str) -> PendingKind | None:
    return _pending.get(kind)


def remember_buttons(ctx: "Context", replies: list[Reply]) -> None:
    """Keep the newest buttons on screen with the pending state, so words can press them."""
    pending = ctx.profile.pending
    shown = next((r for r in reversed(replies) if r.buttons), None)
    if shown is None:
        if pending is not None:
            pending.pop("ask", None)
            if pending.get("kind") == CHOICE:
                ctx.clear_pending()
        return
    pending = pending if pending is not None else {"kind": CHOICE}
    pending["ask"] = {
        "text": shown.text,
        "title": shown.title,
        "buttons": [[[b.label, b.command] for b in row] for row in shown.buttons],
    }
    ctx.profile.pending = pending


def shown_question(ctx: "Context", pending: PendingState | None = None) -> Reply | None:
    """The reply whose buttons are on screen, as it was sent (from `pending`, or the profile's)."""
    ask = (pending if pending is not None else ctx.profile.pending or {}).get("ask")
    if not ask:
        return None
    rows = [[Button(label, command) for label, command in row] for row in ask.get("buttons", [])]
    return Reply(ask.get("text", ""), ask.get("title")).with_buttons(rows)


def is_question(reply: Reply) -> bool:
    """A question opens the reply ('Did you mean ...? I read ...') or ends a line ('Shall I adapt ...?');
    a plan that mentions 'Finished? /done' in passing is no question."""
    lines = reply.text.strip().splitlines() or [""]
    return "?" in lines[0] or any(line.rstrip().endswith("?") for line in lines)


def reminder_of_open_question(ctx: "Context", pending: PendingState | None, replies: list[Reply]) -> list[Reply]:
    """After handling something else, the question that is still open, asked again."""
    if not pending:
        return []
    compact = any(r.buttons for r in replies)
    kind = pending_for(pending.get("kind", ""))
    if kind is not None and kind.repeat is not None:
        return [kind.repeat(ctx, compact)]
    question = shown_question(ctx, pending)
    if question is None or compact or not is_question(question):
        return []
    return ask_again(ctx, pending, question)


ASKED_AGAIN = 2  # a buttons-only question comes back after this many other messages, then is let go


def ask_again(ctx: "Context", pending: PendingState, question: Reply) -> list[Reply]:
    """The question again after another message, twice; then it is let go, saying so (it was asked
    again after every message, ten times over if the person had moved on)."""
    first = question.text.strip().splitlines()[0] if question.text.strip() else ""
    asked = pending.get("asked_again") or {}
    times = int(asked.get("times", 0)) if asked.get("question") == first else 0  # a newer question starts at 0
    current = ctx.profile.pending
    ours = current is None or current.get("ask") == pending.get("ask")  # not a newer question the handler asked
    if times >= ASKED_AGAIN:
        if ours:
            ctx.clear_pending()
        short = first if len(first) <= 80 else first[:79] + "…"
        return [Reply(f'I\'ll stop asking "{short}": nothing was stored or changed by it.')]
    if ours:
        ctx.profile.pending = {
            **{k: v for k, v in pending.items() if k != "ask"},
            "asked_again": {"question": first, "times": times + 1},
        }
    return [question]


def text_handlers() -> list[TextHandler]:
    return list(_text)
