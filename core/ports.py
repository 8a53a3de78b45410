"""What the core needs from storage, as protocols; bot/storage implements them.

Keeping these here lets the core be read (and unit-tested) without knowing
about SQL, and lets a feature add a repository without touching the others.
"""

from __future__ import annotations

from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import Protocol

from core.domain import TrainingDay, UserRef
from core.history import LoggedSet, PainNote
from core.pain.reports import PainReport
from core.profile import Profile
from core.reminders import ReminderRow
from core.setlog.entries import LoggedEntry, NewEntry, SetRecord


@dataclass(frozen=True)
class ReadAhead:
    """What a command will read of the person's history, declared up front so storage can read it
    with the person, in the same query (a message that only reads then costs one round trip).

    Each window is (first, last): local days relative to the person's today, both included, as the
    command will ask for them through ProgressRepo (their time zone is not known before the person is
    read, so storage widens the windows by a day each side). Declare it only for commands that do not
    write sets or pain before they read them: the reads are served from what was read ahead.
    """

    sets: tuple[int, int] | None = None  # ProgressRepo.sets_between
    training_dates: tuple[int, int] | None = None  # ProgressRepo.training_dates
    pain: tuple[int, int] | None = None  # ProgressRepo.pain_between, of these local days


class UserRepo(Protocol):
    async def get_or_create(
        self,
        platform: str,
        platform_user_id: str,
        chat_id: str,
        display_name: str,
        now: datetime,
        message_key: str | None = None,
        ahead: ReadAhead | None = None,
    ) -> UserRef:
        """The message's key lets storage read, with the person, what it stored from this message
        before (SetLogRepo.entry_ids_for_message), so a set log's duplicate check costs no query;
        `ahead` what the message's command will read of their history."""
        ...

    async def get(self, user_id: int) -> UserRef | None: ...

    async def mark_unreachable(self, user_id: int, when: datetime | None) -> None: ...


class ProfileRepo(Protocol):
    async def get(self, user_id: int) -> Profile: ...

    async def get_many(self, user_ids: list[int]) -> dict[int, Profile]: ...

    async def save(self, user_id: int, profile: Profile) -> None: ...


class SessionRepo(Protocol):
    """Training sessions: one per user and local day."""

    async def for_day(self, user_id: int, local_date: date) -> TrainingDay | None: ...

    async def start(
        self, user_id: int, local_date: date, program_id: str, day_index: int, now: datetime
    ) -> TrainingDay: ...

    async def complete(self, session_id: int, now: datetime) -> None: ...

    async def reopen(self, session_id: int) -> None: ...

    async def last_before(self, user_id: int, local_date: date) -> TrainingDay | None:
        """The latest session on a day before `local_date`."""
        ...

    async def repin(self, session_id: int, program_id: str, day_index: int) -> TrainingDay: ...


class ProgressRepo(Protocol):
    """Read-only history for /week, /progress and /export; dates are the person's local dates."""

    async def sets_between(self, user_id: int, first: date, last: date) -> list[LoggedSet]: ...

    async def sets_for_exercise(self, user_id: int, exercise_id: str) -> list[LoggedSet]: ...

    async def all_sets(self, user_id: int) -> list[LoggedSet]: ...

    async def training_dates(self, user_id: int, first: date, last: date) -> set[date]:
        """Local dates with a completed session or at least one logged set."""
        ...

    async def pain_between(self, user_id: int, start: datetime, end: datetime) -> list[PainNote]: ...


class PrivacyRepo(Protocol):
    async def forget(self, user_id: int) -> int:
        """Delete every row about the person, the user row last; returns how many rows went."""
        ...


class SetLogRepo(Protocol):
    async def add(self, user_id: int, new: NewEntry) -> int: ...

    async def entry_ids_for_message(self, user_id: int, message_key: str) -> list[int]: ...

    async def delete(self, user_id: int, entry_ids: list[int]) -> None: ...

    async def recent(self, user_id: int, *, exercise_id: str | None = None, limit: int = 10) -> list[LoggedEntry]:
        """Newest first."""
        ...

    async def recent_per_exercise(
        self, user_id: int, exercise_ids: list[str], per_exercise: int
    ) -> dict[str, list[LoggedEntry]]:
        """Newest first within each exercise."""
        ...

    async def recent_and_bests(
        self, user_id: int, exercise_id: str, limit: int
    ) -> tuple[list[LoggedEntry], list[SetRecord]]:
        """The exercise's newest entries (newest first), and its heaviest work set per rep count
        (warm-ups left out): what a new log is compared with and records are judged against."""
        ...

    async def exercises_in_session(self, user_id: int, session_id: int) -> set[str]: ...

    async def undo_done(self, user_id: int, message_key: str, now: datetime) -> bool:
        """True if this /undo message was carried out before; otherwise remembers it."""


