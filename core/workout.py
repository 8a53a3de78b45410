"""Building the day's workout: which program day, then adjustments, then text.

`plan_for` picks the day (rotation by completed sessions, so a missed day is
never skipped). Other features adjust the plan through `plan_adjuster`s:
pain rules swap exercises and explain why, progression suggests loads, the
set log marks what is done. Adjusters run in the order core/pipeline.py lists.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING, Awaitable, Callable, Literal, overload

from core.domain import BLOCK_TITLES, Block, Exercise, PlannedExercise, Program, ProgramDay, Reply, TrainingDay
from core.history import LoggedSet
from core.ordered import Ordered
from core.pipeline import PLAN_ADJUSTERS
from core.preferences import FULL_DAY
from core.profile import weekday_key

if TYPE_CHECKING:
    from core.context import Context


@dataclass
class PlanLine:
    planned: PlannedExercise
    exercise: Exercise
    load_hint: str | None = None
    done: bool = False
    note: str | None = None
    load_kg: float | None = None  # the suggested working load, for the warm-up ramp
    warm_up: str | None = None
    progression: str | None = None  # the next rung for bodyweight and band work
    form_note: str | None = None  # a form fix the person pinned (/form)


@dataclass
class WorkoutPlan:
    program: Program
    day_index: int
    day: ProgramDay
    lines: list[PlanLine]
    changes: list[str] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    session: TrainingDay | None = None
    rest_only: bool = False  # an adjuster turned the day into rest / mobility
    no_training: bool = False  # a referral for same-day care: not even the gentle routine
    checkins: list[Reply] = field(default_factory=list)  # replies that ask how something is going
    recent_sets: dict[str, list[LoggedSet]] | None = None  # loaded once by progression, by exercise id
    block_notes: dict[Block, str] = field(default_factory=dict)  # a line shown under the block's heading


Adjuster = Callable[["Context", WorkoutPlan], Awaitable[None]]
_adjusters: Ordered[Adjuster] = Ordered(PLAN_ADJUSTERS, "core/pipeline.py PLAN_ADJUSTERS")


def plan_adjuster(adjust: Adjuster) -> Adjuster:
    """Where it runs among the others is listed in core/pipeline.py (pain rules change the
    lines before progression reads them)."""
    return _adjusters.register(adjust)


def plan_adjusters() -> list[Adjuster]:
    return list(_adjusters)


def training_weekdays(ctx: Context) -> tuple[str, ...]:
    return ctx.profile.weekdays or ctx.library.program(ctx.profile.program_id).default_weekdays


def is_training_day(ctx: Context, day: date) -> bool:
    return weekday_key_of(day) in training_weekdays(ctx)


def weekday_key_of(day: date) -> str:
    return weekday_key(day)  # date and datetime share weekday()


def next_training_day(ctx: Context, after: date) -> date | None:
    days = training_weekdays(ctx)
    for offset in range(1, 8):
        candidate = after + timedelta(days=offset)
        if weekday_key_of(candidate) in days:
            return candidate
    return None


def describe_day(day: date, today: date) -> str:
    if day == today + timedelta(days=1):
        return f"tomorrow ({FULL_DAY[weekday_key_of(day)]})"
    return f"{FULL_DAY[weekday_key_of(day)]} {day.strftime('%d %b')}"


def next_workout_sentence(ctx: Context, title: str | None = None) -> str:
    """Said after a finished session, by /done and on rest days: the same words everywhere,
    and, with no training day set, how to set one rather than nothing."""
    today = ctx.local_now.date()
    upcoming = next_training_day(ctx, today)
    if upcoming is None:
        return "You have no training days set: /days"
    what = f" ({title})" if title else ""
    return f"Your next workout{what} is {describe_day(upcoming, today)}."


@overload
async def todays_session(ctx: Context, create: Literal[True]) -> TrainingDay: ...
@overload
async def todays_session(ctx: Context, create: bool) -> TrainingDay | None: ...
async def todays_session(ctx: Context, create: bool) -> TrainingDay | None:
    """The session for the person's local today; created (pinning the program day) if asked."""
    today = ctx.local_now.date()
    session = await ctx.uow.sessions.for_day(ctx.user.id, today)
    program = ctx.library.program(ctx.profile.program_id)
    index = program.wrap(ctx.profile.completed_sessions)
    if session is None and create:
        over = await _started_day_over(ctx, today)
        if over is not None:  # it counts as done from now on, so the rotation moves on
            await ctx.uow.sessions.complete(over.id, ctx.now)
            ctx.profile.completed_sessions += 1
            index = program.wrap(ctx.profile.completed_sessions)
        session = await ctx.uow.sessions.start(ctx.user.id, today, program.id, index, ctx.now)
    elif session is not None and session.completed_at is None and session.program_id != program.id:
        # The person switched programs today: today's unfinished session follows the new one.
        session = await ctx.uow.sessions.repin(session.id, program.id, index)
    return session


async def _started_day_over(ctx: Context, today: date) -> TrainingDay | None:
    """The last session before today if sets were logged in it but it was never finished: it counts
    as done once it is over. Someone who logs only the main lift (and never /done) was given Day A
    on every training day; a training day with nothing logged moves nothing."""
    last = await ctx.uow.sessions.last_before(ctx.user.id, today)
    if last is None or last.completed_at is not None:
        return None
    return last if await ctx.uow.setlog.exercises_in_session(ctx.user.id, last.id) else None


async def next_day_index(ctx: Context, program: Program) -> int:
    """The program day the next session gets, as todays_session will pin it (reminders and rest-day
    plans read it without starting a session)."""
    over = await _started_day_over(ctx, ctx.local_now.date())
    return program.wrap(ctx.profile.completed_sessions + (1 if over is not None else 0))


async def plan_for(
    ctx: Context, session: TrainingDay | None, recent_sets: dict[str, list[LoggedSet]] | None = None
) -> WorkoutPlan:
    """`recent_sets`: what the caller already knows progression would load (e.g. no sets at all)."""
    program = ctx.library.program(session.program_id if session else ctx.profile.program_id)
    index = session.day_index if session else await next_day_index(ctx, program)
    day = program.day_at(index)
    lines = [PlanLine(item, ctx.library.catalog.get(item.exercise_id)) for item in day.items]
    plan = WorkoutPlan(program, index, day, lines, session=session, recent_sets=recent_sets)
    for adjust in _adjusters:
        await adjust(ctx, plan)
    return plan


def render_plan(plan: WorkoutPlan, units: str) -> str:
    out: list[str] = []
    if plan.notices:
        out += plan.notices + [""]
    block = None
    for line in plan.lines:
        if line.planned.block != block:
            block = line.planned.block
            if out and out[-1]:
                out.append("")
            out.append(BLOCK_TITLES[block])
            if block in plan.block_notes:
                out.append(plan.block_notes[block])
        mark = "✅" if line.done else "•"
        side = " per side" if line.exercise.per_side else ""
        load = f" @ {line.load_hint}" if line.load_hint else ""
        out.append(f"{mark} {line.exercise.name}: {line.planned.dose()}{side}{load}, rest {line.planned.rest_s} s")
        out.append(f"   {line.note or line.exercise.cue}")
        if line.warm_up:
            out.append(f"   Warm-up sets first: {line.warm_up}")
        if line.progression:
            out.append(f"   {line.progression}")
        if line.form_note:
            out.append(f"   Your form note: {line.form_note}")
    if plan.changes:
        out += ["", "Changed for you today:"] + [f"- {c}" for c in plan.changes]
    return "\n".join(out)
