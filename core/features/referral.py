"""Referrals from the person's side: the referral reply, the clinician question that
alone ends one, and the return-to-training week that follows.

Split from core/features/pain.py (which finds flags and asks the safety check)
so that the rules for ending a referral live in one short module.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta, timezone

from core.context import Context
from core.conversation import pending_handler
from core.domain import Button, Reply
from core.pain.detect import normalise
from core.pain.flags import GENERAL, RedFlag
from core.pain.referral import SAME_DAY_CARE, area_name, hold_for
from core.pain.reports import ACTIVE, REFERRED, RETURNING, PainReport
from core.pain.rules import PainRules, Rule

URGENT = f"This needs same-day care: {SAME_DAY_CARE}."
UNSPECIFIED_ADVICE = (
    "You haven't said which, so I treat it as urgent. "
    + URGENT
    + "\nTap each one that applies below, so I can be precise."
)
SOON = "Please see a doctor or physiotherapist soon (within a few days, sooner if it gets worse) before training this area."
CLINICIAN_QUESTION = "Has a clinician checked this and cleared you to train?"
CLEARANCE = "pain_clearance"


def rules(ctx: Context) -> PainRules:
    return ctx.library.pain


def said(ctx: Context, kind: str, clean: str) -> bool:
    """kind: yes, no or cleared (core/data/red_flags.toml [answers])."""
    answers = rules(ctx).red_flags.answers
    patterns = {"yes": answers.yes, "no": answers.no, "cleared": answers.cleared}[kind]
    return answers.says(patterns, clean)


def referral(ctx: Context, area_id: str, flags: list[RedFlag] | None) -> Reply:
    """flags=None: the person said yes to the list without saying which, so it counts as urgent."""
    urgent = flags is None or any(flag.urgent for flag in flags)
    if flags is None:
        advice = UNSPECIFIED_ADVICE
    else:
        named = "You told me about: " + "; ".join(f.short.lower() for f in flags) + ".\n"
        advice = named + (URGENT if urgent else SOON)
    stopped = (
        "I've stopped planning any training"
        if urgent or area_id == GENERAL
        else f"I've stopped planning training for your {area_name(ctx, area_id)}"
    )
    text = (
        "I'm a training coach and can't assess this, and with what you describe it shouldn't be trained "
        "until a clinician has looked at it.\n\n"
        + advice
        + f"\n\n{stopped} until a clinician has checked you. This holds however long it takes: when they have "
        "cleared you, send /pain clear and we'll start again gently."
    )
    return Reply(text, title="Please get this checked")


async def refer(ctx: Context, report: PainReport | None, area_id: str, flag_ids: tuple[str, ...]) -> PainReport:
    """Make (or widen) the referral; it never expires, and pending check-ins wait until it is cleared."""
    if report is None:
        report = await ctx.uow.pain.add(ctx.user.id, area_id, "severe", REFERRED, ctx.now, None, None)
    await ctx.uow.pain.update(
        ctx.user.id, report.id, status=REFERRED, red_flags=flag_ids, expires_at=None, checkin_due_at=None
    )
    for other in await ctx.uow.pain.current(ctx.user.id, ctx.now):
        if other.status == ACTIVE and other.checkin_due_at is not None:
            await ctx.uow.pain.update(ctx.user.id, other.id, checkin_due_at=None)
    return report


def clinician_question(ctx: Context, referred: list[PainReport]) -> Reply:
    ids = ",".join(str(r.id) for r in referred)
    names = ", ".join(dict.fromkeys(area_name(ctx, r.area) for r in referred))
    ctx.set_pending(CLEARANCE, reports=ids)
    return Reply(
        f"Your {names} is waiting for a clinician's check. {CLINICIAN_QUESTION}", title="Before we train again"
    ).with_buttons(
        [
            [Button("Yes, a clinician cleared me", f"/pain cleared {ids}")],
            [Button("Not yet", "/pain notyet")],
        ]
    )


async def cleared(ctx: Context, ids: str) -> Reply:
    """The only way a referral ends: then a gentler return-to-training week, explained in /today."""
    week = rules(ctx).red_flags.return_week
    last_day = ctx.local_now.date() + timedelta(days=week.days - 1)  # whole local days, whatever DST does
    ends = datetime.combine(last_day + timedelta(days=1), time(), ctx.profile.zone).astimezone(timezone.utc)
    ended = []
    for report_id in ids.split(","):
        report = await ctx.uow.pain.get(ctx.user.id, int(report_id)) if report_id.isdigit() else None
        if report is None or report.status != REFERRED:
            continue
        await ctx.uow.pain.clear(ctx.user.id, [report.id], ctx.now)
        await ctx.uow.pain.add(ctx.user.id, report.area, "mild", RETURNING, ctx.now, None, ends)
        ended.append(report)
    if not ended:
        return Reply("There is no referral waiting for a clinician's check. /pain shows what is active.")
    if await hold_for(ctx) is None:  # check-ins that waited out the referral resume
        for other in await ctx.uow.pain.current(ctx.user.id, ctx.now):
            area = rules(ctx).areas.get(other.area)
            if other.status == ACTIVE and other.checkin_due_at is None and area is not None:
                await ctx.uow.pain.update(
                    ctx.user.id, other.id, checkin_due_at=ctx.now + timedelta(days=area.checkin_days)
                )
    names = ", ".join(dict.fromkeys(area_name(ctx, r.area) for r in ended))
    until = last_day.strftime("%a %d %b")
    return Reply(
        f"Good to hear a clinician has cleared your {names}. We restart gently: a return-to-training "
        f"week through {until}, with about half the hard sets and lighter loads. If anything they told you "
        "to avoid is in a workout, skip it, and tell me if symptoms come back."
    ).with_buttons([[Button("See today's plan", "/today")]])


async def not_yet(ctx: Context) -> Reply:
    hold = await hold_for(ctx)
    if hold is None:
        return Reply("Nothing is waiting for a clinician's check. /pain shows what is active.")
    return Reply("OK, it stays on hold until you tell me a clinician has cleared you.\n\n" + hold.notice(ctx))


@pending_handler(CLEARANCE)
async def clearance_typed(ctx: Context, text: str) -> list[Reply] | None:
    """The clinician question answered in words."""
    ids = str((ctx.profile.pending or {}).get("reports", ""))
    ctx.clear_pending()
    clean = normalise(text)
    if said(ctx, "no", clean):
        return [await not_yet(ctx)]
    if said(ctx, "yes", clean) or said(ctx, "cleared", clean):
        return [await cleared(ctx, ids)]
    return None


def last_day_of(ctx: Context, report: PainReport) -> str:
    """The last local day of a return week (it ends at the local midnight stored as expires_at)."""
    if report.expires_at is None:
        return "next week"
    return (report.expires_at.astimezone(ctx.profile.zone) - timedelta(minutes=1)).strftime("%a %d %b")


def return_rule(ctx: Context, report: PainReport) -> Rule:
    week = rules(ctx).red_flags.return_week
    text = week.explanation.format(until=last_day_of(ctx, report), area=area_name(ctx, report.area))
    return Rule(
        "return_to_training",
        report.area,
        (),
        text,
        "fact sheet: referral state, restart gently",
        sets_percent=week.sets_percent,
        load_note=week.load_note,
    )
