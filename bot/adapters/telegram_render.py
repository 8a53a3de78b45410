"""Core replies as Telegram messages: HTML with escaped text, inline keyboards, 4096-char chunks."""

from __future__ import annotations

import hashlib
import html
from dataclasses import dataclass

from telegram import InlineKeyboardButton, InlineKeyboardMarkup
from telegram.constants import InlineKeyboardButtonLimit, MessageLimit

from bot.adapters.text_split import split_text
from core.domain import Reply

MAX_TEXT = MessageLimit.MAX_TEXT_LENGTH
MAX_CALLBACK_BYTES = InlineKeyboardButtonLimit.MAX_CALLBACK_DATA
LONG_CALLBACK_PREFIX = "cb:"


@dataclass(frozen=True)
class Chunk:
    html: str
    markup: InlineKeyboardMarkup | None = None


class CallbackBook:
    """Telegram allows 64 bytes of callback data; longer button commands get a short key.

    The key is a hash of the command, so the same button always gets the same key;
    the mapping lives in memory, and an unknown key after a restart gets a friendly answer.
    """

    def __init__(self) -> None:
        self._commands: dict[str, str] = {}

    def data_for(self, command: str) -> str:
        if len(command.encode()) <= MAX_CALLBACK_BYTES:
            return command
        key = LONG_CALLBACK_PREFIX + hashlib.sha1(command.encode()).hexdigest()[:16]
        self._commands[key] = command
        return key

    def command_for(self, data: str) -> str | None:
        if data.startswith(LONG_CALLBACK_PREFIX):
            return self._commands.get(data)
        return data


def _escaped_length(text: str) -> int:
    return len(html.escape(text))


def render(reply: Reply, callbacks: CallbackBook) -> list[Chunk]:
    header = f"<b>{html.escape(reply.title)}</b>\n" if reply.title else ""
    pieces = split_text(reply.text, MAX_TEXT - len(header), _escaped_length)
    chunks = [html.escape(piece) for piece in pieces]
    chunks[0] = header + chunks[0]
    markup = keyboard(reply, callbacks)
    return [Chunk(text, markup if i == len(chunks) - 1 else None) for i, text in enumerate(chunks)]


def keyboard(reply: Reply, callbacks: CallbackBook) -> InlineKeyboardMarkup | None:
    if not reply.buttons:
        return None
    rows = [
        [InlineKeyboardButton(b.label, callback_data=callbacks.data_for(b.command)) for b in row]
        for row in reply.buttons
    ]
    return InlineKeyboardMarkup(rows)
