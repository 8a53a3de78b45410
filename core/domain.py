"""Value types shared by every part of the coaching core.

They are frozen dataclasses so that catalog and program data loaded once at
start can be handed around freely without anyone changing them by accident.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum


class LoadType(StrEnum):
    WEIGHTED = "weighted"
    BODYWEIGHT = "bodyweight"
    BAND = "band"
    TIMED = "timed"


class Block(StrEnum):
    """The order of a glute session; programs list their items in this order."""

    ACTIVATION = "activation"
    MAIN = "main"
    SINGLE_LEG = "single_leg"
    ABDUCTION = "abduction"
    MOBILITY = "mobility"


BLOCK_TITLES: dict[Block, str] = {
    Block.ACTIVATION: "Warm-up activation",
    Block.MAIN: "Main lifts",
    Block.SINGLE_LEG: "Single-leg work",
    Block.ABDUCTION: "Abduction",
    Block.MOBILITY: "Mobility",
}


@dataclass(frozen=True)
class Exercise:
    id: str
    name: str
    aliases: tuple[str, ...]
    pattern: str
    muscles: tuple[str, ...]
    equipment: tuple[str, ...]
    load_type: LoadType
    tags: frozenset[str]
    cue: str
    per_side: bool = False
    increment_kg: float = 2.5


@dataclass(frozen=True)
class PlannedExercise:
    """One line of a program day: what to do and how much."""

    exercise_id: str
    block: Block
    sets: int
    reps_min: int | None = None
    reps_max: int | None = None
    seconds: int | None = None
    rest_s: int = 60

    def dose(self) -> str:
        """Human text such as '3 x 8-12' or '2 x 30 s'."""
        if self.seconds:
            return f"{self.sets} x {self.seconds} s"
        if self.reps_min == self.reps_max or self.reps_max is None:
            return f"{self.sets} x {self.reps_min}"
        return f"{self.sets} x {self.reps_min}-{self.reps_max}"


@dataclass(frozen=True)
class ProgramDay:
    title: str
    items: tuple[PlannedExercise, ...]


@dataclass(frozen=True)
class Program:
    id: str
    name: str
    place: str  # "home" or "gym"
    level: str
    days_per_week: int
    default_weekdays: tuple[str, ...]
    days: tuple[ProgramDay, ...]
    summary: str
    source: str
    weekly_glute_sets: int = 0
    equipment: frozenset[str] = frozenset()  # what it needs besides a bench, a box and a mat

    def wrap(self, index: int) -> int:
        """The days rotate: after the last comes the first again (and a stored index from a
        longer program still lands on a day)."""
        return index % len(self.days)

    def day_at(self, index: int) -> ProgramDay:
        return self.days[self.wrap(index)]


@dataclass(frozen=True)
class Button:
    """A choice; pressing it is the same as sending `command` as a message."""

    label: str
    command: str


@dataclass(frozen=True)
class Attachment:
    filename: str
    data: bytes
    mime: str

    @property
    def is_image(self) -> bool:
        return self.mime.startswith("image/")


@dataclass(frozen=True)
class Reply:
    """What the core answers; each adapter renders it in its own way.

    `private` marks replies that carry personal data, so adapters in group
    chats or servers send them only to the person (DM or ephemeral).
    """

    text: str
    title: str | None = None
    buttons: tuple[tuple[Button, ...], ...] = ()
    attachment: Attachment | None = None
    private: bool = True

    def with_buttons(self, rows: list[list[Button]]) -> "Reply":
        return Reply(self.text, self.title, tuple(tuple(r) for r in rows), self.attachment, self.private)


@dataclass(frozen=True)
class Incoming:
    """A message from a person, already stripped of platform detail.

    `message_key` identifies the platform message (e.g. 'tg:123:456') so that
    a message delivered twice is handled once and an edit updates its log.
    """

    platform: str
    user_id: str
    chat_id: str
    text: str
    display_name: str = ""
    message_key: str | None = None
    edited: bool = False
    is_private: bool = True
    addressed: bool = False  # in a group, the message mentions the bot ('@bot hip thrust 3x10 @ 60kg')


@dataclass
class UserRef:
    """The stored identity the core works with after an Incoming is resolved."""

    id: int
    platform: str
    platform_user_id: str
    chat_id: str
    display_name: str = ""
    unreachable_at: datetime | None = None  # when a send last found the chat gone (blocked, deleted)


@dataclass
class TrainingDay:
    """A day's session; completing one moves the program rotation on."""

    id: int
    local_date: date
    program_id: str
    day_index: int
    completed_at: datetime | None = None
