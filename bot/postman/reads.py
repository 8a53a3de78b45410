"""What composing reminders reads, for a whole claimed chunk in one query (issue 20).

Reading each person's user, profile, pain reports and today's session one by one cost
about four queries a reminder, more than everything else in a fan-out. One statement,
built once, reads them for every person of the chunk; each person's part is handed to
the unit of work's repositories (the same hooks a chat message's one read uses), so
composing asks the database only for what this read does not cover: the history of
people who have logged sets.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import BindParameter, bindparam, select

from bot.storage import models
from bot.storage.pain_repo import REPORT_COLUMNS, REPORTS, as_report, is_current
from bot.storage.store import (
    LATEST_SESSION,
    PROFILE_FIELDS,
    PROFILES,
    SESSION_COLUMNS,
    SESSIONS,
    USERS,
    _profile_values,
    _user_ref,
)
from core.domain import TrainingDay, UserRef
from core.features.reminders import PLAIN_FIELDS
from core.pain.reports import PainReport

ENTRIES = models.LogEntry.__table__
DAYS, DAY_COLUMNS = SESSIONS, SESSION_COLUMNS  # training days, read as the per-message read does
USER_COLUMNS = ("id", "platform", "platform_user_id", "chat_id", "display_name", "unreachable_at")

_LOGGED = ENTRIES.alias("logged_today")  # exercises logged in the latest session
_EARLIER = ENTRIES.alias("any_entry")
_HAS_LOGGED = select(_EARLIER.c.id).where(_EARLIER.c.user_id == USERS.c.id).correlate(USERS).exists()

_CHUNK: BindParameter[int] = bindparam("user_ids", expanding=True)

# A row per person, or per current pain report and logged exercise of their latest session
# (usually one). Built once: compiling costs about as much as running it. The chunk's ids
# also bound the profiles (PostgreSQL otherwise hashes the whole table: 28 ms at 100,000).
CHUNK_READ = (
    select(
        *(USERS.c[name] for name in USER_COLUMNS),
        *(PROFILES.c[name].label(f"p_{name}") for name in PROFILE_FIELDS),
        PROFILES.c.user_id.label("p_user_id"),
        *(REPORTS.c[name].label(f"r_{name}") for name in REPORT_COLUMNS),
        *(DAYS.c[name].label(f"d_{name}") for name in DAY_COLUMNS),
        _LOGGED.c.exercise_id.label("d_exercise_id"),
        _HAS_LOGGED.label("has_logged"),
    )
    .select_from(
        USERS.outerjoin(PROFILES, (PROFILES.c.user_id == USERS.c.id) & PROFILES.c.user_id.in_(_CHUNK))
        .outerjoin(REPORTS, (REPORTS.c.user_id == USERS.c.id) & is_current(bindparam("now")))
        .outerjoin(DAYS, DAYS.c.id == LATEST_SESSION)
        .outerjoin(_LOGGED, (_LOGGED.c.session_id == DAYS.c.id) & (_LOGGED.c.user_id == USERS.c.id))
    )
    .where(USERS.c.id.in_(_CHUNK))
    .order_by(USERS.c.id, REPORTS.c.reported_at, REPORTS.c.id)
)


@dataclass
class Recipient:
    """One person of a chunk, as composing their messages needs them."""

    user: UserRef
    unreachable: bool
    profile: dict | None  # stored profile columns (None: no profile row yet)
    reports: list[PainReport] = field(default_factory=list)  # current, oldest first
    latest: TrainingDay | None = None
    logged: set[str] = field(default_factory=set)  # exercises logged in `latest`
    has_logged: bool = False  # any set entry ever: progression and ladders read their history

    def is_plain(self, now: datetime, default_zone: str) -> bool:
        """No current pain report, no logged set, no session today: nothing personal to read
        (core.features.reminders.compose's `plain`)."""
        if self.reports or self.has_logged:
            return False
        if self.latest is None:
            return True
        zone = (self.profile or {}).get("timezone") or default_zone
        return self.latest.local_date < now.astimezone(ZoneInfo(zone)).date()

    def plain_values(self) -> tuple | None:
        """The stored values of the fields a plain reminder depends on (None: no profile yet)."""
        return None if self.profile is None else tuple(self.profile[name] for name in PLAIN_FIELDS)

    def hand_to(self, uow, now: datetime) -> None:
        """Give the unit of work's repositories what was read, so composing does not read it again."""
        uow.profiles.loaded(self.user.id, self.profile)
        uow.pain.loaded(self.user.id, now, list(self.reports))
        uow.sessions.latest(self.user.id, self.latest, set(self.logged))


async def read_recipients(session, user_ids, now: datetime) -> dict[int, Recipient]:
    """The people of a chunk, by user id; those forgotten since their claim are missing."""
    people: dict[int, Recipient] = {}
    if not user_ids:
        return people
    result = await session.execute(CHUNK_READ, {"user_ids": sorted(set(user_ids)), "now": now})
    reports: dict[int, dict[int, PainReport]] = {}
    for row in result.all():
        person = people.get(row.id)
        if person is None:
            latest = TrainingDay(*(getattr(row, f"d_{name}") for name in DAY_COLUMNS)) if row.d_id is not None else None
            profile = _profile_values(row, "p_") if row.p_user_id is not None else None
            person = people[row.id] = Recipient(
                _user_ref(row), row.unreachable_at is not None, profile, latest=latest, has_logged=bool(row.has_logged)
            )
            reports[row.id] = {}
        if row.r_id is not None:
            reports[row.id].setdefault(row.r_id, as_report(row, "r_"))  # rows repeat per logged exercise
        if row.d_exercise_id is not None:
            person.logged.add(row.d_exercise_id)
    for user_id, found in reports.items():
        people[user_id].reports = list(found.values())
    return people
