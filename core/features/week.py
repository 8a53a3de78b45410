"""/week: this local week at a glance, so people see that showing up adds up.

Sessions done against the plan, hard glute sets against the 10-20 target,
the best set of each exercise, the streak of weeks on plan, and, when the
person reported pain this week, each day's load next to it so they can see
whether the two go together.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone

from core.commands import command
from core.context import Context
from core.domain import Reply
from core.history import LoggedSet, PainNote
from core.ports import ReadAhead
from core.pain.referral import area_name, hold_for
from core.preferences import format_weekdays
from core.progress import best_set, consistency_streak, describe_set, exercise_label, exercise_of
from core.volume import volume_rules
from core.wording import log_example, plural
from core.workout import training_weekdays

STREAK_LOOKBACK_WEEKS = 52
BEST_SETS_SHOWN = 5
LOG_HINT = "Log sets by writing them, e.g. {example}."


def week_of(day: date) -> tuple[date, date]:
    monday = day - timedelta(days=day.weekday())
    return monday, monday + timedelta(days=6)


def utc_bounds(first: date, last: date, ctx: Context) -> tuple[datetime, datetime]:
    """The UTC instants where the person's local days `first`..`last` begin and end."""
    zone = ctx.profile.zone
    start = datetime.combine(first, time(), zone).astimezone(timezone.utc)
    end = datetime.combine(last + timedelta(days=1), time(), zone).astimezone(timezone.utc)
    return start, end


# Monday..Sunday around today is within 6 days of it either side; the streak looks back a year.
@command(
    "week",
    "This week: sessions, glute sets vs target, best sets, streak",
    examples=("/week",),
    reads=ReadAhead(sets=(-6, 6), training_dates=(-6 - 7 * STREAK_LOOKBACK_WEEKS, 6), pain=(-6, 6)),
)
async def week_command(ctx: Context, args: str) -> list[Reply]:
    today = ctx.local_now.date()
    monday, sunday = week_of(today)
    weekdays = training_weekdays(ctx)
    sets = await ctx.uow.progress.sets_between(ctx.user.id, monday, sunday)
    dates = await ctx.uow.progress.training_dates(ctx.user.id, monday - timedelta(weeks=STREAK_LOOKBACK_WEEKS), sunday)
    pain = await ctx.uow.progress.pain_between(ctx.user.id, *utc_bounds(monday, sunday, ctx))
    done = sorted(d for d in dates if monday <= d <= sunday)

    hold = await hold_for(ctx)
    lines = [sessions_line(done, weekdays), glute_sets_line(ctx, sets, today == sunday)]
    if hold is not None:  # no volume targets while training waits for a clinician
        lines[1] = (
            lines[1].split(" (target")[0] + f". No targets this week: {hold.what()} waits until a clinician "
            "has checked you."
        )
    if sets:
        lines += ["", "Best sets:"] + best_sets_lines(ctx, sets)
    else:
        lines += ["", f"Nothing logged this week yet. {LOG_HINT.format(example=log_example(ctx.profile))}"]
    streak = consistency_streak(dates, monday, len(weekdays))
    lines += ["", streak_line(streak) if hold is None else "Consistency: your streak waits while you get checked."]
    if pain:
        lines += ["", "Training load and pain:"] + pain_lines(ctx, sets, pain, monday)
    title = f"Your week: {monday.strftime('%a %d %b')} - {sunday.strftime('%a %d %b')}"
    return [Reply("\n".join(lines), title=title)]


def sessions_line(done: list[date], weekdays: tuple[str, ...]) -> str:
    planned = f"{len(weekdays)} planned ({format_weekdays(weekdays)})" if weekdays else "none planned (set them: /days)"
    when = f". Trained on {', '.join(d.strftime('%a') for d in done)}" if done else ""
    return f"Sessions: {len(done)} of {planned}{when}."


def glute_sets_line(ctx: Context, sets: list[LoggedSet], week_over: bool) -> str:
    rules = volume_rules()
    count = sum(1 for s in sets if rules.is_hard_glute_set(exercise_of(ctx.library.catalog, s), bool(s.load_kg)))
    text = f"Hard glute sets: {count} (target about {rules.low}-{rules.high} a week)"
    planned = ctx.library.program(ctx.profile.program_id).weekly_glute_sets
    if planned:
        text += f"; your program plans {planned}"
    if count < rules.low:
        text += f". {rules.low - count} more to reach {rules.low}" + ("." if week_over else " this week.")
    elif count > rules.high:
        text += ". That is above the usual range: make sure you recover between sessions."
    else:
        text += ". In the range."
    return text


def best_sets_lines(ctx: Context, sets: list[LoggedSet]) -> list[str]:
    by_exercise: dict[str, list[LoggedSet]] = {}
    for s in sets:
        by_exercise.setdefault(exercise_label(ctx.library.catalog, s), []).append(s)
    lines = [f"• {name}: {describe_set(best_set(group), ctx.profile.units)}" for name, group in by_exercise.items()]
    if len(lines) > BEST_SETS_SHOWN:
        lines = lines[:BEST_SETS_SHOWN] + [f"  and {plural(len(lines) - BEST_SETS_SHOWN, 'more exercise')}"]
    return lines


def streak_line(streak: int) -> str:
    if streak == 0:
        return "Consistency: no streak yet. Meet your planned sessions this week to start one."
    weeks = "week" if streak == 1 else "weeks in a row"
    return f"Consistency: {streak} {weeks} on plan."


def pain_lines(ctx: Context, sets: list[LoggedSet], pain: list[PainNote], monday: date) -> list[str]:
    """Each day with training or pain: its sets next to what hurt."""
    rules = volume_rules()
    lines = []
    for offset in range(7):
        day = monday + timedelta(days=offset)
        day_sets = [s for s in sets if s.local_date == day]
        hurts = [p for p in pain if p.reported_at.astimezone(ctx.profile.zone).date() == day]
        if not day_sets and not hurts:
            continue
        glute = sum(
            1 for s in day_sets if rules.is_hard_glute_set(exercise_of(ctx.library.catalog, s), bool(s.load_kg))
        )
        load = f"{len(day_sets)} sets ({glute} glute)" if day_sets else "rest"
        reported = "; pain: " + ", ".join(f"{area_name(ctx, p.area)} ({p.severity})" for p in hurts) if hurts else ""
        lines.append(f"• {day.strftime('%a %d %b')}: {load}{reported}")
    return lines
