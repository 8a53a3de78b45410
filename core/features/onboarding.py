"""/start: onboarding as a short series of choices.

Each step is a question with buttons; a button sends `/start <step> <value>`.
Typed answers work too: words for a button are matched by the coach
(core/answers.py), and each step reads its own free forms here ("3 days",
"mon, wed and fri", "I'm in Berlin", "7pm", "2 years"). Text that answers
nothing (a set log, pain talk) is handled elsewhere and the question comes back.
Every step can be redone later with its own command (/equipment, /program, /days, /tz, /units, /remind).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable

from core.answers import is_no, normalise
from core.commands import command
from core.context import Context
from core.conversation import pending_handler
from core.domain import Button, Reply
from core.preferences import (
    DAY_PRESETS,
    PreferenceError,
    day_presets,
    days_a_week,
    format_weekdays,
    parse_clock_time,
    parse_units,
    parse_weekdays,
    read_days,
    resolve_timezone,
)
from core.features.equipment import gear_buttons, set_gear
from core.gear import GearError, available
from core.profile import PLACES
from core.programs import choose_program
from core.wording import log_example

ONBOARDING = "onboarding"
EXPERIENCE = {"novice": "new to lifting", "intermediate": "lifting for 6+ months"}
ZONE_PREFIX = re.compile(
    r"^(?:im in|i am in|i live in|living in|based in|in|near|my time ?zone is|time ?zone|"
    r"tz|its|it is)\s+"
)
TIME_FILLERS = re.compile(r"\b(?:at|around|about|by|please|oclock|o clock|maybe)\b")
DURATION_WORDS = {
    "a": 1,
    "an": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "few": 3,
    "couple": 2,
    "several": 4,
}
EXPERIENCE_DURATION = re.compile(
    r"(?<!\w)(\d{1,3}|a|an|one|two|three|four|five|six|few|couple|several)\+?\s*(?:of\s+)?"
    r"(years?|yrs?|months?|mos?|weeks?|wks?)"
)
COMMON_ZONES = ("Europe/London", "Europe/Berlin", "America/New_York", "America/Los_Angeles", "Asia/Kolkata", "UTC")
REMINDER_TIMES = ("07:00", "12:00", "18:00")


@dataclass(frozen=True)
class Step:
    key: str
    question: str
    buttons: Callable[[Context], list[list[Button]]]
    apply: Callable[[Context, str], str]  # returns what was set, raises PreferenceError
    read: Callable[[str], str] = lambda text: text  # typed free text -> a value for apply, or PreferenceError


def _read_experience(text: str) -> str:
    """'2 years', 'a few months' -> intermediate/novice (6 months is the line the buttons draw)."""
    match = EXPERIENCE_DURATION.search(normalise(text))
    if match is None:
        return text
    amount = int(match[1]) if match[1].isdigit() else DURATION_WORDS[match[1]]
    months = amount * {"y": 12, "m": 1, "w": 0.25}[match[2][0]]
    return "intermediate" if months >= 6 else "novice"


def _read_zone(text: str) -> str:
    return ZONE_PREFIX.sub("", normalise(text).replace("_", " ")).strip() or text


def _read_time(text: str) -> str:
    if is_no(text):
        return "off"
    return TIME_FILLERS.sub(" ", normalise(text)).strip() or text


def _apply_experience(ctx: Context, value: str) -> str:
    level = value.strip().lower()
    if level not in EXPERIENCE:
        raise PreferenceError("Are you new to lifting, or have you been lifting for 6 months or more?")
    ctx.profile.experience = level
    return f"Experience: {EXPERIENCE[level]}"


def _apply_place(ctx: Context, value: str) -> str:
    place = value.strip().lower()
    if place not in PLACES:
        raise PreferenceError("Do you train at a gym or at home?")
    ctx.profile.place = place
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
    program = choose_program(ctx.library.programs, ctx.profile.place or "home", len(days), ctx.profile.experience, have)
    ctx.profile.program_id = program.id
    return f"Days: {format_weekdays(days)} - program: {program.name}"


def _apply_tz(ctx: Context, value: str) -> str:
    ctx.profile.timezone = resolve_timezone(value, ctx.now)
    return f"Time zone: {ctx.profile.timezone}"


def _apply_units(ctx: Context, value: str) -> str:
    try:
        ctx.profile.units = parse_units(normalise(value))
    except PreferenceError:
        raise PreferenceError("Kilograms or pounds? Type kg or lb.") from None
    return f"Units: {ctx.profile.units}"


def _apply_reminder(ctx: Context, value: str) -> str:
    if value.strip().lower() in ("off", "no", "none"):
        ctx.profile.reminder_time = None
        return "Reminders: off"
    ctx.profile.reminder_time = parse_clock_time(value)
    return f"Reminder: {ctx.profile.reminder_time} on training days"


def _day_buttons(ctx: Context, counts: tuple[int, ...] | None = None) -> list[list[Button]]:
    counts = counts or ((2,) if ctx.profile.place == "home" else (2, 3))
    return [[Button(label, f"/start days {days}")] for n in counts for label, days in day_presets(n)]


def ask_which_days(ctx: Context, count: int) -> Reply:
    ctx.set_pending(ONBOARDING, step="days")
    program = choose_program(ctx.library.programs, ctx.profile.place or "home", count)
    note = (
        ""
        if program.days_per_week == count
        else (f" ({program.name} is built for {program.days_per_week} days a week; extra days can be rest or a walk.)")
    )
    example = DAY_PRESETS[count][0].replace(" ", ", ")
    return Reply(
        f"{count} days a week, got it.{note} Which {'day' if count == 1 else 'days'}? "
        f"Pick or type them, e.g. {example}",
        title=f"Setup {STEPS.index(STEP_BY_KEY['days']) + 1}/{len(STEPS)}",
    ).with_buttons(_day_buttons(ctx, (count,)))


STEPS: tuple[Step, ...] = (
    Step(
        "experience",
        "How long have you been lifting?",
        lambda ctx: [[Button(label.capitalize(), f"/start experience {key}")] for key, label in EXPERIENCE.items()],
        _apply_experience,
        _read_experience,
    ),
    Step(
        "place",
        "Where do you train?",
        lambda ctx: [[Button(label.capitalize(), f"/start place {key}")] for key, label in PLACES.items()],
        _apply_place,
        lambda text: normalise(text),
    ),
    Step(
        "equipment",
        "What can you train with? Pick one or type it, e.g. barbell dumbbells bands",
        lambda ctx: gear_buttons(ctx, "/start equipment"),
        _apply_equipment,
    ),
    Step("days", "Which days do you want to train? (or type them, e.g. mon thu)", _day_buttons, _apply_days, read_days),
    Step(
        "tz",
        "What is your time zone? Pick one or type your city, e.g. Madrid",
        lambda ctx: [[Button(zone, f"/start tz {zone}")] for zone in COMMON_ZONES],
        _apply_tz,
        _read_zone,
    ),
    Step(
        "units",
        "Kilograms or pounds?",
        lambda ctx: [[Button("kg", "/start units kg"), Button("lb", "/start units lb")]],
        _apply_units,
    ),
    Step(
        "remind",
        "When should I remind you on training days? (or type a time, e.g. 7pm)",
        lambda ctx: (
            [[Button(t, f"/start remind {t}")] for t in REMINDER_TIMES]
            + [[Button("No reminders", "/start remind off")]]
        ),
        _apply_reminder,
        _read_time,
    ),
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
    return next_question(ctx, step, done)


def next_question(ctx: Context, step: Step, done: str) -> list[Reply]:
    index = STEPS.index(step)
    if index + 1 < len(STEPS):
        return [ask(ctx, STEPS[index + 1], prefix=f"✓ {done}\n\n")]
    return [finish(ctx, done)]


def finish(ctx: Context, last: str) -> Reply:
    ctx.clear_pending()
    ctx.profile.onboarded_at = ctx.profile.onboarded_at or ctx.now
    program = ctx.library.program(ctx.profile.program_id)
    text = (
        f"✓ {last}\n\nAll set! You're on {program.name}, training {format_weekdays(ctx.profile.weekdays)}.\n"
        f"Log sets by just writing them, e.g. {log_example(ctx.profile)}. /settings shows everything."
    )
    return Reply(text, title="Welcome to Glute Up").with_buttons([[Button("Today's workout", "/today")]])


@command(
    "start",
    "Set up your coaching in a few taps",
    syntax="[step value]",
    examples=("/start", "/start units kg"),
    buttons=(
        (
            "experience|place|equipment|days|tz|units|remind <value...>",
            "answer that setup question; the next one follows",
        ),
    ),
)
async def start_command(ctx: Context, args: str) -> list[Reply]:
    key, _, value = args.partition(" ")
    step = STEP_BY_KEY.get(key.lower())
    if step is not None and value.strip():
        return answer(ctx, step, value)
    greeting = (
        "Hi! I'm Glute Up, your glute coach. Seven quick questions and you get a plan for "
        "your days, your place and your time zone.\n\n"
    )
    return [ask(ctx, STEPS[0], prefix=greeting)]


def _current_step(ctx: Context) -> Step:
    return STEP_BY_KEY.get((ctx.profile.pending or {}).get("step", ""), STEPS[0])


def ask_again(ctx: Context, compact: bool) -> Reply:
    """The open setup question after something else was handled; one line when other buttons are showing."""
    step = _current_step(ctx)
    if compact:
        ctx.set_pending(ONBOARDING, step=step.key)
        return Reply(
            f"(Setup {STEPS.index(step) + 1}/{len(STEPS)} is still open: {step.question.split('?')[0]}? "
            "Answer whenever you're ready.)"
        )
    return ask(ctx, step, prefix="Back to your setup. ")


@pending_handler(ONBOARDING, repeat=ask_again, owner="start")
async def typed_answer(ctx: Context, text: str) -> list[Reply] | None:
    """None when the text answers nothing, so a set log or pain talk is handled instead."""
    step = STEP_BY_KEY.get((ctx.profile.pending or {}).get("step", ""))
    if step is None:
        ctx.clear_pending()
        return None
    if step.key == "days" and (count := days_a_week(text)) is not None:
        return [ask_which_days(ctx, count)]
    try:
        done = step.apply(ctx, step.read(text))  # apply checks before it changes anything
    except PreferenceError as err:
        ctx.not_an_answer = str(err)
        return None
    return next_question(ctx, step, done)
