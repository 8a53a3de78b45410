"""Everything a command handler needs for one message, in one object."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from core.domain import Incoming, Reply, UserRef
from core.library import Library
from core.ports import UnitOfWork
from core.profile import Profile


@dataclass
class Context:
    uow: UnitOfWork
    user: UserRef
    profile: Profile
    now: datetime  # aware, UTC
    library: Library
    incoming: Incoming
    forgotten: bool = False  # /forget deleted the person: nothing about them may be written back
    not_an_answer: str | None = None  # why the text did not answer the open question, if nothing else reads it
    also: list[Reply] = field(default_factory=list)  # said after whatever answers the message (see also_say)

    @property
    def local_now(self) -> datetime:
        return self.now.astimezone(self.profile.zone)

    async def save_profile(self) -> None:
        if not self.forgotten:
            await self.uow.profiles.save(self.user.id, self.profile)

    def also_say(self, replies: list[Reply]) -> None:
        """Replies for part of a message that another reader answers too: pain talk in a set log
        is heard, and the sets are still logged by the set-log reader."""
        self.also.extend(replies)

    def set_pending(self, kind: str, **state: object) -> None:
        self.profile.pending = {"kind": kind, **state}

    def clear_pending(self) -> None:
        self.profile.pending = None
