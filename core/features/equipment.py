"""/equipment and the plan adjuster that never plans what the person does not have.

Onboarding asks what someone can train with; a program line needing anything
else becomes the closest exercise of the same movement pattern they can do
(a machine thrust for a barbell thrust, side-lying abduction for the cable
version), and /today says why.
"""

from __future__ import annotations

from core.commands import command
from core.context import Context
from core.domain import Button, LoadType, PlannedExercise, Reply
from core.gear import GearError, available, describe_gear, doable, parse_gear
from core.volume import volume_rules
from core.workout import PlanLine, WorkoutPlan, plan_adjuster

PRESETS = {
    "gym": (
        ("Full gym", "everything"),
        ("Barbell, dumbbells, bands", "barbell dumbbells bands"),
        ("Dumbbells and bands", "dumbbells bands"),
    ),
    "home": (("Bands", "bands"), ("Bands and dumbbells", "bands dumbbells"), ("Nothing, just me", "nothing")),
}


def gear_buttons(ctx: Context, prefix: str) -> list[list[Button]]:
    place = ctx.profile.place if ctx.profile.place in PRESETS else "gym"
    return [[Button(label, f"{prefix} {value}")] for label, value in PRESETS[place]]


def set_gear(ctx: Context, text: str) -> str:
    """Store the answer; raises GearError when it names nothing we know."""
    ctx.profile.equipment = parse_gear(text)
    return f"Equipment: {describe_gear(ctx.profile.equipment)}"


@command(
    "equipment",
    "Tell me what you can train with",
    syntax="[barbell dumbbells kettlebells cables machines bands]",
    details="Nothing gets planned that needs something you don't have. 'full gym' or 'nothing' work too.",
    examples=("/equipment", "/equipment dumbbells bands"),
)
async def equipment_command(ctx: Context, args: str) -> list[Reply]:
    if not args.strip():
        now = describe_gear(ctx.profile.equipment) if ctx.profile.equipment else "not set yet"
        return [Reply(f"Your equipment: {now}. What can you train with?").with_buttons(gear_buttons(ctx, "/equipment"))]
    try:
        done = set_gear(ctx, args)
    except GearError as err:
        return [Reply(str(err)).with_buttons(gear_buttons(ctx, "/equipment"))]
    return [
        Reply(f"✓ {done}. Your plan only uses what you have.").with_buttons([[Button("Today's workout", "/today")]])
    ]


@plan_adjuster
async def fit_equipment(ctx: Context, plan: WorkoutPlan) -> None:
    """First: ladders (5) and pain rules (10) then work on what the person can do."""
    if not ctx.profile.equipment:
        return
    have = available(ctx.profile.equipment, plan.program.equipment)
    catalog = ctx.library.catalog
    rules = volume_rules()
    for line in list(plan.lines):
        if doable(line.exercise, have):
            continue
        in_day = {other.exercise.id for other in plan.lines}
        counted = rules.is_hard_glute_set(line.exercise)
        options = [
            e
            for e in catalog
            if e.pattern == line.exercise.pattern
            and e.id not in in_day
            and doable(e, have)
            and rules.is_hard_glute_set(e) == counted
            and (e.load_type == LoadType.TIMED) == (line.exercise.load_type == LoadType.TIMED)
        ]
        missing = describe_gear(
            tuple(
                k
                for k in line.exercise.equipment
                if k not in have and k in ("barbell", "dumbbell", "kettlebell", "cable", "machine", "band")
            )
        )
        if not options:
            plan.lines.remove(line)
            plan.changes.append(
                f"Left out {line.exercise.name}: it needs {missing}, and nothing similar fits what you have"
            )
            continue
        new = min(options, key=lambda e: e.load_type != line.exercise.load_type)
        p = line.planned
        plan.lines[plan.lines.index(line)] = PlanLine(
            PlannedExercise(new.id, p.block, p.sets, p.reps_min, p.reps_max, p.seconds, p.rest_s), new
        )
        plan.changes.append(
            f"{new.name} instead of {line.exercise.name}: that needs {missing}, which you don't have (/equipment)"
        )
