"""Logging sets by writing them: the text handler, /log, /undo, /history, and /today's marks.

Every line of a message is one log. A line is stored only when both its
numbers and its exercise are certain; otherwise the person gets buttons that
resend the line in a form that is certain, so nothing is stored wrongly and
nothing is lost without them choosing it.
"""

from __future__ import annotations

import re
import uuid

from core.catalog import CONFIDENT, POSSIBLE
from core.commands import command
from core.context import Context
from core.conversation import text_handler
from core.domain import Button, Exercise, LoadType, Reply
from core.programs import HARD_BLOCKS
from core.progress import KG_PER_LB, number
from core.setlog.coaching import comparison, describe_sets, next_load, personal_records
from core.setlog.entries import NewEntry, SetRecord
from core.setlog.parser import ParsedLine, Unreadable, looks_like_a_log, parse_line, split_lines
from core.workout import WorkoutPlan, describe_day, next_training_day, plan_adjuster, todays_session

EXAMPLES = "hip thrust 3x10 @ 60kg\nbss 10/10/8 12.5kg"
MAX_LINES = 20
BY_ID = re.compile(r"^#(?P<id>[a-z0-9_]+)\s+(?P<rest>.*)$")
CUSTOM_PREFIX = "custom_"
MAX_CUSTOM_NAME = 50  # its id (prefix + name) must fit the 64 characters the database keeps


@text_handler(order=50)
async def read_log(ctx: Context, text: str) -> list[Reply] | None:
    """In private chats any message with numbers in it is read as a log."""
    if not ctx.incoming.is_private or not any(looks_like_a_log(line) for line in split_lines(text)):
        return None
    return await log_message(ctx, text)


@command("log", "Log sets, e.g. /log hip thrust 3x10 @ 60kg", syntax="<exercise sets x reps @ load>",
         details="In a private chat you can skip /log and just write the sets. Several lines = several logs.",
         examples=("/log hip thrust 3x10 @ 60kg", "/log bss 10/10/8 12.5kg", "/log bridges 2x20"))
async def log_command(ctx: Context, args: str) -> list[Reply]:
    if not args:
        return [Reply(f"Write the exercise, sets x reps and the load, e.g.\n{EXAMPLES}")]
    if args.strip().lower() == "cancel":
        return [Reply("OK, nothing logged.")]
    return await log_message(ctx, args)


async def log_message(ctx: Context, text: str) -> list[Reply]:
    key = ctx.incoming.message_key or f"{ctx.incoming.platform}:{uuid.uuid4().hex}"
    existing = await ctx.uow.setlog.entry_ids_for_message(ctx.user.id, key)
    if existing and not ctx.incoming.edited:
        return [Reply(f"Already logged '{_short(text)}' (that message arrived twice); nothing new stored.")]
    every_line = split_lines(text)
    lines = every_line[:MAX_LINES]
    parsed = [_parse(ctx, line) for line in lines]
    if ctx.incoming.edited and existing:
        if any(isinstance(p, Unreadable) for p in parsed):
            return [Reply("I couldn't read the edited message, so your earlier log stays as it was.\n"
                          f"Write it like:\n{EXAMPLES}")]
        await ctx.uow.setlog.delete(ctx.user.id, existing)

    stored, asks, problems = [], [], []
    if len(every_line) > MAX_LINES:
        problems.append(f"I read only the first {MAX_LINES} lines; the other {len(every_line) - MAX_LINES} "
                        f"(from '{_short(every_line[MAX_LINES], 30)}' on) were not stored: send them again.")
    for line_no, (line, result) in enumerate(zip(lines, parsed)):
        if isinstance(result, Unreadable):
            problems.append(f"I couldn't read '{_short(line)}': {result.reason}.")
            continue
        parsed_line, exercise, custom_name, question = result
        if question is not None:
            asks.append(question)
            continue
        stored.append(await _store(ctx, exercise, custom_name, line, key, line_no, parsed_line))

    replies: list[Reply] = []
    if stored:
        verb = "Updated" if ctx.incoming.edited and existing else "Logged"
        body = "\n".join(stored)
        finished = await _finish_session_if_complete(ctx)
        replies.append(Reply(f"{verb}:\n{body}" + (f"\n\n{finished}" if finished else "")))
    replies.extend(asks)
    if problems:
        hint = f"\n\nNothing from those lines was stored. Write them like:\n{EXAMPLES}"
        replies.append(Reply("\n".join(problems) + hint))
    return replies


