"""/progress <exercise>: a chart of top-set load and estimated 1RM, in the person's units.

Seeing the line go up is the point, so the chart is a picture sent in the
chat; a person with nothing to draw gets words and a way to start instead.
"""

from __future__ import annotations

import asyncio

from core.catalog import CONFIDENT, POSSIBLE
from core.commands import command
from core.context import Context
from core.domain import Attachment, Button, Exercise, LoadType, Reply
from core.features.progression import planned_range
from core.history import LoggedSet
from core.progress import ProgressPoint, best_set, describe_set, format_estimate, format_load, progress_series

EXAMPLE = "/progress hip thrust"
EXAMPLE_LOAD = {"kg": 20, "lb": 45}


def log_example(exercise: Exercise, units: str) -> str:
    load = f" @ {EXAMPLE_LOAD[units]}{units}" if exercise.load_type == LoadType.WEIGHTED else ""
    return f"{exercise.name.lower()} 3x10{load}"


def by_rep_range(ctx: Context, sets: list[LoggedSet]) -> dict[str, list[ProgressPoint]]:
    """Top sets per planned rep range ('6-10 reps'), oldest first; sets outside a planned range go together."""
    groups: dict[str, list[LoggedSet]] = {}
    for s in sets:
        low_high = planned_range(ctx, s)
        label = f"{low_high[0]}-{low_high[1]} reps" if low_high and low_high[0] != low_high[1] else "other days"
        groups.setdefault(label, []).append(s)
    return {label: points for label, group in sorted(groups.items()) if (points := progress_series(group))}


def summary(
    name: str, series: list[ProgressPoint], units: str, ranges: dict[str, list[ProgressPoint]] | None = None
) -> str:
    first, last = series[0], series[-1]
    if ranges and len(ranges) > 1:  # heavy and light days: compare each with itself
        lines = [
            f"Top set, {label}: {format_load(points[0].top_load_kg, units)} → "
            f"{format_load(points[-1].top_load_kg, units)}"
            for label, points in ranges.items()
        ]
        return (
            f"{name}: {len(series)} training days, {first.day.strftime('%d %b %Y')} to "
            f"{last.day.strftime('%d %b %Y')}.\n"
            + "\n".join(lines)
            + f"\nEstimated 1RM: {format_estimate(first.e1rm_kg, units)} → {format_estimate(last.e1rm_kg, units)}"
        )
    if len(series) == 1:
        return (
            f"{name}, {first.day.strftime('%d %b %Y')}: top set {format_load(first.top_load_kg, units)}, "
            f"estimated 1RM {format_estimate(first.e1rm_kg, units)}. One day so far: "
            "your next session starts the trend line."
        )
    return (
        f"{name}: {len(series)} training days, {first.day.strftime('%d %b %Y')} to "
        f"{last.day.strftime('%d %b %Y')}.\n"
        f"Top set: {format_load(first.top_load_kg, units)} → {format_load(last.top_load_kg, units)}\n"
        f"Estimated 1RM: {format_estimate(first.e1rm_kg, units)} → {format_estimate(last.e1rm_kg, units)}"
    )


@command(
    "progress",
    "A chart of your top sets and estimated 1RM for one exercise",
    syntax="<exercise>",
    examples=(EXAMPLE, "/progress rdl"),
)
async def progress_command(ctx: Context, args: str) -> list[Reply]:
    if not args:
        return [Reply(f"Which exercise? For example: {EXAMPLE}")]
    match = ctx.library.catalog.resolve(args)
    if match is None or match.score < POSSIBLE:
        return [Reply(f"I don't know the exercise '{args[:40]}'. Try the name you log it with, for example: {EXAMPLE}")]
    exercise = match.exercise
    if match.score < CONFIDENT:
        return [
            Reply(f"Did you mean {exercise.name}?").with_buttons(
                [[Button(f"Chart {exercise.name}", f"/progress {exercise.id}")]]
            )
        ]
    sets = await ctx.uow.progress.sets_for_exercise(ctx.user.id, exercise.id)
    units = ctx.profile.units
    if not sets:
        return [
            Reply(
                f"No {exercise.name} sets logged yet, so there is nothing to chart. Log one by "
                f"writing it, e.g. {log_example(exercise, units)}, and your chart starts "
                "with your next workout."
            )
        ]
    series = progress_series(sets)
    if not series:
        return [
            Reply(
                f"Your {exercise.name} sets have no weight logged, so there is no load to chart. "
                f"Best so far: {describe_set(best_set(sets), units)}. When you add weight, log it "
                f"like {exercise.name.lower()} 3x10 @ {EXAMPLE_LOAD[units]}{units}."
            )
        ]
    from core.charts import progress_chart  # matplotlib loads on the first chart, not at start-up

    # About 0.1 s of drawing: done off the event loop so other people's messages are not held up.
    ranges = by_rep_range(ctx, sets)
    chart = await asyncio.to_thread(
        progress_chart, f"{exercise.name}: top set and estimated 1RM", series, units, ranges
    )
    return [
        Reply(
            summary(exercise.name, series, units, ranges),
            title=f"Progress: {exercise.name}",
            attachment=Attachment(f"progress-{exercise.id}.png", chart.png, "image/png"),
        )
    ]
