"""Reminder commands, keeping reminders in step with the profile, and what a reminder says.

The database row is the truth: every change here recomputes `next_due_at` in
UTC from the person's local rules, and the scheduler only delivers what is due.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from core.commands import command
from core.context import Context
from core.conversation import after_message
from core.domain import Button, Reply
from core.features.routines import routine_text
from core.pain.referral import hold_for
from core.preferences import PreferenceError, format_weekdays, parse_clock_time
from core.profile import Profile
from core.recurrence import latest_slot_at_or_before, next_slot
from core.reminders import (
    DEFAULT_EVERY,
    DEFAULT_WINDOW,
    GLUTE_UP,
    WORKDAYS,
    WORKOUT,
    ReminderRow,
    held_until,
    next_due,
    schedule_of,
)
from core.workout import WorkoutPlan, plan_for, todays_session, training_weekdays

DURATION = re.compile(
    r"^([0-9]+|an?|one)\s*(m|mins?|minutes?|h|hrs?|hours?|d|days?|w|wks?|weeks?)$", re.I
)  # "30m", "2 hours", "a week"
UNITS = {"m": timedelta(minutes=1), "h": timedelta(hours=1), "d": timedelta(days=1), "w": timedelta(weeks=1)}
SNOOZABLE_FOR = timedelta(hours=12)  # how long after a reminder /snooze still means "that one, later"
MERGE_WITHIN = timedelta(hours=3)  # a snooze held past quiet hours this close to the next reminder is that reminder
SCHEDULE_FIELDS = ("timezone", "weekdays", "program_id", "reminder_time", "quiet_start", "quiet_end", "paused_until")


def parse_duration(text: str, default: timedelta) -> timedelta:
    if not text.strip():
        return default
    match = DURATION.match(text.strip())
    if not match:
        raise PreferenceError("Give a duration like 30m, 2h, 3d or 2 weeks.")
    if len(match[1].lstrip("0")) > 6:  # more than 90 days in any unit; int() of 5,000 digits would fail
        raise PreferenceError("Between 1 minute and 90 days, please.")
    amount = int(match[1]) if match[1].isdigit() else 1
    delta = amount * UNITS[match[2][0].lower()]
    if not timedelta(minutes=1) <= delta <= timedelta(days=90):
        raise PreferenceError("Between 1 minute and 90 days, please.")
    return delta


async def save(ctx: Context, kind: str, weekdays: tuple[str, ...], **fields: object) -> ReminderRow:
    """Store a reminder and its next due time, computed from now in the person's zone."""
    current = (await ctx.uow.reminders.for_user(ctx.user.id)).get(kind)
    merged = {**(current.__dict__ if current else {}), **fields, "weekdays": weekdays}
    probe = ReminderRow(**{**{"id": 0, "user_id": ctx.user.id, "kind": kind, "enabled": True}, **merged})
    due = next_due(probe, ctx.profile, ctx.now)
    values = {
        k: merged[k]
        for k in (
            "enabled",
            "local_time",
            "window_start",
            "window_end",
            "every_minutes",
            "snoozed_until",
            "skip_local_date",
        )
        if k in merged
    }
    return await ctx.uow.reminders.save(ctx.user.id, kind, weekdays, next_due_at=due, **values)


async def active_workout_reminder(ctx: Context) -> ReminderRow | None:
    workout = (await ctx.uow.reminders.for_user(ctx.user.id)).get(WORKOUT)
    return workout if workout is not None and workout.enabled else None


def when_text(ctx: Context, due: datetime | None) -> str:
    if due is None:
        return "nothing scheduled"
    return due.astimezone(ctx.profile.zone).strftime("%a %d %b %H:%M")


