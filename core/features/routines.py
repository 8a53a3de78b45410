"""Short routines adapted to what hurts, like the workouts are.

A glute-up break is a routine from data/routines.toml passed through the
person's active pain rules: swaps and removals apply (no hip-flexor stretch
into a severely painful hip), while additions are left out, because a break
at a desk is no place for floor mobility work.
"""

from __future__ import annotations

from dataclasses import replace

from core.context import Context
from core.domain import Block, PlannedExercise
from core.gear import available
from core.pain.reports import ACTIVE
from core.pain.rules import PlanItem, apply_rules
from core.routines import Routine


async def routine_text(ctx: Context, routine: Routine) -> str:
    catalog = ctx.library.catalog
    reports = [r for r in await ctx.uow.pain.current(ctx.user.id, ctx.now) if r.status == ACTIVE]
    chosen = [
        (replace(rule, add=()), f"{ctx.library.pain.areas[r.area].name}, {r.severity}")
        for r in reports
        for rule in ctx.library.pain.for_report(r.area, r.severity)
        if rule.swap_tags
    ]
    if not chosen:
        return routine.render(catalog)
    items = [
        PlanItem(
            PlannedExercise(i.exercise_id, Block.MOBILITY, i.sets, i.reps, i.reps, i.seconds, 0),
            catalog.get(i.exercise_id),
        )
        for i in routine.items
    ]
    program = ctx.library.program(ctx.profile.program_id)
    result = apply_rules(items, chosen, catalog, available(ctx.profile.equipment, program.equipment))
    lines = [routine.title]
    for item in result.items:
        planned, exercise = item.planned, item.exercise
        dose = f"{planned.seconds} s" if planned.seconds else f"{planned.reps_min}"
        sets = f"{planned.sets} x " if planned.sets > 1 else ""
        lines.append(f"• {exercise.name}: {sets}{dose}{' per side' if exercise.per_side else ''}")
    return "\n".join(lines + [""] + [f"({change})" for change in result.changes])
