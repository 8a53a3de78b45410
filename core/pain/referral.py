"""The referral as a state other features respect: /today, /week, reminders.

A referral does not expire; it ends only when the person says a clinician has
cleared them (fact sheet, "Referral state"). While it is open, nothing may
nudge the person back into training, so every feature that prompts exercise
asks `hold_for` first.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from core.pain.flags import GENERAL
from core.pain.reports import REFERRED, PainReport

if TYPE_CHECKING:
    from core.context import Context

UNSPECIFIED = "unspecified"  # "yes" to the safety check without saying which: treated as urgent
SAME_DAY_CARE = "go to an emergency department or urgent care today, or call your local emergency number now"


def area_name(ctx: Context, area_id: str) -> str:
    area = ctx.library.pain.areas.get(area_id)
    if area is not None:
        return area.name
    screen = ctx.library.pain.red_flags.screen_for(area_id)
    return screen.name if screen is not None else area_id.replace("_", " ")


def is_urgent(ctx: Context, report: PainReport) -> bool:
    """Same-day care: any urgent flag, a yes that never said which, or a flag this version does not know."""
    flags = ctx.library.pain.red_flags.flags
    return any(name not in flags or flags[name].urgent for name in report.red_flags) or not report.red_flags


@dataclass(frozen=True)
class Hold:
    """Why training waits: the open referrals, and whether any needs same-day care."""

    reports: tuple[PainReport, ...]
    urgent: bool
    names: str

    def since(self, ctx: Context) -> str:
        return min(r.reported_at for r in self.reports).astimezone(ctx.profile.zone).strftime("%a %d %b")

    def what(self) -> str:
        return "any training" if self.urgent else f"training for your {self.names}"

    def notice(self, ctx: Context) -> str:
        """What /today says, every time, until the person is cleared."""
        if self.urgent:
            return (
                f"Since {self.since(ctx)} you have signs that need same-day care: if you haven't been seen yet, "
                f"{SAME_DAY_CARE}. No training at all until a clinician has checked you. "
                "When they have cleared you, send /pain clear and we'll restart gently."
            )
        return (
            f"Your {self.names}: please get it checked by a doctor or physiotherapist before training it "
            f"(open since {self.since(ctx)}). No workout for it until a clinician has cleared you; "
            "then send /pain clear and we'll restart gently."
        )

    def waiting(self) -> str:
        """Why a reminder or a target waits."""
        return (
            f"They wait while {self.what()} is on hold until a clinician has checked you; "
            "they start again on their own once you tell me you're cleared (/pain clear)."
        )


async def hold_for(ctx: Context) -> Hold | None:
    return hold_from(ctx, await ctx.uow.pain.current(ctx.user.id, ctx.now))


def hold_from(ctx: Context, current: list[PainReport]) -> Hold | None:
    referred = [r for r in current if r.status == REFERRED]
    if not referred:
        return None
    names = ", ".join(dict.fromkeys(area_name(ctx, r.area) for r in referred if r.area != GENERAL)) or "symptoms"
    return Hold(tuple(referred), any(is_urgent(ctx, r) for r in referred), names)
