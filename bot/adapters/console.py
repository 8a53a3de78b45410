"""The console chat: the bot with no tokens, for trying it out and for tests.

One line in, the replies out. Buttons become numbered options, and typing the
number presses the button. Works interactively and with piped input, and
exits cleanly at the end of input. The person is always the same local user,
so history persists between runs.
"""

from __future__ import annotations

import asyncio
import re
import sys
from pathlib import Path
from typing import TextIO

from core.coach import Coach
from core.domain import Attachment, Button, Incoming, Reply

PLATFORM = "console"
LOCAL_USER = "local"
PROMPT = "you> "


NUMBERED_LIST = re.compile(r"(?m)^\s*1[.)] ")
LETTERS = "abcdefghijklmnopqrstuvwxyz"


def option_keys(reply: Reply, count: int) -> list[str]:
    """Numbers choose buttons, unless the reply numbers its own list ("write the numbers that apply"):
    then letters do, so typing "1" answers the list instead of pressing the first button."""
    if NUMBERED_LIST.search(reply.text) and count <= len(LETTERS):
        return list(LETTERS[:count])
    return [str(n) for n in range(1, count + 1)]


def render(reply: Reply) -> tuple[str, list[Button]]:
    """Plain text with numbered (or lettered) options; returns the buttons in option order."""
    lines: list[str] = []
    if reply.title:
        lines.append(f"== {reply.title} ==")
    lines.append(reply.text)
    buttons = [button for row in reply.buttons for button in row]
    keys = option_keys(reply, len(buttons))
    for key, button in zip(keys, buttons):
        lines.append(f"  {key}) {button.label}")
    if buttons:
        lines.append("  (type a letter to choose)" if keys[0] == "a" else "  (type a number to choose)")
    return "\n".join(lines), buttons


class ConsoleChat:
    platform = PLATFORM

    def __init__(
        self,
        coach: Coach,
        *,
        stdin: TextIO | None = None,
        stdout: TextIO | None = None,
        attachment_dir: Path = Path("charts"),
    ) -> None:
        self.coach = coach
        self.stdin = stdin or sys.stdin
        self.stdout = stdout or sys.stdout
        self.attachment_dir = attachment_dir
        self._options: dict[str, Button] = {}
        self._line_no = 0
        self.fatal = asyncio.Event()  # never set: the console ends with its input

    @property
    def interactive(self) -> bool:
        return self.stdin.isatty()

    async def run(self) -> None:
        if self.interactive:
            self._write("Glute Up console chat. Type /help, or Ctrl-D to quit.")
        while True:
            if self.interactive:
                self.stdout.write(PROMPT)
                self.stdout.flush()
            line = await asyncio.to_thread(self._readline)
            if not line:
                return
            text = line.rstrip("\r\n")
            if not text.strip():
                continue
            await self.say(text)

    def _readline(self) -> str:
        """Bytes decoded with replacement: one undecodable byte must not end the chat."""
        buffer = getattr(self.stdin, "buffer", None)
        line = buffer.readline() if buffer is not None else self.stdin.readline()
        return line.decode("utf-8", errors="replace") if isinstance(line, bytes) else line

    async def say(self, text: str) -> None:
        """Handle one line as the local user and print the answers."""
        self._line_no += 1
        choice = text.strip().lower()
        if choice in self._options:
            text = self._options[choice].command
        incoming = Incoming(PLATFORM, LOCAL_USER, LOCAL_USER, text, display_name="you")
        await self.push(LOCAL_USER, await self.coach.handle(incoming))

    async def push(self, chat_id: str, replies: list[Reply]) -> None:
        """Print replies; only the newest buttons can be chosen by number."""
        self._options = {}
        for reply in replies:
            text, buttons = render(reply)
            if buttons:
                self._options = dict(zip(option_keys(reply, len(buttons)), buttons))
            if reply.attachment is not None:
                text += "\n" + self._save(reply.attachment)
            self._write(text)

    def _save(self, attachment: Attachment) -> str:
        self.attachment_dir.mkdir(parents=True, exist_ok=True)
        path = self.attachment_dir / attachment.filename
        path.write_bytes(attachment.data)
        return f"[saved {path.resolve()}]"

    def _write(self, text: str) -> None:
        self.stdout.write(text + "\n\n")
        self.stdout.flush()

    async def start(self) -> None:  # the console has nothing to connect
        return None

    async def stop(self) -> None:
        return None
