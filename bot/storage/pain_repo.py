"""Pain reports (core.ports.PainRepo). Expired and cleared reports stay for /week's history."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.storage import models
from core.pain.reports import REFERRED, PainReport

Report = models.PainReport


def _report(row: models.PainReport) -> PainReport:
    return PainReport(row.id, row.area, row.severity, row.status, row.reported_at, row.checkin_due_at,
                      row.expires_at, tuple(row.red_flags or ()))


class SqlPainRepo:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, user_id: int, area: str, severity: str, status: str, now: datetime,
                  checkin_due_at: datetime | None, expires_at: datetime | None) -> PainReport:
        row = Report(user_id=user_id, area=area, severity=severity, status=status, reported_at=now,
                     checkin_due_at=checkin_due_at, expires_at=expires_at)
        self._session.add(row)
        await self._session.flush()
        return _report(row)

    async def get(self, user_id: int, report_id: int) -> PainReport | None:
        row = await self._session.get(Report, report_id)
        return _report(row) if row is not None and row.user_id == user_id else None

    async def current(self, user_id: int, now: datetime) -> list[PainReport]:
        """Not cleared and not expired, oldest first. A referral never expires (even one stored
        with an expiry by an older version): only the clinician question clears it."""
        query = (select(Report).where(Report.user_id == user_id, Report.cleared_at.is_(None),
                                      or_(Report.expires_at.is_(None), Report.expires_at > now,
                                          Report.status == REFERRED))
                 .order_by(Report.reported_at, Report.id))
        return [_report(r) for r in (await self._session.execute(query)).scalars()]

    async def update(self, user_id: int, report_id: int, **changes) -> None:
        row = await self._session.get(Report, report_id)
        if row is not None and row.user_id == user_id:
            for name, value in changes.items():
                setattr(row, name, list(value) if name == "red_flags" else value)

    async def clear(self, user_id: int, report_ids: list[int], now: datetime) -> None:
        for report_id in report_ids:
            await self.update(user_id, report_id, cleared_at=now)
