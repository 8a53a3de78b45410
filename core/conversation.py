"""How messages that are not commands find their handler.

Two registries, filled by feature modules:
- pending handlers answer a question the bot asked (onboarding's time zone,
  "did you mean ...?"), keyed by the `kind` stored in the profile;
- text handlers read free text in order (pain talk before set logs); the
  first that returns replies wins.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Awaitable, Callable

from core.domain import Reply
from core.ordered import Ordered

if TYPE_CHECKING:
    from core.context import Context
    from core.profile import Profile

TextHandler = Callable[["Context", str], Awaitable[list[Reply] | None]]

_pending: dict[str, TextHandler] = {}
_text: Ordered[TextHandler] = Ordered()


def pending_handler(kind: str) -> Callable[[TextHandler], TextHandler]:
    def register(handler: TextHandler) -> TextHandler:
        _pending[kind] = handler
        return handler

    return register


def text_handler(order: int) -> Callable[[TextHandler], TextHandler]:
    """Lower order runs first."""
    return _text.register(order)


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


def pending_for(kind: str) -> TextHandler | None:
    return _pending.get(kind)


def text_handlers() -> list[TextHandler]:
    return list(_text)
