"""Core replies as Discord messages: embeds for titled replies, plain content otherwise,
choices as components, files as attachments, split to fit.

Nothing is cut: Discord allows 5 rows of 5 buttons and 100-character custom ids, so a
layout that does not fit is reflowed into rows of five, then turned into select menus
(25 options each), and choices that still do not fit go on extra messages; a command
longer than a custom id travels as a short key, as Telegram's callback data does.
"""

from __future__ import annotations

import hashlib
import io
import re
from collections import OrderedDict
from typing import Any, Awaitable, Callable, Mapping

import discord

from bot.adapters.text_split import split_text
from core.domain import Button, Reply

MAX_CONTENT = 2000
MAX_EMBED_DESCRIPTION = 4096
MAX_CUSTOM_ID = 100
MAX_LABEL = 80
MAX_OPTION_LABEL = 100
MAX_ROWS = 5
MAX_PER_ROW = 5
MAX_OPTIONS = 25
KEY_PREFIX = "#"
MENU_PREFIX = "menu:"
MORE_CHOICES = "More choices:"
BUTTON_TEMPLATE = re.compile(r"(?P<data>/[\s\S]*|#[0-9a-f]{20})")
MENU_TEMPLATE = re.compile(r"menu:(?P<number>\d+)")

OnChoice = Callable[[discord.Interaction, str, str], Awaitable[None]]


class ChoiceKeys:
    """Commands longer than a custom id get a short key (a hash, so the same command keeps
    its key); short commands are their own custom id and so survive a restart."""

    def __init__(self, limit: int = 50_000) -> None:
        self._commands: OrderedDict[str, str] = OrderedDict()
        self._limit = limit

    def data_for(self, command: str) -> str:
        if len(command) <= MAX_CUSTOM_ID and command.startswith("/"):
            return command
        key = KEY_PREFIX + hashlib.sha1(command.encode()).hexdigest()[:20]
        self._commands[key] = command
        self._commands.move_to_end(key)
        while len(self._commands) > self._limit:
            self._commands.popitem(last=False)
        return key

    def command_for(self, data: str) -> str | None:
        if data.startswith(KEY_PREFIX):
            return self._commands.get(data)
        return data


def choice_items(on_choice: OnChoice) -> tuple[type, type]:
    """Dynamic items that route any press or pick to `on_choice(interaction, data, label)`.

    discord.py matches them by custom id, so they work on messages sent before a restart,
    and a view made only of them is not kept in the client's view store."""

    class ChoiceButton(discord.ui.DynamicItem[discord.ui.Button], template=BUTTON_TEMPLATE):
        @classmethod
        async def from_custom_id(cls, interaction, item, match, /):
            return cls(item)

        async def callback(self, interaction: discord.Interaction) -> None:
            await on_choice(interaction, self.item.custom_id or "", self.item.label or "")  # set by the template

    class ChoiceMenu(discord.ui.DynamicItem[discord.ui.Select], template=MENU_TEMPLATE):
        @classmethod
        async def from_custom_id(cls, interaction, item, match, /):
            return cls(item)

        async def callback(self, interaction: discord.Interaction) -> None:
            data: Mapping[str, object] = interaction.data or {}  # a select's payload carries "values"
            values = data.get("values")
            value = values[0] if isinstance(values, list) and values and isinstance(values[0], str) else ""
            label = next((o.label for o in self.item.options if o.value == value), "")
            await on_choice(interaction, value, label)

    return ChoiceButton, ChoiceMenu


def _short(label: str, limit: int) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"


def layouts(rows: tuple[tuple[Button, ...], ...]) -> list[list[list[Button]] | list[Button]]:
    """The reply's choices as component pages: each page is either rows of buttons (fits one
    message) or a flat list of up to 125 menu options (5 menus of 25). Every choice is kept."""
    rows = tuple(row for row in rows if row)
    flat = [button for row in rows for button in row]
    if not flat:
        return []
    long_label = any(len(b.label) > MAX_LABEL for b in flat)
    if not long_label and len(rows) <= MAX_ROWS and all(len(row) <= MAX_PER_ROW for row in rows):
        return [[list(row) for row in rows]]
    if not long_label and len(flat) <= MAX_ROWS * MAX_PER_ROW:
        return [[flat[i : i + MAX_PER_ROW] for i in range(0, len(flat), MAX_PER_ROW)]]
    page = MAX_ROWS * MAX_OPTIONS
    return [flat[i : i + page] for i in range(0, len(flat), page)]


def view_for(page, keys: ChoiceKeys, items: tuple[type, type], first_menu: int = 0) -> discord.ui.View:
    """Components for one page; menus are numbered so their custom ids stay unique."""
    button_item, menu_item = items
    view = discord.ui.View(timeout=None)
    if page and isinstance(page[0], list):
        seen: set[str] = set()
        for row_number, row in enumerate(page):
            for button in row:
                data = keys.data_for(button.command)
                if data in seen:  # Discord refuses duplicate ids; the same action twice is one button
                    continue
                seen.add(data)
                base: discord.ui.Button[discord.ui.View] = discord.ui.Button(
                    label=button.label, custom_id=data, style=discord.ButtonStyle.secondary, row=row_number
                )
                view.add_item(button_item(base))
        return view
    for offset in range(0, len(page), MAX_OPTIONS):
        options, values = [], set()
        for button in page[offset : offset + MAX_OPTIONS]:
            data = keys.data_for(button.command)
            if data in values:
                continue
            values.add(data)
            options.append(discord.SelectOption(label=_short(button.label, MAX_OPTION_LABEL), value=data))
        number = first_menu + offset // MAX_OPTIONS
        menu: discord.ui.Select[discord.ui.View] = discord.ui.Select(
            custom_id=f"{MENU_PREFIX}{number}", placeholder="Choose…", options=options
        )
        view.add_item(menu_item(menu))
    return view


def messages(reply: Reply, keys: ChoiceKeys, items: tuple[type, type]) -> list[dict[str, Any]]:
    """Keyword arguments for each send; the components go with the last text part (and, when
    they need more than one message, on extra messages after it), the file with the last one."""
    sends: list[dict[str, Any]]
    if reply.title:
        parts = split_text(reply.text, MAX_EMBED_DESCRIPTION)
        sends = [
            {
                "embed": discord.Embed(
                    title=reply.title[:256] if i == 0 else None,
                    description=part,
                    colour=discord.Colour.from_rgb(194, 24, 91),
                )
            }
            for i, part in enumerate(parts)
        ]
    else:
        sends = [{"content": part} for part in split_text(reply.text, MAX_CONTENT)]
    menus = 0
    for number, page in enumerate(layouts(reply.buttons)):
        view = view_for(page, keys, items, first_menu=menus)
        menus += sum(
            1
            for item in view.children
            if isinstance(item, discord.ui.DynamicItem) and isinstance(item.item, discord.ui.Select)
        )
        if number == 0:
            sends[-1]["view"] = view
        else:
            sends.append({"content": MORE_CHOICES, "view": view})
    if reply.attachment is not None:
        sends[-1]["file"] = discord.File(io.BytesIO(reply.attachment.data), filename=reply.attachment.filename)
    return sends
