"""The one declaration of every command.

Feature modules declare their commands with `@command(...)`; `/help`, the
Telegram command menu, Discord's slash commands and the example tests are all
derived from this registry, so a command cannot exist on one platform only.
"""

from __future__ import annotations

import importlib
import keyword
import re
import tomllib
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Awaitable, Callable

from core.domain import Reply
from core.ports import ReadAhead

if TYPE_CHECKING:
    from core.context import Context

Handler = Callable[["Context", str], Awaitable[list[Reply]]]

FEATURE_MODULES = (
    "core.features.help",
    "core.features.onboarding",
    "core.features.settings",
    "core.features.today",
    "core.features.setlog",
    "core.features.progression",
    "core.features.equipment",
    "core.features.advice",
    "core.features.pain",
    "core.features.reminders",
    "core.features.week",
    "core.features.progress",
    "core.features.export",
    "core.features.forget",
    "core.features.intents",
)
PLATFORM_DATA = Path(__file__).parent / "data" / "commands.toml"
OPTION_KINDS = frozenset(
    {
        "text",
        "fixed",
        "exercise",
        "timezone",
        "pain_area",
        "pain_level",
        "units",
        "program",
        "weekdays",
        "time",
        "quiet_hours",
        "command",
    }
)


@dataclass(frozen=True)
class Option:
    """A typed input of a command (Discord slash options); values join, in order, into its text."""

    name: str
    description: str
    kind: str = "text"  # where choices come from: core/choices.py
    required: bool = False
    choices: tuple[tuple[str, str], ...] = ()  # (label, value) for kind "fixed"


@dataclass(frozen=True)
class CommandSpec:
    name: str
    summary: str
    handler: Handler
    syntax: str = ""
    details: str = ""
    examples: tuple[str, ...] = ()
    personal: bool = True  # replies hold personal data: never post them publicly in a group
    options: tuple[Option, ...] = ()
    group: bool = False  # offered in group chats' command menus
    # What its buttons send besides the typed syntax, as (form, meaning): shown by /help <command>,
    # and every button a reply carries must match the syntax or one of these forms (a test checks).
    # In a form, "a|b" is one of the words, "<x>" one word, "<x...>" the rest, "[...]" optional.
    buttons: tuple[tuple[str, str], ...] = ()
    reads: ReadAhead | None = None  # its history reads, brought along with the person's (one query)

    def text_for(self, values: dict[str, str | None]) -> str:
        """The message typed options stand for: '/pain' + {area: knee, level: mild} -> '/pain knee mild'."""
        words = [str(values.get(option.name) or "").strip() for option in self.options]
        return " ".join([f"/{self.name}", *(w for w in words if w)])

    @property
    def usage(self) -> str:
        return f"/{self.name} {self.syntax}".strip()


_REGISTRY: dict[str, CommandSpec] = {}


def command(
    name: str,
    summary: str,
    *,
    syntax: str = "",
    details: str = "",
    examples: tuple[str, ...] = (),
    personal: bool = True,
    options: tuple[Option, ...] = (),
    group: bool = False,
    buttons: tuple[tuple[str, str], ...] = (),
    reads: ReadAhead | None = None,
) -> Callable[[Handler], Handler]:
    if not (1 <= len(summary) <= 100):
        raise ValueError(f"/{name}: a summary must fit Discord's 100 characters")

    def register(handler: Handler) -> Handler:
        if name in _REGISTRY and _REGISTRY[name].handler is not handler:
            raise ValueError(f"/{name} is declared twice")
        _REGISTRY[name] = CommandSpec(
            name,
            summary,
            handler,
            syntax,
            details,
            tuple(examples),
            personal,
            tuple(options),
            group,
            tuple(buttons),
            reads,
        )
        return handler

    return register


_merged: list[CommandSpec] = []  # all_commands() as last built; rebuilt when a command is declared


def all_commands() -> list[CommandSpec]:
    """Every declared command, in the order menus show (core/data/commands.toml `menu`, then the
    rest in declaration order), with its options and group flag from the same file.

    Runs for every command message (find), so the feature modules are imported and the data
    merged once, not on every call."""
    if not _merged:
        for module in FEATURE_MODULES:
            importlib.import_module(module)
    elif len(_merged) == len(_REGISTRY):
        return list(_merged)
    options, group = platform_data()
    order = {name: rank for rank, name in enumerate(menu_order())}
    unknown = (set(options) | group | set(order)) - set(_REGISTRY)
    if unknown:
        raise ValueError(f"{PLATFORM_DATA.name} names undeclared commands: {sorted(unknown)}")
    for name, spec in _REGISTRY.items():
        if name in options and not spec.options:
            _REGISTRY[name] = spec = replace(spec, options=options[name])
        if name in group and not spec.group:
            _REGISTRY[name] = replace(spec, group=True)
    _merged[:] = sorted(_REGISTRY.values(), key=lambda spec: order.get(spec.name, len(order)))  # stable
    return list(_merged)


def one_live_question() -> frozenset[str]:
    """Commands whose newest question makes the buttons of their older ones stale."""
    with PLATFORM_DATA.open("rb") as fh:
        names = frozenset(tomllib.load(fh).get("one_live_question", ()))
    unknown = names - {spec.name for spec in all_commands()}
    if unknown:
        raise ValueError(f"{PLATFORM_DATA.name}: one_live_question names undeclared commands {sorted(unknown)}")
    return names


def about() -> dict[str, str]:
    """The bot's description and short description, shown before a person's first message."""
    with PLATFORM_DATA.open("rb") as fh:
        return dict(tomllib.load(fh).get("about", {}))


@lru_cache(maxsize=1)
def menu_order(path: Path = PLATFORM_DATA) -> tuple[str, ...]:
    """The order menus and /help show (commands.toml `menu`)."""
    with path.open("rb") as fh:
        return tuple(tomllib.load(fh).get("menu", ()))


@lru_cache(maxsize=1)
def platform_data(path: Path = PLATFORM_DATA) -> tuple[dict[str, tuple[Option, ...]], frozenset[str]]:
    with path.open("rb") as fh:
        raw = tomllib.load(fh)
    options: dict[str, list[Option]] = {}
    for entry in raw.get("option", []):
        if not re.fullmatch(r"[a-z][a-z0-9_]{0,31}", entry["name"]) or keyword.iskeyword(entry["name"]):
            raise ValueError(
                f"/{entry['command']} option {entry['name']!r}: use a lowercase word (not a Python keyword)"
            )
        if entry.get("kind", "text") not in OPTION_KINDS:
            raise ValueError(f"/{entry['command']} option {entry['name']}: unknown kind {entry.get('kind')!r}")
        if entry.get("kind") == "fixed" and not entry.get("choices"):
            raise ValueError(f"/{entry['command']} option {entry['name']}: kind fixed needs choices")
        options.setdefault(entry["command"], []).append(
            Option(
                entry["name"],
                entry["description"],
                entry.get("kind", "text"),
                bool(entry.get("required", False)),
                tuple((label, value) for label, value in entry.get("choices", ())),
            )
        )
    return {name: tuple(found) for name, found in options.items()}, frozenset(raw.get("group", ()))


def find(name: str) -> CommandSpec | None:
    if len(_merged) != len(_REGISTRY) or not _merged:
        all_commands()
    return _REGISTRY.get(name.lower())
