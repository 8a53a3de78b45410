"""The seeds' advice in the conversation: form fixes, the food note, the main-lift glute cue.

"I feel hip thrusts in my quads" gets the form fix, and the fix can be pinned
as a note on those exercises in /today (/form). "What should I eat?" and /food
get the short protein note. Content lives in data/advice.toml; this module
only wires it. Red flags always go first: a message with one is left to the
pain feature, which refers.
"""

from __future__ import annotations

from core.advice import FormFix, advice
from core.commands import command
from core.context import Context
from core.conversation import text_handler
from core.domain import Block, Button, Reply
from core.pain.detect import red_flags_in
from core.pain.rules import mentions_any
from core.workout import WorkoutPlan, plan_adjuster


def form_fix_reply(ctx: Context, fix: FormFix) -> Reply:
    pinned = fix.id in ctx.profile.form_notes
    pin = (
        Button("Unpin the note", f"/form unpin {fix.id}")
        if pinned
        else Button("Pin it to my hip thrusts and bridges", f"/form pin {fix.id}")
    )
    rows = [[pin]]
    if fix.id == "thrust_back":
        rows.append([Button("It hurts: adapt my plan", "/pain lower_back")])
    return Reply(f"{fix.fix}\n\n(Source: {fix.source}.)", title=fix.label).with_buttons(rows)


def food_reply() -> Reply:
    note = advice()
    return Reply(f"{note.nutrition}\n\n(Source: {note.nutrition_source})", title="Food for growth")


@text_handler
async def advice_talk(ctx: Context, text: str) -> list[Reply] | None:
    if red_flags_in(text, ctx.library.pain) or mentions_any(text.lower(), ctx.library.pain.pain_words):
        return None  # pain talk and red flags belong to the pain feature (screening, referral)
    fix = advice().form_fix_in(text)
    if fix is not None:
        return [form_fix_reply(ctx, fix)]
    if advice().asks_about_food(text) and not any(ch.isdigit() for ch in text):
        return [food_reply()]
    return None


@command(
    "form",
    "Form fixes: where you feel a lift, and how to fix it",
    syntax="[pin|unpin <fix>]",
    details="Pinned fixes show as a note on those exercises in /today.",
    examples=("/form", "/form pin thrust_quads", "/form unpin thrust_quads"),
)
async def form_command(ctx: Context, args: str) -> list[Reply]:
    action, _, fix_id = args.strip().lower().partition(" ")
    fix = advice().fix(fix_id.strip() or action)
    if action in ("pin", "unpin"):
        if fix is None:
            return [Reply(f"I don't know the fix '{fix_id.strip()[:40]}'. /form lists them.")]
        notes = [n for n in ctx.profile.form_notes if n != fix.id]
        ctx.profile.form_notes = tuple(notes + [fix.id] if action == "pin" else notes)
        done = "Pinned: it shows on your hip thrusts and bridges in /today" if action == "pin" else "Unpinned"
        return [Reply(f"✓ {done} ({fix.label.lower()}).")]
    if fix is not None:
        return [form_fix_reply(ctx, fix)]
    if action:
        return [Reply(f"I don't know the fix '{action[:40]}'. /form lists them.")]
    rows = [[Button(f.label, f"/form {f.id}")] for f in advice().form_fixes]
    return [
        Reply(
            "Where do you feel it? Or just tell me, e.g. 'I feel hip thrusts in my quads'.", title="Form fixes"
        ).with_buttons(rows)
    ]


@command("food", "What to eat to grow: a short, sourced protein note", examples=("/food",))
async def food_command(ctx: Context, args: str) -> list[Reply]:
    return [food_reply()]


@plan_adjuster
async def cue_the_main_lifts(ctx: Context, plan: WorkoutPlan) -> None:
    """The glute-up cue above the main lifts, and pinned form notes on the lines they apply to."""
    plan.block_notes[Block.MAIN] = advice().main_lift_cue
    pinned = [advice().fix(n) for n in ctx.profile.form_notes]
    for line in plan.lines:
        notes = [fix.note for fix in pinned if fix is not None and line.exercise.pattern in fix.applies_to]
        if notes and line.planned.block != Block.ACTIVATION:
            line.form_note = "; ".join(notes)