@command(
    "remind",
    "Workout-day reminder at a local time",
    syntax="HH:MM|off",
    examples=("/remind 07:30", "/remind off", "/remind"),
)
async def remind_command(ctx: Context, args: str) -> list[Reply]:
    value = args.strip().lower()
    if not value:
        workout = await active_workout_reminder(ctx)
        if workout is None:
            return [Reply("No workout reminder set. Example: /remind 07:30")]
        return [
            Reply(
                f"Workout reminder: {workout.local_time} on {format_weekdays(workout.weekdays)}; "
                f"next {when_text(ctx, workout.next_due_at)}."
            )
        ]
    if value in ("off", "stop", "no"):
        ctx.profile.reminder_time = None
        await save(ctx, WORKOUT, training_weekdays(ctx), enabled=False)
        return [Reply("Workout reminders are off. /remind 07:30 turns them back on.")]
    try:
        ctx.profile.reminder_time = parse_clock_time(value)
    except PreferenceError as err:
        return [Reply(f"{err} Example: /remind 07:30")]
    row = await save(ctx, WORKOUT, training_weekdays(ctx), enabled=True, local_time=ctx.profile.reminder_time)
    if row.next_due_at is None:
        return [
            Reply(
                f"{row.local_time} falls in your quiet hours ({ctx.profile.quiet_start}-"
                f"{ctx.profile.quiet_end}), so that reminder could never arrive. Pick another time, "
                "or change them with /quiet."
            )
        ]
    text = (
        f"I'll remind you at {row.local_time} ({ctx.profile.timezone}) on "
        f"{format_weekdays(row.weekdays)}. Next: {when_text(ctx, row.next_due_at)}."
    )
    hold = await hold_for(ctx)
    if hold is not None:
        text += (
            "\n\nUntil a clinician has cleared you, these reminders won't ask you to train: they point to "
            f"getting checked instead. {hold.waiting()}"
        )
    return [Reply(text)]


