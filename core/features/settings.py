"""Settings commands: every onboarding answer can also be changed directly."""

from __future__ import annotations

from rapidfuzz import fuzz, process

from core.commands import command
from core.context import Context
from core.domain import Button, Program, Reply
from core.pain.referral import area_name
from core.pain.reports import PainReport
from core.preferences import (
    PreferenceError,
    ZoneChoice,
    day_presets,
    days_a_week,
    format_weekdays,
    parse_units,
    parse_weekdays,
    place_of,
    read_days,
    resolve_timezone,
)
from core.profile import PLACES
from core.reminders import GLUTE_UP
from core.wording import listing


def program_buttons(ctx: Context) -> list[list[Button]]:
    return [[Button(p.name, f"/program {p.id}")] for p in ctx.library.programs.values()]


def find_program(ctx: Context, text: str) -> Program | None:
    wanted = text.strip().lower().replace(" ", "_")
    programs = ctx.library.programs
    if wanted in programs:
        return programs[wanted]
    names = {p.id: f"{p.id} {p.name}".lower() for p in programs.values()}
    guess = process.extractOne(text.lower(), names, scorer=fuzz.WRatio, score_cutoff=70)
    return programs[guess[2]] if guess else None


EXPERIENCE = {"novice": "novice (new to lifting)", "intermediate": "intermediate (lifting for 6+ months)"}


async def settings_text(ctx: Context) -> str:
    """Every setting, each with the command that changes it."""
    p = ctx.profile
    program = ctx.library.program(p.program_id)
    days = p.weekdays or program.default_weekdays
    reminders = await ctx.uow.reminders.for_user(ctx.user.id)
    breaks = reminders.get(GLUTE_UP)
    pains = await ctx.uow.pain.current(ctx.user.id, ctx.now)
    local = "%a %d %b %H:%M"
    rows = [
        ("Program", program.name + ("" if p.program_id else " (default)"), "/program"),
        ("Place", PLACES.get(p.place or program.place, p.place or program.place), "/program or /start"),
        ("Training days", format_weekdays(days) + ("" if p.weekdays else " (program default)"), "/days mon thu"),
        ("Time zone", p.timezone, "/tz Europe/Berlin"),
        ("Units", p.units, "/units kg or /units lb"),
        ("Experience", EXPERIENCE.get(p.experience or "", "not set"), "/start"),
        (
            "Workout reminder",
            f"{p.reminder_time} on training days" if p.reminder_time else "off",
            "/remind 07:30 or /remind off",
        ),
        (
            "Glute-up breaks",
            (
                f"every {breaks.every_minutes} min, {breaks.window_start}-{breaks.window_end} on workdays"
                if breaks is not None and breaks.enabled
                else "off"
            ),
            "/gluteup on or /gluteup off",
        ),
        (
            "Quiet hours",
            f"{p.quiet_start}-{p.quiet_end}" if p.quiet_start and p.quiet_end else "none",
            "/quiet 22:00-07:00 or /quiet off",
        ),
        (
            "Paused",
            (
                f"until {p.paused_until.astimezone(p.zone).strftime(local)}"
                if p.paused_until and p.paused_until > ctx.now
                else "no"
            ),
            "/pause 3d or /resume",
        ),
        (
            "Pain",
            listing([_pain_line(ctx, r) for r in pains]) if pains else "none reported",
            "/pain knee mild or /pain clear",
        ),
    ]
    lines = [f"{name}: {value}  ({change})" for name, value, change in rows]
    if not p.onboarded:
        lines += ["", "Personalise all of this in one go with /start."]
    return "\n".join(lines)


def _pain_line(ctx: Context, report: PainReport) -> str:
    name = area_name(ctx, report.area)  # "symptoms" for a report without an area (a crash here before)
    state = {"referred": "get it checked first", "screening": "safety check unanswered"}.get(
        report.status, report.severity
    )
    return f"{name} ({state})"


@command("program", "Choose your training program", syntax="[name]", examples=("/program", "/program gym_3x"))
async def program_command(ctx: Context, args: str) -> list[Reply]:
    if not args:
        current = ctx.library.program(ctx.profile.program_id)
        lines = [f"{p.name} ({p.id}): {p.summary}" for p in ctx.library.programs.values()]
        text = f"You are on: {current.name}\n\n" + "\n".join(lines) + "\n\nPick one:"
        return [Reply(text, title="Programs").with_buttons(program_buttons(ctx))]
    program = find_program(ctx, args)
    if program is None:
        return [Reply(f"I don't know the program '{args[:40]}'. Pick one:").with_buttons(program_buttons(ctx))]
    ctx.profile.program_id = program.id
    ctx.profile.place = program.place
    note = ""
    if len(ctx.profile.weekdays) not in (0, program.days_per_week):
        note = (
            f"\nIt is built for {program.days_per_week} days a week; you train on "
            f"{format_weekdays(ctx.profile.weekdays)}. Change them with /days."
        )
    return [Reply(f"Program set: {program.name}.\n{program.summary}{note}")]


@command(
    "days",
    "Set your training weekdays",
    syntax="<days>",
    examples=("/days mon thu", "/days tue,fri", "/days mon wed fri"),
)
async def days_command(ctx: Context, args: str) -> list[Reply]:
    if not args:
        program = ctx.library.program(ctx.profile.program_id)
        days = ctx.profile.weekdays or program.default_weekdays
        return [Reply(f"You train on {format_weekdays(days)}. Change it like: /days mon thu")]
    count = days_a_week(args)
    if count is not None:  # "/days 3", as setup reads it
        presets = [[Button(label, f"/days {days}")] for label, days in day_presets(count)]
        return [Reply(f"{count} days a week, got it. Which {'day' if count == 1 else 'days'}?").with_buttons(presets)]
    try:
        ctx.profile.weekdays = parse_weekdays(read_days(args))
    except PreferenceError as err:
        return [Reply(str(err))]
    return [Reply(f"Training days set: {format_weekdays(ctx.profile.weekdays)}.")]


@command("tz", "Set your time zone", syntax="<Region/City>", examples=("/tz Europe/Berlin", "/tz new york"))
async def tz_command(ctx: Context, args: str) -> list[Reply]:
    if not args:
        return [Reply(f"Your time zone is {ctx.profile.timezone}. Change it like: /tz Europe/Berlin")]
    try:
        ctx.profile.timezone = resolve_timezone(args, ctx.now)
    except ZoneChoice as choice:
        return [Reply(str(choice)).with_buttons([[Button(place_of(z), f"/tz {z}")] for z in choice.zones])]
    except PreferenceError as err:
        return [Reply(str(err))]
    local = ctx.local_now.strftime("%H:%M")
    return [Reply(f"Time zone set: {ctx.profile.timezone} (it is {local} there now).")]


@command("units", "Use kg or lb", syntax="kg|lb", examples=("/units kg", "/units lb"))
async def units_command(ctx: Context, args: str) -> list[Reply]:
    if not args:
        return [
            Reply(f"You use {ctx.profile.units}.").with_buttons(
                [[Button("kg", "/units kg"), Button("lb", "/units lb")]]
            )
        ]
    try:
        ctx.profile.units = parse_units(args)
    except PreferenceError as err:
        return [Reply(str(err))]
    return [Reply(f"Units set: {ctx.profile.units}.")]


@command("settings", "Show all your settings", examples=("/settings",))
async def settings_command(ctx: Context, args: str) -> list[Reply]:
    return [Reply(await settings_text(ctx), title="Your settings")]
