"""/today and /done: the day's workout in the person's own time zone."""

from __future__ import annotations

from collections.abc import Sequence

from core.commands import command
from core.context import Context
from core.domain import Button, Reply
from core.features.progression import PLAN_READS
from core.wording import log_example
from core.workout import (
    WorkoutPlan,
    is_training_day,
    next_workout_sentence,
    plan_for,
    render_plan,
    todays_session,
)

PERSONALISE_HINT = "Tip: tap /start to fit the plan to your days, place and time zone."


@command(
    "today",
    "Today's workout, or what to do on a rest day",
    syntax="[train]",
    details="On a rest day, '/today train' shows the next workout anyway.",
    examples=("/today", "/today train"),
    reads=PLAN_READS,
)
async def today_command(ctx: Context, args: str) -> list[Reply]:
    today = ctx.local_now.date()
    session = await todays_session(ctx, create=False)
    train_anyway = args.strip().lower() in ("train", "workout", "anyway")
    if args.strip() and not train_anyway:
        return [
            Reply(
                f"I didn't understand '{args.strip()}' after /today. Send /today for today's plan, "
                "or '/today train' to see the next workout on a rest day."
            )
        ]
    if session is None and not train_anyway and not is_training_day(ctx, today):
        plan = await plan_for(ctx, None)  # nothing to train, but notices and check-ins still count
        if plan.no_training:
            return [held_reply(plan)]
        return [rest_day_reply(ctx, plan.notices)] + plan.checkins
    session = session or await todays_session(ctx, create=True)
    plan = await plan_for(ctx, session)
    if plan.no_training:
        return [held_reply(plan)]
    day_name = f"{plan.program.name} - {plan.day.title}"
    if plan.rest_only:
        return [adapted_rest_reply(ctx, plan)] + plan.checkins
    if session.completed_at is not None:
        return [
            Reply(
                f"Today's session is done. Well trained! {next_workout_sentence(ctx)}\n\n{render_plan(plan, ctx.profile.units)}",
                title=day_name,
            )
        ]
    text = render_plan(plan, ctx.profile.units)
    text += f"\n\nLog sets by writing them, e.g. {log_example(ctx.profile)}. Finished? /done"
    if not ctx.profile.onboarded:
        text += f"\n\n{PERSONALISE_HINT}"
    return [Reply(text, title=f"Today: {day_name}").with_buttons([[Button("Done for today", "/done")]])] + plan.checkins


def rest_day_reply(ctx: Context, notices: Sequence[str] = ()) -> Reply:
    when = next_workout_sentence(ctx)
    routine = ctx.library.routines["rest_day"][0].render(ctx.library.catalog)
    text = f"Today is a rest day: recovery is when you get stronger. {when}\n\nIf you want to move a little:\n{routine}"
    if notices:
        text = "\n".join(notices) + "\n\n" + text
    if not ctx.profile.onboarded:
        text += f"\n\n{PERSONALISE_HINT}"
    return Reply(text, title="Rest day").with_buttons([[Button("Train anyway", "/today train")]])


def held_reply(plan: WorkoutPlan) -> Reply:
    """A referral for same-day care: no workout and no routine, only the referral, every time."""
    return Reply("\n".join(plan.notices), title="Please get this checked first").with_buttons(
        [[Button("A clinician cleared me", "/pain clear")]]
    )


def adapted_rest_reply(ctx: Context, plan: WorkoutPlan) -> Reply:
    """An adjuster turned a training day into rest: say why, and offer the gentle routine."""
    routine = ctx.library.routines["rest_day"][0].render(ctx.library.catalog)
    parts = plan.notices + (
        [""] + ["Changed for you today:"] + [f"- {c}" for c in plan.changes] if plan.changes else []
    )
    text = "\n".join(parts) + f"\n\nIf it feels OK, move gently:\n{routine}"
    return Reply(text.strip(), title="Today: rest and mobility")


@command("done", "Mark today's session as finished", examples=("/done",))
async def done_command(ctx: Context, args: str) -> list[Reply]:
    session = await todays_session(ctx, create=False)
    if session is None:
        return [Reply("There is no session started today. See /today for your workout.")]
    if session.completed_at is not None:
        return [Reply("Today's session is already marked done.")]
    await ctx.uow.sessions.complete(session.id, ctx.now)
    ctx.profile.completed_sessions += 1
    program = ctx.library.program(session.program_id)
    following = program.day_at(ctx.profile.completed_sessions)
    return [Reply(f"Session done. {next_workout_sentence(ctx, following.title)}")]
