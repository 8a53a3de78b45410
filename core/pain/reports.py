"""A pain report as the core sees it. Statuses: screening (red-flag questions
asked), active (the plan adapts), referred (a red flag: no coaching of that area
until a clinician has cleared the person; never expires), returning (the gentle
week after clearance)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

SCREENING, ACTIVE, REFERRED, RETURNING = "screening", "active", "referred", "returning"


@dataclass(frozen=True)
class PainReport:
    id: int
    area: str
    severity: str
    status: str
    reported_at: datetime
    checkin_due_at: datetime | None
    expires_at: datetime | None
    red_flags: tuple[str, ...] = ()
