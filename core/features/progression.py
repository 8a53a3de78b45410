"""/today's progression: ladder rungs, next loads per rep range, warm-up sets.

Heavy and light days are separate histories: a set counts for a plan line
only when it was logged on a program day that plans the exercise in the same
rep range (sets from a day that no longer plans it count for every range).
The rules themselves live in core.progression and core.ladders.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import timedelta

from core.context import Context
from core.domain import LoadType, PlannedExercise
from core.history import LoggedSet
from core.ports import ReadAhead
from core.ladders import load_ladders, next_step
from core.progression import Logged, describe_warm_up, next_load, ramp_in_words, warm_up
from core.programs import HARD_BLOCKS
from core.workout import PlanLine, WorkoutPlan, plan_adjuster

HISTORY_WEEKS = 26  # older logs do not set today's load; someone back after half a year starts fresh
# What a day's plan reads (_history), for commands that show one to declare (core.ports.ReadAhead).
PLAN_READS = ReadAhead(sets=(-7 * HISTORY_WEEKS, -1))
RANGE_OF_UNKNOWN = None


async def _history(ctx: Context, plan: WorkoutPlan) -> dict[str, list[LoggedSet]]:
    """This person's sets of the last months before today, by exercise."""
    if plan.recent_sets is None:
        today = ctx.local_now.date()
        sets = await ctx.uow.progress.sets_between(
            ctx.user.id, today - timedelta(weeks=HISTORY_WEEKS), today - timedelta(days=1)
        )
        by_exercise: dict[str, list[LoggedSet]] = defaultdict(list)
        for s in sets:
            by_exercise[s.exercise_id].append(s)
        plan.recent_sets = by_exercise
    return plan.recent_sets


def _entries(sets: list[LoggedSet]) -> list[Logged]:
    """Group sets into entries, newest first."""
    by_entry: dict[int, list[LoggedSet]] = defaultdict(list)
    for s in sets:
        by_entry[s.entry_id].append(s)
    ordered = sorted(by_entry.values(), key=lambda group: group[0].logged_at, reverse=True)
    for group in ordered:
        group.sort(key=lambda s: s.set_no)
    return [Logged(group[0].local_date, tuple(group)) for group in ordered]


def planned_range(ctx: Context, s: LoggedSet) -> tuple[int | None, int | None] | None:
    """The rep range the set's program day planned for its exercise, or None if it planned none."""
    program = ctx.library.programs.get(s.program_id or "")
    if program is None or s.day_index is None:
        return RANGE_OF_UNKNOWN
    day = program.day_at(s.day_index)
    ladders = load_ladders()
    ladder = ladders.of(s.exercise_id)
    for item in day.items:
        if item.exercise_id == s.exercise_id or (ladder is not None and ladders.of(item.exercise_id) is ladder):
            return item.reps_min, item.reps_max
    return RANGE_OF_UNKNOWN


def _same_range(ctx: Context, sets: list[LoggedSet], planned: PlannedExercise) -> list[LoggedSet]:
    wanted = (planned.reps_min, planned.reps_max)
    return [s for s in sets if planned_range(ctx, s) in (RANGE_OF_UNKNOWN, wanted)]


@plan_adjuster
async def climb_ladders(ctx: Context, plan: WorkoutPlan) -> None:
    """Put the rung the person has reached (or a beginner's first rung) on the plan, before pain rules run."""
    ladders = load_ladders()
    history = await _history(ctx, plan)
    catalog = ctx.library.catalog
    for index, line in enumerate(plan.lines):
        ladder = ladders.of(line.exercise.id)
        if ladder is None or line.planned.block not in HARD_BLOCKS:
            continue
        planned_rung = ladder.rungs.index(line.exercise.id)
        start = planned_rung
        if ctx.profile.experience == "novice" and ladder.novice_start is not None:
            start = min(start, ladder.rungs.index(ladder.novice_start))
        reached = [
            ladder.rungs.index(s.exercise_id)
            for rung in ladder.rungs[start:]
            for s in history.get(rung, ())
            if s.program_id == plan.program.id and s.day_index == plan.day_index
        ]
        current = max(reached, default=start)
        if current == planned_rung:
            continue
        new = catalog.get(ladder.rungs[current])
        planned = line.planned
        plan.lines[index] = PlanLine(
            PlannedExercise(
                new.id, planned.block, planned.sets, planned.reps_min, planned.reps_max, planned.seconds, planned.rest_s
            ),
            new,
        )
        if reached:
            plan.changes.append(f"{new.name} instead of {line.exercise.name}: you have moved up to it")
        else:
            plan.changes.append(
                f"{new.name} instead of {line.exercise.name}: an easier first step while you are "
                "new to lifting; I'll suggest moving up once you hit the top of the range twice"
            )


@plan_adjuster
async def suggest_progress(ctx: Context, plan: WorkoutPlan) -> None:
    """Next load or next rung per line, then a warm-up ramp for the first main lift."""
    history = await _history(ctx, plan)
    today = ctx.local_now.date()
    units = ctx.profile.units
    for line in plan.lines:
        sets = history.get(line.exercise.id, [])
        if not sets or line.planned.reps_max is None:
            continue
        entries = _entries(_same_range(ctx, sets, line.planned))
        if line.exercise.load_type == LoadType.WEIGHTED:
            advice = next_load(
                line.planned, line.exercise, entries, units, today, last_trained=max(s.local_date for s in sets)
            )
            if advice is not None:
                line.load_hint, line.load_kg = advice.text, advice.load_kg
        elif line.planned.block in HARD_BLOCKS:
            line.progression = next_step(line.planned, line.exercise, entries, ctx.library.catalog, load_ladders())
    first_main = next((line for line in plan.lines if line.planned.block == "main"), None)
    if first_main is not None and first_main.load_kg:
        ramp = warm_up(first_main.load_kg, first_main.exercise, units)
        if ramp:
            first_main.warm_up = describe_warm_up(ramp, units)
    elif first_main is not None and first_main.exercise.load_type == LoadType.WEIGHTED:
        first_main.warm_up = ramp_in_words()
