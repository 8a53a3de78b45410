"""Tables. Every change here needs an Alembic revision in migrations/versions.

All timestamps are timezone-aware UTC (`UtcDateTime`); local dates and times
(a training day, a reminder at 07:30) are stored as the person sees them,
together with their zone, and converted only at the edges.
"""

from __future__ import annotations

from datetime import date, datetime, timezone

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    TypeDecorator,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UtcDateTime(TypeDecorator):
    """Stores aware datetimes as UTC; SQLite drops the zone, so put it back on read."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(timezone.utc)

    def process_result_value(self, value: datetime | None, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=timezone.utc)
        return value.astimezone(timezone.utc)


class CommaList(TypeDecorator):
    """A short list of plain words (weekdays, equipment, advice ids) stored as "mon,thu":
    the one place that list is encoded and decoded. An empty list is stored as NULL."""

    impl = String
    cache_ok = True

    def process_bind_param(self, value: tuple[str, ...] | list[str] | None, dialect) -> str | None:
        if isinstance(value, str):  # "mon,thu" would be stored as "m,o,n,,,t,h,u"
            raise TypeError(f"CommaList takes a tuple of words, not the string {value!r}")
        return ",".join(value or ()) or None

    def process_result_value(self, value: str | None, dialect) -> tuple[str, ...]:
        return tuple(word for word in (value or "").split(",") if word)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


def table_of(model: type[Base]) -> Table:
    """A model's table, typed as a Table (`__table__` is typed as any FROM clause, which
    insert() and update() do not accept)."""
    return Base.metadata.tables[model.__tablename__]


class User(Base):
    """One chat identity; the same person on two platforms is two users."""

    __tablename__ = "users"
    __table_args__ = (UniqueConstraint("platform", "platform_user_id", name="uq_users_platform_identity"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    platform: Mapped[str] = mapped_column(String(16))
    platform_user_id: Mapped[str] = mapped_column(String(64))
    chat_id: Mapped[str] = mapped_column(String(64))
    display_name: Mapped[str] = mapped_column(String(128), default="")
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    unreachable_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)


class Profile(Base):
    """What onboarding asks and settings change, plus the conversation state."""

    __tablename__ = "profiles"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    experience: Mapped[str | None] = mapped_column(String(16), nullable=True)
    place: Mapped[str | None] = mapped_column(String(8), nullable=True)
    equipment: Mapped[tuple[str, ...]] = mapped_column(CommaList(64), nullable=True)  # core.gear
    form_notes: Mapped[tuple[str, ...]] = mapped_column(CommaList(128), nullable=True)  # advice ids
    program_id: Mapped[str | None] = mapped_column(String(32), nullable=True)
    weekdays: Mapped[tuple[str, ...]] = mapped_column(CommaList(32), nullable=True)
    timezone: Mapped[str] = mapped_column(String(64), default="UTC")
    units: Mapped[str] = mapped_column(String(2), default="kg")
    reminder_time: Mapped[str | None] = mapped_column(String(5), nullable=True)
    onboarded_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    completed_sessions: Mapped[int] = mapped_column(Integer, default=0)
    quiet_start: Mapped[str | None] = mapped_column(String(5), nullable=True)
    quiet_end: Mapped[str | None] = mapped_column(String(5), nullable=True)
    paused_until: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    pending: Mapped[dict | None] = mapped_column(JSON, nullable=True)


class TrainingSession(Base):
    """A day's training; the rotation moves on when one is completed."""

    __tablename__ = "training_sessions"
    __table_args__ = (UniqueConstraint("user_id", "local_date", name="uq_training_sessions_user_day"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    local_date: Mapped[date] = mapped_column(Date)
    program_id: Mapped[str] = mapped_column(String(32))
    day_index: Mapped[int] = mapped_column(Integer)
    started_at: Mapped[datetime] = mapped_column(UtcDateTime)
    completed_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)


class LogEntry(Base):
    """One logged exercise line ("hip thrust 3x10 @ 60kg"); its sets are rows of SetLog.

    (user_id, message_key, line_no) is unique so a message delivered twice is
    stored once, and an edited message finds the entries it must update.
    """

    __tablename__ = "log_entries"
    __table_args__ = (
        UniqueConstraint("user_id", "message_key", "line_no", name="uq_log_entries_message_line"),
        Index("ix_log_entries_user_exercise_time", "user_id", "exercise_id", "logged_at"),
        Index("ix_log_entries_user_time", "user_id", "logged_at"),
        Index("ix_log_entries_session", "session_id"),  # today's logged exercises, read with every message
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    session_id: Mapped[int | None] = mapped_column(
        ForeignKey("training_sessions.id", ondelete="SET NULL"), nullable=True
    )
    exercise_id: Mapped[str] = mapped_column(String(64))
    custom_name: Mapped[str | None] = mapped_column(String(128), nullable=True)
    unit: Mapped[str] = mapped_column(String(2), default="kg")
    raw_text: Mapped[str] = mapped_column(Text, default="")
    message_key: Mapped[str] = mapped_column(String(128))
    line_no: Mapped[int] = mapped_column(Integer, default=0)
    logged_at: Mapped[datetime] = mapped_column(UtcDateTime)
    local_date: Mapped[date] = mapped_column(Date)


class SetLog(Base):
    __tablename__ = "set_logs"
    __table_args__ = (Index("ix_set_logs_entry", "entry_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    entry_id: Mapped[int] = mapped_column(ForeignKey("log_entries.id", ondelete="CASCADE"))
    set_no: Mapped[int] = mapped_column(Integer)
    reps: Mapped[int | None] = mapped_column(Integer, nullable=True)
    load_kg: Mapped[float | None] = mapped_column(Float, nullable=True)
    seconds: Mapped[int | None] = mapped_column(Integer, nullable=True)
    rpe: Mapped[float | None] = mapped_column(Float, nullable=True)
    per_side: Mapped[bool] = mapped_column(Boolean, default=False)
    distance_m: Mapped[float | None] = mapped_column(Float, nullable=True)
    rir: Mapped[int | None] = mapped_column(Integer, nullable=True)
    warmup: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    band: Mapped[str | None] = mapped_column(String(24), nullable=True)
    note: Mapped[str | None] = mapped_column(Text, nullable=True)


class LogUndo(Base):
    """An /undo already carried out, by its message: the same /undo delivered twice removes one entry."""

    __tablename__ = "log_undos"
    __table_args__ = (UniqueConstraint("user_id", "message_key", name="uq_log_undos_message"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    message_key: Mapped[str] = mapped_column(String(128))
    done_at: Mapped[datetime] = mapped_column(UtcDateTime)


class PainReport(Base):
    __tablename__ = "pain_reports"
    __table_args__ = (Index("ix_pain_reports_user_status", "user_id", "status"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    area: Mapped[str] = mapped_column(String(32))
    severity: Mapped[str] = mapped_column(String(16), default="mild")
    status: Mapped[str] = mapped_column(String(16), default="screening")
    reported_at: Mapped[datetime] = mapped_column(UtcDateTime)
    checkin_due_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    expires_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    cleared_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    red_flags: Mapped[list | None] = mapped_column(JSON, nullable=True)


class Reminder(Base):
    """A recurring prompt. The database is the truth; the scheduler only asks what is due."""

    __tablename__ = "reminders"
    __table_args__ = (
        UniqueConstraint("user_id", "kind", name="uq_reminders_user_kind"),
        Index("ix_reminders_due", "enabled", "next_due_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(16))
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    local_time: Mapped[str | None] = mapped_column(String(5), nullable=True)
    weekdays: Mapped[tuple[str, ...]] = mapped_column(CommaList(32), nullable=True)
    window_start: Mapped[str | None] = mapped_column(String(5), nullable=True)
    window_end: Mapped[str | None] = mapped_column(String(5), nullable=True)
    every_minutes: Mapped[int | None] = mapped_column(Integer, nullable=True)
    next_due_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    snoozed_until: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    skip_local_date: Mapped[date | None] = mapped_column(Date, nullable=True)


class Delivery(Base):
    """The ledger that makes scheduled messages exactly-once: one row per reminder (or pain
    check-in) and slot."""

    __tablename__ = "deliveries"
    __table_args__ = (
        UniqueConstraint("reminder_id", "slot_at", name="uq_deliveries_reminder_slot"),
        UniqueConstraint("pain_report_id", "slot_at", name="uq_deliveries_pain_report_slot"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    reminder_id: Mapped[int | None] = mapped_column(ForeignKey("reminders.id", ondelete="CASCADE"), nullable=True)
    pain_report_id: Mapped[int | None] = mapped_column(ForeignKey("pain_reports.id", ondelete="CASCADE"), nullable=True)
    slot_at: Mapped[datetime] = mapped_column(UtcDateTime)
    status: Mapped[str] = mapped_column(String(16), default="claimed")
    claimed_by: Mapped[str | None] = mapped_column(String(64), nullable=True)
    claimed_at: Mapped[datetime] = mapped_column(UtcDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    detail: Mapped[str | None] = mapped_column(Text, nullable=True)
