"""Test helpers shared by every suite: a settable clock and a chat driver."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from core.coach import Coach
from core.domain import Button, Incoming, Reply


class TestClock:
    """A clock the test moves by hand; always aware UTC."""

    __test__ = False

    def __init__(self, start: datetime | None = None) -> None:
        self.now = start or datetime(2026, 11, 23, 9, 0, tzinfo=timezone.utc)

    def __call__(self) -> datetime:
        return self.now

    def set_local(self, text: str, zone: str) -> None:
        """set_local('2026-03-29 07:30', 'Europe/Berlin')."""
        local = datetime.fromisoformat(text).replace(tzinfo=ZoneInfo(zone))
        self.now = local.astimezone(timezone.utc)

    def advance(self, **delta) -> None:
        self.now += timedelta(**delta)


@dataclass
class ChatDriver:
    """Talk to the coach as one person: `await chat.send('/today')`."""

    coach: Coach
    platform: str = "test"
    user_id: str = "1001"
    display_name: str = "Ana"
    replies: list[Reply] = field(default_factory=list)
    _counter: int = 0

    async def send(self, text: str, *, message_key: str | None = None, edited: bool = False) -> list[Reply]:
        self._counter += 1
        key = message_key or f"{self.platform}:{self.user_id}:{self._counter}"
        incoming = Incoming(
            self.platform, self.user_id, self.user_id, text, self.display_name, message_key=key, edited=edited
        )
        self.replies = await self.coach.handle(incoming)
        return self.replies

    async def press(self, label: str) -> list[Reply]:
        """Press the button with this label (or label start) in the last replies."""
        return await self.send(self.button(label).command)

    def button(self, label: str) -> Button:
        for reply in self.replies:
            for row in reply.buttons:
                for button in row:
                    if button.label.lower().startswith(label.lower()):
                        return button
        labels = [b.label for r in self.replies for row in r.buttons for b in row]
        raise AssertionError(f"no button {label!r}; buttons: {labels}")

    @property
    def text(self) -> str:
        return "\n\n".join(((r.title + "\n") if r.title else "") + r.text for r in self.replies)
