"""Pain reports (core.ports.PainRepo). Expired and cleared reports stay for /week's history."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ColumnElement, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.storage import models
from core.pain.reports import REFERRED, PainReport

Report = models.PainReport
REPORTS = Report.__table__
REPORT_COLUMNS = ("id", "area", "severity", "status", "reported_at", "checkin_due_at", "expires_at", "red_flags")


def is_current(now) -> ColumnElement[bool]:
    """Not cleared and not expired. A referral never expires (even one stored with an expiry by an
    older version): only the clinician question clears it."""
    return REPORTS.c.cleared_at.is_(None) & or_(
        REPORTS.c.expires_at.is_(None), REPORTS.c.expires_at > now, REPORTS.c.status == REFERRED
    )


def as_report(row, prefix: str = "") -> PainReport:
    values = [getattr(row, prefix + name) for name in REPORT_COLUMNS]
    values[-1] = tuple(values[-1] or ())
    return PainReport(*values)


class SqlPainRepo:
    def __init__(self, db: AsyncSession) -> None:
        self._db = db
        self._current: dict[tuple[int, datetime], list[PainReport]] = {}  # this unit of work's reads

    def loaded(self, user_id: int, now: datetime, reports: list[PainReport]) -> None:
        """Current reports read with the person's row (core.ports: one read per message)."""
        self._current[(user_id, now)] = reports

    async def add(
        self,
        user_id: int,
        area: str,
        severity: str,
        status: str,
        now: datetime,
        checkin_due_at: datetime | None,
        expires_at: datetime | None,
    ) -> PainReport:
        self._current.clear()
        row = Report(
            user_id=user_id,
            area=area,
            severity=severity,
            status=status,
            reported_at=now,
            checkin_due_at=checkin_due_at,
            expires_at=expires_at,
        )
        self._db.add(row)
        await self._db.flush()
        return as_report(row)

    async def get(self, user_id: int, report_id: int) -> PainReport | None:
        row = await self._db.get(Report, report_id)
        return as_report(row) if row is not None and row.user_id == user_id else None

    async def current(self, user_id: int, now: datetime) -> list[PainReport]:
        """Not cleared and not expired (see is_current), oldest first."""
        if (user_id, now) not in self._current:
            query = (
                select(Report).where(Report.user_id == user_id, is_current(now)).order_by(Report.reported_at, Report.id)
            )
            self._current[(user_id, now)] = [as_report(r) for r in (await self._db.execute(query)).scalars()]
        return list(self._current[(user_id, now)])

    async def update(self, user_id: int, report_id: int, **changes) -> None:
        self._current.clear()
        row = await self._db.get(Report, report_id)
        if row is not None and row.user_id == user_id:
            for name, value in changes.items():
                setattr(row, name, list(value) if name == "red_flags" else value)

    async def clear(self, user_id: int, report_ids: list[int], now: datetime) -> None:
        for report_id in report_ids:
            await self.update(user_id, report_id, cleared_at=now)
