"""The one declaration of every command.

Feature modules declare their commands with `@command(...)`; `/help`, the
Telegram command menu, Discord's slash commands and the example tests are all
derived from this registry, so a command cannot exist on one platform only.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import TYPE_CHECKING, Awaitable, Callable

from core.domain import Reply

if TYPE_CHECKING:
    from core.context import Context

Handler = Callable[["Context", str], Awaitable[list[Reply]]]

FEATURE_MODULES = (
    "core.features.help",
    "core.features.onboarding",
    "core.features.settings",
    "core.features.today",
    "core.features.setlog",
    "core.features.pain",
    "core.features.reminders",
    "core.features.week",
    "core.features.progress",
    "core.features.export",
    "core.features.forget",
    "core.features.intents",
)


@dataclass(frozen=True)
class CommandSpec:
    name: str
    summary: str
    handler: Handler
    syntax: str = ""
    details: str = ""
    examples: tuple[str, ...] = ()
    personal: bool = True  # replies hold personal data: never post them publicly in a group

    @property
    def usage(self) -> str:
        return f"/{self.name} {self.syntax}".strip()


_REGISTRY: dict[str, CommandSpec] = {}


def command(name: str, summary: str, *, syntax: str = "", details: str = "",
            examples: tuple[str, ...] = (), personal: bool = True) -> Callable[[Handler], Handler]:
    if not (1 <= len(summary) <= 100):
        raise ValueError(f"/{name}: a summary must fit Discord's 100 characters")

    def register(handler: Handler) -> Handler:
        if name in _REGISTRY and _REGISTRY[name].handler is not handler:
            raise ValueError(f"/{name} is declared twice")
        _REGISTRY[name] = CommandSpec(name, summary, handler, syntax, details, tuple(examples), personal)
        return handler

    return register


def all_commands() -> list[CommandSpec]:
    """Every declared command, in declaration order (the order menus show)."""
    for module in FEATURE_MODULES:
        importlib.import_module(module)
    return list(_REGISTRY.values())


def find(name: str) -> CommandSpec | None:
    all_commands()
    return _REGISTRY.get(name.lower())
