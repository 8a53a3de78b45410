"""/start: onboarding as a short series of choices.

Each step is a question with buttons; a button sends `/start <step> <value>`,
and typed answers work too (handy for time zones). Every step can be redone
later with its own command (/equipment, /program, /days, /tz, /units, /remind).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from core.commands import command
from core.context import Context
from core.conversation import pending_handler
from core.domain import Button, Reply
from core.preferences import (
    PreferenceError,
    format_weekdays,
    parse_clock_time,
    parse_units,
    parse_weekdays,
    resolve_timezone,
)
from core.features.equipment import gear_buttons, set_gear
from core.gear import GearError, available
from core.programs import choose_program

ONBOARDING = "onboarding"
EXPERIENCE = {"novice": "new to lifting", "intermediate": "lifting for 6+ months"}
PLACES = {"gym": "a gym", "home": "home, with bands and bodyweight"}
DAY_PRESETS = {2: ("mon thu", "tue fri", "wed sat"), 3: ("mon wed fri", "tue thu sat")}
COMMON_ZONES = ("Europe/London", "Europe/Berlin", "America/New_York", "America/Los_Angeles", "Asia/Kolkata", "UTC")
REMINDER_TIMES = ("07:00", "12:00", "18:00")


@dataclass(frozen=True)
class Step:
    key: str
    question: str
    buttons: Callable[[Context], list[list[Button]]]
    apply: Callable[[Context, str], str]  # returns what was set, raises PreferenceError


def _apply_experience(ctx: Context, value: str) -> str:
    level = value.strip().lower()
    if level not in EXPERIENCE:
        raise PreferenceError("Choose novice or intermediate.")
    ctx.profile.experience = level
    return f"Experience: {EXPERIENCE[level]}"


def _apply_place(ctx: Context, value: str) -> str:
    place = value.strip().lower()
    if place not in PLACES:
        raise PreferenceError("Choose gym or home.")
    ctx.profile.setting = place
    return f"Training at {PLACES[place]}"


def _apply_equipment(ctx: Context, value: str) -> str:
    try:
        return set_gear(ctx, value)
    except GearError as err:
        raise PreferenceError(str(err)) from None


def _apply_days(ctx: Context, value: str) -> str:
    days = parse_weekdays(value)
    ctx.profile.weekdays = days
    have = available(ctx.profile.equipment, frozenset()) if ctx.profile.equipment else None
    program = choose_program(ctx.library.programs, ctx.profile.setting or "home", len(days),
                             ctx.profile.experience, have)
    ctx.profile.program_id = program.id
    return f"Days: {format_weekdays(days)} - program: {program.name}"


def _apply_tz(ctx: Context, value: str) -> str:
    ctx.profile.timezone = resolve_timezone(value)
    return f"Time zone: {ctx.profile.timezone}"


def _apply_units(ctx: Context, value: str) -> str:
    ctx.profile.units = parse_units(value)
    return f"Units: {ctx.profile.units}"


def _apply_reminder(ctx: Context, value: str) -> str:
    if value.strip().lower() in ("off", "no", "none"):
        ctx.profile.reminder_time = None
        return "Reminders: off"
    ctx.profile.reminder_time = parse_clock_time(value)
    return f"Reminder: {ctx.profile.reminder_time} on training days"


def _day_buttons(ctx: Context) -> list[list[Button]]:
    counts = (2,) if ctx.profile.setting == "home" else (2, 3)
    return [[Button(format_weekdays(parse_weekdays(p)), f"/start days {p}")] for n in counts for p in DAY_PRESETS[n]]


STEPS: tuple[Step, ...] = (
    Step("experience", "How long have you been lifting?",
         lambda ctx: [[Button(label.capitalize(), f"/start experience {key}")] for key, label in EXPERIENCE.items()],
         _apply_experience),
    Step("place", "Where do you train?",
         lambda ctx: [[Button(label.capitalize(), f"/start place {key}")] for key, label in PLACES.items()],
         _apply_place),
    Step("equipment", "What can you train with? Pick one or type it, e.g. barbell dumbbells bands",
         lambda ctx: gear_buttons(ctx, "/start equipment"), _apply_equipment),
    Step("days", "Which days do you want to train? (or type them, e.g. mon thu)", _day_buttons, _apply_days),
    Step("tz", "What is your time zone? Pick one or type yours, e.g. Europe/Madrid",
         lambda ctx: [[Button(zone, f"/start tz {zone}")] for zone in COMMON_ZONES], _apply_tz),
    Step("units", "Kilograms or pounds?",
         lambda ctx: [[Button("kg", "/start units kg"), Button("lb", "/start units lb")]], _apply_units),
    Step("remind", "When should I remind you on training days? (or type a time, e.g. 06:45)",
         lambda ctx: [[Button(t, f"/start remind {t}")] for t in REMINDER_TIMES]
         + [[Button("No reminders", "/start remind off")]],
         _apply_reminder),
)
STEP_BY_KEY = {step.key: step for step in STEPS}


def ask(ctx: Context, step: Step, prefix: str = "") -> Reply:
    ctx.set_pending(ONBOARDING, step=step.key)
    number = STEPS.index(step) + 1
    text = f"{prefix}{step.question}"
    return Reply(text, title=f"Setup {number}/{len(STEPS)}").with_buttons(step.buttons(ctx))


def answer(ctx: Context, step: Step, value: str) -> list[Reply]:
    try:
        done = step.apply(ctx, value)
    except PreferenceError as err:
        return [ask(ctx, step, prefix=f"{err}\n\n")]
    index = STEPS.index(step)
    if index + 1 < len(STEPS):
        return [ask(ctx, STEPS[index + 1], prefix=f"✓ {done}\n\n")]
    return [finish(ctx, done)]


def finish(ctx: Context, last: str) -> Reply:
    ctx.clear_pending()
    ctx.profile.onboarded_at = ctx.profile.onboarded_at or ctx.now
    program = ctx.library.program(ctx.profile.program_id)
    text = (f"✓ {last}\n\nAll set! You're on {program.name}, training {format_weekdays(ctx.profile.weekdays)}.\n"
            "Log sets by just writing them, e.g. hip thrust 3x10 @ 60kg. /settings shows everything.")
    return Reply(text, title="Welcome to Glute Up").with_buttons([[Button("Today's workout", "/today")]])


@command("start", "Set up your coaching in a few taps", syntax="[step value]",
         examples=("/start", "/start units kg"))
async def start_command(ctx: Context, args: str) -> list[Reply]:
    key, _, value = args.partition(" ")
    step = STEP_BY_KEY.get(key.lower())
    if step is not None and value.strip():
        return answer(ctx, step, value)
    greeting = ("Hi! I'm Glute Up, your glute coach. Seven quick questions and you get a plan for "
                "your days, your place and your time zone.\n\n")
    return [ask(ctx, STEPS[0], prefix=greeting)]


@pending_handler(ONBOARDING)
async def typed_answer(ctx: Context, text: str) -> list[Reply] | None:
    step = STEP_BY_KEY.get((ctx.profile.pending or {}).get("step", ""))
    if step is None:
        ctx.clear_pending()
        return None
    return answer(ctx, step, text)