def _parse(ctx: Context, line: str):
    """(parsed, exercise, custom name, question-or-None) for a readable line, else Unreadable."""
    by_id = BY_ID.match(line.strip())
    custom = re.match(r"^custom\s+", line.strip(), flags=re.I)
    body = by_id["rest"] if by_id else line.strip()[custom.end():] if custom else line
    parsed = parse_line(body, ctx.profile.units, name_required=not by_id)
    if isinstance(parsed, Unreadable):
        return parsed
    if by_id:
        if by_id["id"] not in ctx.library.catalog:
            return Unreadable(line, f"there is no exercise '{by_id['id']}'")
        return parsed, ctx.library.catalog.get(by_id["id"]), None, None
    if custom:
        if len(parsed.exercise) > MAX_CUSTOM_NAME:  # never cut a name silently
            return Unreadable(line, f"a name of your own can have at most {MAX_CUSTOM_NAME} characters")
        return parsed, None, parsed.exercise, None
    match = ctx.library.catalog.resolve(parsed.exercise)
    if match is not None and match.score >= CONFIDENT:
        return parsed, match.exercise, None, None
    return parsed, None, None, _ask_which(ctx, parsed)


def _ask_which(ctx: Context, parsed: ParsedLine) -> Reply:
    numbers = _numbers_text(parsed)
    candidates = [m for m in ctx.library.catalog.candidates(parsed.exercise, limit=3) if m.score >= POSSIBLE]
    rows = [[Button(m.exercise.name, f"/log #{m.exercise.id} {numbers}")] for m in candidates]
    rows.append([Button(f"Log '{_short(parsed.exercise, 30)}' as my own", f"/log custom {parsed.exercise[:30]} {numbers}")])
    rows.append([Button("Cancel", "/log cancel")])
    if candidates:
        text = f"Did you mean {candidates[0].exercise.name}? I read: {parsed.exercise} {numbers}"
    else:
        text = (f"'{_short(parsed.exercise)}' isn't in my exercise list. Log it as your own exercise? "
                f"I read: {numbers}")
    return Reply(text).with_buttons(rows)


def _numbers_text(parsed: ParsedLine) -> str:
    """The sets in a form the parser reads back exactly (used in buttons)."""
    sets, unit = parsed.sets, parsed.unit or "kg"
    load = f" {number(sets[0].load)}{unit}" if sets[0].load else ""
    if sets[0].seconds:
        text = f"{len(sets)}x{sets[0].seconds}s{load}"
    elif len({s.reps for s in sets}) == 1:
        text = f"{len(sets)}x{sets[0].reps}{load}"
    else:
        text = f"{'/'.join(str(s.reps) for s in sets)}{load}"
    if parsed.per_side:
        text += " per side"
    if parsed.rpe:
        text += f" rpe {number(parsed.rpe)}"
    return text


async def _store(ctx: Context, exercise: Exercise | None, custom_name: str | None, line: str, key: str,
                 line_no: int, parsed: ParsedLine) -> str:
    exercise_id = exercise.id if exercise else CUSTOM_PREFIX + re.sub(r"[^a-z0-9]+", "_", custom_name.lower()).strip("_")
    unit = parsed.unit or ctx.profile.units
    factor = KG_PER_LB if unit == "lb" else 1.0
    records = tuple(SetRecord(s.reps, s.load * factor if s.load else None, s.seconds, parsed.rpe, parsed.per_side)
                    for s in parsed.sets)
    previous = await ctx.uow.setlog.recent(ctx.user.id, exercise_id=exercise_id, limit=1)
    history = [SetRecord(s.reps, s.load_kg, s.seconds) for s in
               await ctx.uow.progress.sets_for_exercise(ctx.user.id, exercise_id)]
    session = await todays_session(ctx, create=True)
    local = ctx.local_now
    await ctx.uow.setlog.add(ctx.user.id, NewEntry(exercise_id, custom_name, unit, line, key, line_no, ctx.now,
                                                   local.date(), session.id, records))
    units = ctx.profile.units
    name = exercise.name if exercise else f"{custom_name} (your own exercise)"
    text = f"✓ {name}: {describe_sets(records, units)}"
    if parsed.rpe:
        text += f", RPE {number(parsed.rpe)}"
    if previous:
        text += f"\n   {comparison(records, previous[0], units)}"
    for record in personal_records(records, history, units):
        text += f"\n   🏆 {record.text}"
    return text