@command(
    "gluteup",
    "Short activation breaks while you sit",
    syntax="on|off [every 2h] [10:00-17:00]",
    examples=("/gluteup on", "/gluteup on every 90m 09:00-18:00", "/gluteup off"),
)
async def gluteup_command(ctx: Context, args: str) -> list[Reply]:
    words = args.strip().lower()
    if words.startswith("off"):
        await save(ctx, GLUTE_UP, WORKDAYS, enabled=False)
        return [Reply("Glute-up breaks are off.")]
    if not words.startswith("on"):
        return [
            Reply(
                "Glute-up breaks: a 1-3 minute bridge, clamshell or hip-flexor break every couple of hours "
                "on workdays. Example: /gluteup on every 2h 10:00-17:00"
            ).with_buttons([[Button("Turn on", "/gluteup on"), Button("Turn off", "/gluteup off")]])
        ]
    every, window = DEFAULT_EVERY, DEFAULT_WINDOW
    try:
        found = re.search(r"every\s+(\S+)", words)
        if found:
            every = int(parse_duration(found[1], timedelta(minutes=DEFAULT_EVERY)).total_seconds() // 60)
            if not 15 <= every <= 480:
                raise PreferenceError("Every 15 minutes to 8 hours, please.")
        found = re.search(r"(\d{1,2}[:.]\d{2})\s*-\s*(\d{1,2}[:.]\d{2})", words)
        if found:
            window = (parse_clock_time(found[1]), parse_clock_time(found[2]))
    except PreferenceError as err:
        return [Reply(f"{err} Example: /gluteup on every 2h 10:00-17:00")]
    row = await save(
        ctx, GLUTE_UP, WORKDAYS, enabled=True, window_start=window[0], window_end=window[1], every_minutes=every
    )
    hold = await hold_for(ctx)
    if hold is not None:
        return [
            Reply(
                f"Glute-up breaks are set (every {every} min, {window[0]}-{window[1]} on workdays), but I "
                f"won't send exercise breaks yet: {hold.what()} is on hold until a clinician has checked "
                "you. They start on their own once you tell me you're cleared (/pain clear)."
            )
        ]
    return [
        Reply(
            f"Glute-up breaks on: every {every} min, {window[0]}-{window[1]} on workdays. "
            f"First one: {when_text(ctx, row.next_due_at)}."
        )
    ]


@command("snooze", "Remind me again later", syntax="[30m]", examples=("/snooze", "/snooze 1h"))
async def snooze_command(ctx: Context, args: str) -> list[Reply]:
    try:
        delta = parse_duration(args, timedelta(minutes=30))
    except PreferenceError as err:
        return [Reply(f"{err} Example: /snooze 30m")]
    workout = await active_workout_reminder(ctx)
    if workout is None:
        return [Reply("There is no workout reminder to snooze. Set one with /remind 07:30")]
    schedule = schedule_of(workout, ctx.profile)
    regular = next_slot(schedule, ctx.now)
    if latest_slot_at_or_before(schedule, ctx.now - SNOOZABLE_FOR, ctx.now) is None:
        # Nothing went out lately: a snooze would bring the next reminder forward, not later.
        return [
            Reply(
                f"There is nothing to snooze yet: your next reminder is {when_text(ctx, regular)}. /skip skips today's."
            )
        ]
    wanted = ctx.now + delta
    at = held_until(ctx.profile, wanted) or wanted  # never inside quiet hours or a pause
    if regular is not None and (at >= regular or (at != wanted and regular - at <= MERGE_WITHIN)):
        # The next reminder comes first, or just after quiet hours end: one message, not two.
        await save(ctx, WORKOUT, workout.weekdays, snoozed_until=None)
        return [Reply(f"Your next reminder comes at {when_text(ctx, regular)} anyway.")]
    row = await save(ctx, WORKOUT, workout.weekdays, snoozed_until=at)
    if at != wanted:
        return [
            Reply(
                f"That is inside your quiet hours ({ctx.profile.quiet_start}-{ctx.profile.quiet_end}) "
                f"or a pause, so I'll remind you again at {when_text(ctx, row.next_due_at)}."
            )
        ]
    return [Reply(f"OK, I'll remind you again at {when_text(ctx, row.next_due_at)}.")]


@command("skip", "Skip today's workout reminder", examples=("/skip",))
async def skip_command(ctx: Context, args: str) -> list[Reply]:
    workout = await active_workout_reminder(ctx)
    if workout is None:
        return [Reply("No workout reminder is set, so there is nothing to skip.")]
    row = await save(ctx, WORKOUT, workout.weekdays, skip_local_date=ctx.local_now.date(), snoozed_until=None)
    return [Reply(f"Skipped today. Rest well! Next reminder: {when_text(ctx, row.next_due_at)}.")]


@command("pause", "Pause all reminders for a while", syntax="[7d]", examples=("/pause", "/pause 3d"))
async def pause_command(ctx: Context, args: str) -> list[Reply]:
    try:
        delta = parse_duration(args, timedelta(days=7))
    except PreferenceError as err:
        return [Reply(f"{err} Example: /pause 7d")]
    ctx.profile.paused_until = ctx.now + delta
    until = ctx.profile.paused_until.astimezone(ctx.profile.zone).strftime("%a %d %b %H:%M")
    return [Reply(f"Reminders paused until {until}. /resume brings them back sooner.")]


@command("resume", "Resume paused reminders", examples=("/resume",))
async def resume_command(ctx: Context, args: str) -> list[Reply]:
    if ctx.profile.paused_until is None:
        return [Reply("Reminders are not paused.")]
    ctx.profile.paused_until = None
    return [Reply("Reminders are back on.")]


@command(
    "quiet", "No prompts during these hours", syntax="HH:MM-HH:MM|off", examples=("/quiet 22:00-07:00", "/quiet off")
)
async def quiet_command(ctx: Context, args: str) -> list[Reply]:
    value = args.strip().lower()
    if value in ("off", "none"):
        ctx.profile.quiet_start = ctx.profile.quiet_end = None
        return [Reply("Quiet hours off.")]
    found = re.fullmatch(r"(\S+)\s*-\s*(\S+)", value)
    try:
        if not found:
            raise PreferenceError("Give a range like 22:00-07:00.")
        ctx.profile.quiet_start, ctx.profile.quiet_end = parse_clock_time(found[1]), parse_clock_time(found[2])
    except PreferenceError as err:
        return [Reply(f"{err} Example: /quiet 22:00-07:00")]
    text = (
        f"Quiet hours: {ctx.profile.quiet_start}-{ctx.profile.quiet_end} ({ctx.profile.timezone}). "
        "No reminders or breaks in that time."
    )
    workout = await active_workout_reminder(ctx)
    if workout is not None and next_due(workout, ctx.profile, ctx.now) is None:
        text += (
            f"\nYour workout reminder at {workout.local_time} falls inside them, so it stays silent until "
            "you pick another time with /remind HH:MM or change the quiet hours."
        )
    return [Reply(text)]


@after_message
async def keep_reminders_in_step(ctx: Context, before: Profile) -> None:
    """A new zone, training days, reminder time, quiet hours or pause moves every reminder."""
    if all(getattr(before, name) == getattr(ctx.profile, name) for name in SCHEDULE_FIELDS):
        return
    reminders = await ctx.uow.reminders.for_user(ctx.user.id)
    if ctx.profile.reminder_time != before.reminder_time and WORKOUT not in reminders and ctx.profile.reminder_time:
        await save(ctx, WORKOUT, training_weekdays(ctx), enabled=True, local_time=ctx.profile.reminder_time)
    for kind, row in reminders.items():
        weekdays = training_weekdays(ctx) if kind == WORKOUT else row.weekdays
        extra = (
            {"local_time": ctx.profile.reminder_time, "enabled": bool(ctx.profile.reminder_time)}
            if kind == WORKOUT and ctx.profile.reminder_time != before.reminder_time
            else {}
        )
        await save(ctx, kind, weekdays, **extra)


# What a plain person's workout reminder depends on. With no current pain report, no logged
# set and no session today, the plan adjusters (core/pipeline.py) read only these profile
# fields: the program and sessions completed pick the day, then equipment swaps, a novice's
# first rungs, units and pinned form notes. So everyone with the same values gets the same
# reminder, and a fan-out renders it once (bot/postman/loop.py keeps it);
# tests/integration/test_reminder_fanout.py checks every program day both ways.
PLAIN_FIELDS = ("program_id", "completed_sessions", "equipment", "experience", "units", "form_notes")


def _reminder_text(plan: WorkoutPlan) -> str:
    """The main lifts of the person's plan as /today shows them (swaps, rungs, next loads)."""
    if plan.rest_only:
        return "Today is adapted to what hurts: see /today for your gentle routine."
    main = [
        f"{line.exercise.name} {line.planned.dose()}"
        + (f" @ {line.load_hint.split(' (')[0]}" if line.load_hint else "")
        for line in plan.lines
        if line.planned.block.value in ("main", "single_leg")
    ]
    return (
        f"Time to train! Today: {plan.day.title}.\n"
        + "\n".join(f"• {m}" for m in main)
        + "\n\nSend /today for the full session."
    )


async def compose(ctx: Context, kind: str, slot: datetime, *, plain: bool = False) -> list[Reply]:
    """What a due reminder says; empty when there is nothing worth sending.

    `plain`: the caller has read that this person has no current pain report, no logged
    set and no session today (the postman reads that for a whole chunk in one query), so
    nothing more is read and the workout reminder depends only on PLAIN_FIELDS.

    While a referral is open, nothing nudges the person to exercise: the workout
    reminder points to the referral instead and glute-up breaks wait."""
    hold = None if plain else await hold_for(ctx)
    if hold is not None:
        if kind != WORKOUT:
            return []
        return [
            Reply(hold.notice(ctx), title="Before you train").with_buttons(
                [[Button("A clinician cleared me", "/pain clear"), Button("Skip today", "/skip")]]
            )
        ]
    if kind == WORKOUT:
        if plain:
            text = _reminder_text(await plan_for(ctx, None, recent_sets={}))  # no logged set to read
        else:
            session = await todays_session(ctx, create=False)
            if session is not None and session.completed_at is not None:
                return []  # already trained today
            text = _reminder_text(await plan_for(ctx, session))
        return [
            Reply(text, title="Workout reminder").with_buttons(
                [[Button("Done", "/done"), Button("Snooze 30 min", "/snooze 30m"), Button("Skip today", "/skip")]]
            )
        ]
    if kind == GLUTE_UP:
        routines = ctx.library.routines["glute_up"]
        local = slot.astimezone(ctx.profile.zone)
        routine = routines[(local.timetuple().tm_yday * 24 + local.hour) % len(routines)]
        return [
            Reply(
                await routine_text(ctx, routine) + "\n\nStand up and go: it takes two minutes.", title="Glute up!"
            ).with_buttons([[Button("Stop these breaks", "/gluteup off")]])
        ]
    return []
