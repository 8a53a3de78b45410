"""Core replies as Discord messages: embeds for titled replies, plain content otherwise,
buttons as a view whose custom ids are the commands, files as attachments, split to fit."""

import io
from typing import Any

import discord

from core.domain import Reply

MAX_CONTENT = 2000
MAX_EMBED_DESCRIPTION = 4096
MAX_CUSTOM_ID = 100
MAX_LABEL = 80


def chunks(text: str, limit: int) -> list[str]:
    """Split on line breaks; a single overlong line is cut."""
    pieces, current = [], ""
    for line in text.split("\n"):
        while len(line) > limit:
            if current:
                pieces.append(current)
                current = ""
            pieces.append(line[:limit])
            line = line[limit:]
        candidate = f"{current}\n{line}" if current else line
        if len(candidate) > limit:
            pieces.append(current)
            current = line
        else:
            current = candidate
    pieces.append(current)
    return [p for p in pieces if p] or [""]


def view_for(reply: Reply) -> discord.ui.View | None:
    if not reply.buttons:
        return None
    view = discord.ui.View(timeout=None)
    for row_number, row in enumerate(reply.buttons[:5]):
        for button in row[:5]:
            view.add_item(discord.ui.Button(label=button.label[:MAX_LABEL], custom_id=button.command[:MAX_CUSTOM_ID],
                                            style=discord.ButtonStyle.secondary, row=row_number))
    return view


def messages(reply: Reply) -> list[dict[str, Any]]:
    """Keyword arguments for each send; the view and the file go with the last one."""
    if reply.title:
        parts = chunks(reply.text, MAX_EMBED_DESCRIPTION)
        sends = [{"embed": discord.Embed(title=reply.title[:256] if i == 0 else None, description=part,
                                         colour=discord.Colour.from_rgb(194, 24, 91))} for i, part in enumerate(parts)]
    else:
        sends = [{"content": part} for part in chunks(reply.text, MAX_CONTENT)]
    view = view_for(reply)
    if view is not None:
        sends[-1]["view"] = view
    if reply.attachment is not None:
        sends[-1]["file"] = discord.File(io.BytesIO(reply.attachment.data), filename=reply.attachment.filename)
    return sends