async def _finish_session_if_complete(ctx: Context) -> str | None:
    """When every hard exercise of today's plan has a log, the session is done and the rotation moves on."""
    session = await todays_session(ctx, create=False)
    if session is None or session.completed_at is not None:
        return None
    program = ctx.library.program(session.program_id)
    planned = {item.exercise_id for item in program.days[session.day_index % len(program.days)].items
               if item.block in HARD_BLOCKS}
    logged = await ctx.uow.setlog.exercises_in_session(ctx.user.id, session.id)
    if not planned or not planned <= logged:
        return None
    await ctx.uow.sessions.complete(session.id, ctx.now)
    ctx.profile.completed_sessions += 1
    upcoming = next_training_day(ctx, ctx.local_now.date())
    when = f" Next workout: {describe_day(upcoming, ctx.local_now.date())}." if upcoming else ""
    return f"That's everything on today's plan: session done! ✅{when}"


@command("undo", "Remove your last logged entry", examples=("/undo",))
async def undo_command(ctx: Context, args: str) -> list[Reply]:
    last = await ctx.uow.setlog.recent(ctx.user.id, limit=1)
    if not last:
        return [Reply("There is nothing to undo: you have no logged sets.")]
    entry = last[0]
    await ctx.uow.setlog.delete(ctx.user.id, [entry.id])
    when = entry.logged_at.astimezone(ctx.profile.zone).strftime("%a %d %b %H:%M")
    return [Reply(f"Removed: {_entry_name(ctx, entry)} {describe_sets(entry.sets, ctx.profile.units)} (logged {when}).")]


@command("history", "Your recent logs", syntax="[exercise]", examples=("/history", "/history hip thrust"))
async def history_command(ctx: Context, args: str) -> list[Reply]:
    exercise_id = None
    if args.strip():
        match = ctx.library.catalog.resolve(args)
        if match is None or match.score < POSSIBLE:
            return [Reply(f"I don't know the exercise '{_short(args)}'. Example: /history hip thrust")]
        exercise_id = match.exercise.id
    entries = await ctx.uow.setlog.recent(ctx.user.id, exercise_id=exercise_id, limit=15)
    if not entries:
        what = f" of {ctx.library.catalog.get(exercise_id).name}" if exercise_id else ""
        return [Reply(f"No logs{what} yet. Log one by writing it, e.g. hip thrust 3x10 @ 60kg")]
    lines = [f"{e.local_date:%a %d %b}: {_entry_name(ctx, e)} {describe_sets(e.sets, ctx.profile.units)}"
             for e in entries]
    return [Reply("\n".join(lines), title="Recent logs")]


def _entry_name(ctx: Context, entry) -> str:
    if entry.exercise_id in ctx.library.catalog:
        return ctx.library.catalog.get(entry.exercise_id).name
    return entry.custom_name or entry.exercise_id


def _short(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


@plan_adjuster(order=20)
async def mark_done_and_suggest_loads(ctx: Context, plan: WorkoutPlan) -> None:
    done = await ctx.uow.setlog.exercises_in_session(ctx.user.id, plan.session.id) if plan.session else set()
    weighted = [line.exercise.id for line in plan.lines if line.exercise.load_type == LoadType.WEIGHTED]
    previous = await ctx.uow.setlog.recent_per_exercise(ctx.user.id, weighted, per_exercise=2)
    for line in plan.lines:
        line.done = line.exercise.id in done
        if not line.done and not line.load_hint:
            line.load_hint = next_load(line.planned, line.exercise, previous.get(line.exercise.id, []),
                                       ctx.profile.units)