class PainRepo(Protocol):
    async def add(
        self,
        user_id: int,
        area: str,
        severity: str,
        status: str,
        now: datetime,
        checkin_due_at: datetime | None,
        expires_at: datetime | None,
    ) -> PainReport: ...

    async def get(self, user_id: int, report_id: int) -> PainReport | None: ...

    async def current(self, user_id: int, now: datetime) -> list[PainReport]:
        """Not cleared and not expired (a referral never expires), oldest first."""
        ...

    async def update(self, user_id: int, report_id: int, **changes: object) -> None: ...

    async def clear(self, user_id: int, report_ids: list[int], now: datetime) -> None: ...


class ReminderRepo(Protocol):
    async def for_user(self, user_id: int) -> dict[str, ReminderRow]: ...

    async def save(self, user_id: int, kind: str, weekdays: tuple[str, ...], **fields: object) -> ReminderRow:
        """Create or update the person's reminder of this kind (it follows the profile's time zone)."""
        ...


class DeliveryStatus(StrEnum):
    """A scheduled message's way through the ledger: claimed -> sending -> an outcome."""

    CLAIMED = "claimed"  # nothing has left; a dead worker's claim is taken over after its lease
    SENDING = "sending"  # recorded just before the one request that may reach the platform
    SENT = "sent"
    UNCERTAIN = "uncertain"  # it may have arrived (timeout, or the worker died while sending): never repeated
    FAILED = "failed"
    UNREACHABLE = "unreachable"
    NOTHING = "nothing"  # nothing worth sending (already trained today)
    STALE = "stale"  # too late to be useful (after downtime)
    NO_ADAPTER = "no_adapter"


@dataclass(frozen=True)
class Claim:
    delivery_id: int
    reminder_id: int | None  # None for a pain check-in
    user_id: int
    kind: str  # a reminder kind, or PAIN_CHECKIN
    slot: datetime
    pain_report_id: int | None = None


PAIN_CHECKIN = "pain_checkin"


class DeliveryLedger(Protocol):
    """Exactly-once delivery of reminders: one row per reminder and slot (the scheduler's side)."""

    async def claim_due(self, now: datetime, platforms: list[str], limit: int) -> tuple[int, list[Claim]]:
        """Claim up to `limit` due reminders of these platforms and advance them; returns how many
        rows were looked at and the fresh claims (late ones are recorded stale)."""
        ...

    async def reclaim_abandoned(self, now: datetime, platforms: list[str]) -> list[Claim]:
        """Take over claims whose lease ran out; ones left "sending" become "uncertain"."""
        ...

    async def mark_sending(self, delivery_id: int, at: datetime | None = None) -> bool:
        """True if this worker still holds the claim and may send now; `at` renews its lease."""
        ...

    async def release(self, delivery_id: int) -> None:
        """Nothing left (refused before sending, or 429): claimable again at once."""
        ...

    async def record(self, delivery_id: int, status: DeliveryStatus, at: datetime) -> None: ...

    async def claim_checkins(
        self, now: datetime, platforms: list[str], checkin_days: dict[str, int], limit: int
    ) -> list[Claim]:
        """Due pain check-ins, each with a ledger row, their next check-in moved on."""
        ...


class UnitOfWork(Protocol):
    # Read-only properties: a store's unit of work holds its own repository classes (a protocol's
    # plain attribute would demand exactly these types).
    @property
    def users(self) -> UserRepo: ...

    @property
    def profiles(self) -> ProfileRepo: ...

    @property
    def sessions(self) -> SessionRepo: ...

    @property
    def progress(self) -> ProgressRepo: ...

    @property
    def privacy(self) -> PrivacyRepo: ...

    @property
    def setlog(self) -> SetLogRepo: ...

    @property
    def pain(self) -> PainRepo: ...

    @property
    def reminders(self) -> ReminderRepo: ...

    async def commit(self) -> None: ...


class TryAgain(Exception):
    """Nothing of this unit of work was stored, and the same work done again may well succeed."""


class Conflict(TryAgain):
    """A unit of work wrote a row that another one (another worker) wrote and committed at the same
    moment: the same message delivered twice, or a day's session started by two of the person's
    messages. Doing it again sees the other's row."""


class ConnectionLost(TryAgain):
    """The database connection broke before the unit of work committed (a restart, a failover, a
    proxy that drops idle connections); the store's next unit of work has a new one."""


class OutcomeUnknown(Exception):
    """The database connection broke while the commit was in flight: the database may or may not
    have committed, and nothing on this side can tell which. Doing the work again could do it twice
    (a second /undo), and saying "nothing was saved" could make the person log a set twice."""


class Store(Protocol):
    def unit_of_work(self) -> AbstractAsyncContextManager[UnitOfWork]:
        """Raises (from the body) Conflict when a write met another worker's committed row,
        ConnectionLost when the connection broke before the commit, and OutcomeUnknown when it broke
        during the commit."""
        ...
