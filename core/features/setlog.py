"""Logging sets by writing them: the text handler, /log, /undo, /history, and /today's marks.

Every line of a message is one log, except that a pasted workout (an exercise
name on its own line, then 'Set 1: 60 kg × 10' lines) is one log per exercise,
and a line of only numbers belongs to the exercise above it or, failing that,
to the exercise logged last in this session. A line is stored only when its
numbers, its exercise and its load are certain; otherwise the person gets
buttons that resend the line in a form that is certain (core.setlog.render),
so nothing is stored wrongly and nothing is lost without them choosing it.
Every button carries a reference to the message and line it came from, and
stores under that reference, so pressing it twice stores once.
"""

from __future__ import annotations

import hashlib
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import timedelta
from typing import TypeVar, overload

from core.catalog import COMPACT_SCORE, CONFIDENT, POSSIBLE, normalise
from core.commands import command
from core.context import Context
from core.conversation import text_handler
from core.domain import Button, Exercise, LoadType, Reply, TrainingDay
from core.programs import HARD_BLOCKS
from core.progress import KG_PER_LB, approx_number, number
from core.setlog.coaching import comparison, describe_sets, personal_records, top_load, work_sets
from core.setlog.entries import LoggedEntry, NewEntry, SetRecord
from core.setlog.parser import (
    Ambiguous,
    ParsedLine,
    ParsedSet,
    Unreadable,
    is_chat,
    looks_like_a_log,
    parse_line,
    split_lines,
)
from core.setlog.render import numbers_text
from core.wording import log_example, log_examples
from core.workout import WorkoutPlan, next_workout_sentence, plan_adjuster, todays_session

MAX_LINES = 20
# "/log ~3f9a0c21d4 #hip_thrust 3x10 @ 60kg": a button's reference, '!' = load confirmed, then an exercise id
BUTTON = re.compile(r"^~(?P<ref>[0-9a-f]{10})(?P<sure>!?)\s+(?P<rest>.*)$", re.S)
BY_ID = re.compile(r"^#(?P<id>[a-z0-9_]+)\s+(?P<rest>.*)$")
CUSTOM_PREFIX = "custom_"
JUMP = 1.5  # a load this many times the best so far is confirmed before it is stored or called a record
SESSION_GAP = timedelta(hours=3)  # numbers-only messages join the exercise logged last within this time
META_LINE = re.compile(
    r"^\W*(?:(?:mon|tues?|wed(?:nes)?|thu(?:rs)?|fri|sat(?:ur)?|sun)(?:day)?\b|duration\b|volume\b|total volume\b|"
    r"prs?\b|personal records?\b|@\w+|logged with\b|https?://|workout\b|week \d+\b|day \d+\b|"
    r"\d{4}-\d{2}-\d{2}\b)",
    re.I,
)
CHATTY_NAME = re.compile(
    r"(?<![^\W\d_])(?:i|my|me|you|we|our|it|this|that|was|is|are|have|has|will|today|"
    r"yesterday|week|tomorrow|workout|gym|session|need|help|think|want|can't|cant)(?![^\W\d_])",
    re.I,
)
EXERCISE_AFTER_COMMA = re.compile(
    r"(?<=\d|[a-z]),\s*(?P<words>(?:[^\W\d_][\w'-]*\s+){0,3}[^\W\d_][\w'-]*)"
    r"(?=\s*[:\-]?\s*\d)",
    re.I,
)
MAX_CUSTOM_WORDS = 5
MAX_BUTTON_COMMAND = 100  # the smallest platform limit on what a button carries (Discord's custom_id)
MAX_CUSTOM_NAME = 50  # its id (prefix + name) must fit the 64 characters the database keeps


@text_handler
async def read_log(ctx: Context, text: str) -> list[Reply] | None:
    """In private chats (and when the bot is mentioned in a group) a message with numbers is read as a log;
    talk about training that contains numbers ('is 3x10 enough?') is not."""
    if not (ctx.incoming.is_private or ctx.incoming.addressed):
        return None
    if not any(looks_like_a_log(line, _knows(ctx)) for line in split_lines(text)):
        return None
    # '6:30pm' typed at an open question is a wrong answer to it, not a failed log
    return await log_message(ctx, text, say_nothing_read=not ctx.profile.pending) or None


@command(
    "log",
    "Log sets, e.g. /log hip thrust 3x10 @ 60kg",
    syntax="<exercise sets x reps @ load>",
    details="In a private chat you can skip /log and just write the sets. Several lines = several logs.",
    examples=("/log hip thrust 3x10 @ 60kg", "/log bss 10/10/8 12.5kg", "/log bridges 2x20"),
    buttons=(
        ("~<ref> #<exercise> <sets...>", "log a reading you picked (by exercise id; '~<ref>!' = load confirmed)"),
        ("~<ref> custom <name-and-sets...>", "log it under your own exercise name"),
        ("cancel", "store nothing from that message"),
    ),
)
async def log_command(ctx: Context, args: str) -> list[Reply]:
    if not args:
        return [Reply(f"Write the exercise, sets x reps and the load, e.g.\n{log_examples(ctx.profile)}")]
    if args.strip().lower() == "cancel":
        return [Reply("OK, nothing logged.")]
    button = BUTTON.match(args.strip())
    if button:
        return await log_message(ctx, button["rest"], ref=button["ref"], sure=bool(button["sure"]))
    return await log_message(ctx, args)


@dataclass
class _Line:
    """One log to store: a line, or a pasted exercise with its set lines."""

    line_no: int
    raw: str
    parsed: ParsedLine | Ambiguous | None = None
    exercise: Exercise | None = None
    custom_name: str | None = None
    explicit: bool = False  # '#id' or 'custom' from a button: the name is settled
    joined_last: str | None = None  # numbers-only line added to the exercise logged last
    parts: list[tuple[int, str, ParsedLine | Ambiguous]] = field(
        default_factory=list
    )  # set lines under a pasted exercise name
    header_name: str = ""  # on a line that names the exercise of the set lines below it


async def log_message(
    ctx: Context, text: str, *, ref: str | None = None, sure: bool = False, say_nothing_read: bool = True
) -> list[Reply]:
    key = f"btn:{ref}" if ref else ctx.incoming.message_key or f"{ctx.incoming.platform}:{uuid.uuid4().hex}"
    existing = await ctx.uow.setlog.entry_ids_for_message(ctx.user.id, key)
    if existing and not ctx.incoming.edited:
        if ref:
            return [Reply("Already logged (that button was pressed before); nothing new stored.")]
        return [Reply(f"Already logged '{_short(text)}' (that message arrived twice); nothing new stored.")]
    every_line = [piece for line in split_lines(text) for piece in _one_exercise_each(ctx, line)]
    lines = every_line[:MAX_LINES]
    logs, problems, skipped = await _read(ctx, lines)
    if ctx.incoming.edited and existing:
        if problems or not logs or any(not isinstance(log.parsed, ParsedLine) for log in logs):
            return [
                Reply(
                    "I couldn't read the edited message, so your earlier log stays as it was.\n"
                    f"Write it like:\n{log_examples(ctx.profile)}"
                )
            ]
        await ctx.uow.setlog.delete(ctx.user.id, existing)

    stored: list[str] = []
    asks: list[Reply] = []
    if len(every_line) > MAX_LINES:
        problems.append(
            f"I read only the first {MAX_LINES} lines; the other {len(every_line) - MAX_LINES} "
            f"(from '{_short(every_line[MAX_LINES], 30)}' on) were not stored: send them again."
        )
    for log in logs:
        line_ref = ref or _ref(ctx, key, log.line_no)
        parsed = log.parsed
        assert parsed is not None  # _read returns only lines it has read
        if isinstance(parsed, Ambiguous):
            asks.append(_fitting(lambda p: _ask_reading(ctx, log, p, line_ref), parsed))
            continue
        if log.exercise is None and log.custom_name is None:
            asks.append(_fitting(lambda p: _ask_which(ctx, p, line_ref), parsed))
            continue
        result = await _store(ctx, log, parsed, key, line_ref, sure)
        if isinstance(result, str):
            stored.append(result)
        else:
            asks.append(result)

    replies: list[Reply] = []
    if stored:
        verb = "Updated" if ctx.incoming.edited and existing else "Logged"
        body = "\n".join(stored)
        finished = await _finish_session_if_complete(ctx)
        replies.append(Reply(f"{verb}:\n{body}" + (f"\n\n{finished}" if finished else "")))
    replies.extend(asks)
    if problems:
        hint = f"\n\nNothing from those lines was stored. Write them like:\n{log_examples(ctx.profile)}"
        replies.append(Reply("\n".join(problems) + hint))
    if skipped and (stored or asks or problems):
        replies.append(Reply("Not read as sets: " + "; ".join(f"'{_short(s, 40)}'" for s in skipped) + "."))
    if not replies and say_nothing_read:
        replies.append(
            Reply(
                "Nothing in that message reads as sets, so nothing was logged. "
                f"Write them like:\n{log_examples(ctx.profile)}"
            )
        )
    return replies


def logs_a_known_exercise(ctx: Context, text: str) -> bool:
    """Whether the text holds sets of an exercise the catalog knows for sure, so it is logged even
    when it also tells of pain ('hip thrust 3x10 @ 60kg, my back hurt on the last set'); 'my knee
    hurts after 3x10' names none and is only pain talk."""
    if not (ctx.incoming.is_private or ctx.incoming.addressed):
        return False
    for line in split_lines(text):
        if HAS_NO_DIGIT(line):
            continue
        for piece in _one_exercise_each(ctx, line):
            _, parsed = _parse(ctx, piece)
            if isinstance(parsed, (ParsedLine, Ambiguous)) and _confident(ctx, parsed.exercise) is not None:
                return True
    return False


def _one_exercise_each(ctx: Context, line: str) -> list[str]:
    """'hip thrust 3x10 60kg, rdl 3x8 50kg' is two logs: split where a known exercise name follows a comma."""
    pieces = [line]
    for match in reversed(list(EXERCISE_AFTER_COMMA.finditer(line))):
        head = pieces[0]
        words = match["words"].split()
        if any(_confident(ctx, " ".join(words[:n])) for n in range(len(words), 0, -1)):
            pieces[0:1] = [head[: match.start()].strip(), head[match.start() + 1 :].strip()]
    return [p for p in pieces if p]


def _ref(ctx: Context, key: str, line_no: int) -> str:
    return hashlib.sha256(f"{ctx.user.id}:{key}:{line_no}".encode()).hexdigest()[:10]


async def _read(ctx: Context, lines: list[str]) -> tuple[list[_Line], list[str], list[str]]:
    """The logs in a message, the lines that could not be read (with why), and lines skipped
    as not being sets (a workout title, a date)."""
    logs: list[_Line] = []
    problems: list[str] = []
    skipped: list[tuple[int, str]] = []
    header: _Line | None = None
    last_exercise = None

    def close_header() -> None:
        nonlocal header
        if header is not None:
            if header.parts:
                merged = _merge_parts(header)
                if isinstance(merged, Unreadable):
                    problems.append(f"I couldn't read the sets under '{_short(header.raw)}': {merged.reason}.")
                else:
                    header.parsed = merged
                    logs.append(header)
            else:
                skipped.append((header.line_no, header.raw))
        header = None

    for line_no, line in enumerate(lines):
        if (
            not HAS_NO_DIGIT(line)
            and is_chat(line, _knows(ctx))
            and not BY_ID.match(line)
            and not line.startswith("custom ")
        ):
            skipped.append((line_no, line))  # "is 3x10 enough?" among logs: talk, not a log
            continue
        if META_LINE.search(line) and not BY_ID.match(line):
            skipped.append((line_no, line))  # a pasted workout's date, duration or title
            continue
        explicit, parsed = _parse(ctx, line)
        if isinstance(parsed, Unreadable) and HAS_NO_DIGIT(line):
            if parsed.reason == "no sets or reps" and parsed.exercise:
                close_header()  # an exercise name on its own line: the set lines below belong to it
                header = _Line(line_no, line, header_name=parsed.exercise)
                _resolve_header(ctx, header, line)
                continue
            skipped.append((line_no, line))
            continue
        if isinstance(parsed, Unreadable):
            if META_LINE.search(line):
                skipped.append((line_no, line))
            else:
                problems.append(f"I couldn't read '{_short(line)}': {parsed.reason}.")
            continue
        if not parsed.exercise and not explicit:
            if header is not None:
                header.parts.append((line_no, line, parsed))
                continue
            if last_exercise is None:
                last_exercise = await _last_exercise(ctx)
            if last_exercise is None:
                problems.append(
                    f"I couldn't read '{_short(line)}': no exercise name, and nothing logged in the "
                    f"last {SESSION_GAP.seconds // 3600} hours to add it to. Write it like 'hip thrust "
                    f"{_short(line, 20)}'."
                )
                continue
            exercise_id, custom_name, unit = last_exercise
            if unit != ctx.profile.units:  # "135# 3x10" then "150x8": the bare load is in the unit just used
                in_unit = parse_line(line, unit, name_required=False)
                if isinstance(in_unit, Unreadable):  # the unit changes no limit, so this does not happen
                    problems.append(f"I couldn't read '{_short(line)}': {in_unit.reason}.")
                    continue
                parsed = in_unit
            exercise = ctx.library.catalog.get(exercise_id) if exercise_id in ctx.library.catalog else None
            name = exercise.name if exercise else custom_name
            logs.append(
                _Line(line_no, line, parsed, exercise, None if exercise else custom_name, True, joined_last=name)
            )
            continue
        close_header()
        log = _Line(line_no, line, parsed, explicit=explicit is not None)
        if explicit is not None:
            log.exercise, log.custom_name = explicit
        elif isinstance(parsed, ParsedLine):
            if _chatty(ctx, parsed):
                skipped.append((line_no, line))
                continue
            log.exercise = _confident(ctx, parsed.exercise, parsed.equipment)
        else:
            log.exercise = _confident(ctx, parsed.exercise, parsed.readings[0].equipment)
        logs.append(log)
        if log.exercise is not None and isinstance(parsed, ParsedLine):
            last_exercise = (log.exercise.id, None, parsed.unit or ctx.profile.units)
    close_header()
    return logs, problems, [line for _, line in sorted(skipped)]


def _knows(ctx: Context) -> Callable[[str], bool]:
    return lambda name: _confident(ctx, name) is not None


def HAS_NO_DIGIT(text: str) -> bool:  # noqa: N802 - reads like the regex constants around it
    return not any(c.isdigit() for c in text)


def _resolve_header(ctx: Context, header: _Line, line: str) -> None:
    header.exercise = _confident(ctx, header.header_name, _bracket_equipment(line))


def _bracket_equipment(line: str) -> str | None:
    parsed = parse_line(f"{line} 1x1", name_required=False)
    return parsed.equipment if isinstance(parsed, ParsedLine) else None


def _merge_parts(header: _Line) -> ParsedLine | Unreadable:
    sets: list[ParsedSet] = []
    units: set[str] = set()
    notes: list[str] = []
    per_side, band = False, None
    for _, line, parsed in header.parts:
        if isinstance(parsed, Ambiguous):
            return Unreadable(line, f"'{_short(line, 30)}' can be read two ways; write it like '60kg x 10'")
        sets.extend(parsed.sets)
        if parsed.unit:
            units.add(parsed.unit)
        if parsed.note:
            notes.append(parsed.note)
        per_side = per_side or parsed.per_side
        band = band or parsed.band
    if len(units) > 1:
        return Unreadable(header.raw, "loads in both kg and lb")
    if len(sets) > 20:
        return Unreadable(header.raw, f"{len(sets)} sets is more than I can believe (max 20)")
    raw = "\n".join([header.raw] + [line for _, line, _ in header.parts])
    header.raw = raw
    return ParsedLine(
        header.header_name,
        tuple(sets),
        units.pop() if units else None,
        per_side,
        band,
        "; ".join(notes) or None,
        raw,
        _bracket_equipment(header.raw.splitlines()[0]),
    )


Explicit = tuple[Exercise | None, str | None]  # the catalog exercise, or the name of the person's own


def _parse(ctx: Context, line: str) -> tuple[Explicit | None, ParsedLine | Ambiguous | Unreadable]:
    """(explicit exercise or None, parsed line). '#id' and 'custom' come from buttons."""
    by_id = BY_ID.match(line.strip())
    custom = re.match(r"^custom\s+", line.strip(), flags=re.I)
    body = by_id["rest"] if by_id else line.strip()[custom.end() :] if custom else line
    parsed = parse_line(
        body,
        ctx.profile.units,
        name_required=False,
        is_known=lambda n: _confident(ctx, n) is not None,
        is_name=lambda n: (m := ctx.library.catalog.resolve(n)) is not None and m.exact,
    )
    if isinstance(parsed, Unreadable):
        return None, parsed
    if by_id:
        if by_id["id"] not in ctx.library.catalog:
            return None, Unreadable(line, f"there is no exercise '{by_id['id']}'")
        return (ctx.library.catalog.get(by_id["id"]), None), parsed
    if custom:
        if not parsed.exercise:
            return None, Unreadable(line, "no exercise name")
        if len(parsed.exercise) > MAX_CUSTOM_NAME:  # never cut a name silently
            return None, Unreadable(line, f"a name of your own can have at most {MAX_CUSTOM_NAME} characters")
        return (None, parsed.exercise), parsed
    return None, parsed


def _confident(ctx: Context, name: str, equipment: str | None = None) -> Exercise | None:
    """'Romanian Deadlift (Dumbbell)': the exercise with that equipment, or the plain one
    when it can be done with that equipment; otherwise not sure."""
    catalog = ctx.library.catalog
    if equipment:
        match = catalog.resolve(f"{equipment} {name}")
        if match is not None and match.score >= COMPACT_SCORE:  # only a name as written, never a near one
            return match.exercise
    match = catalog.resolve(name)
    if match is None or match.score < CONFIDENT:
        return None
    if match.matched and len(normalise(name).split()) != len(match.matched.split()):
        return None  # "kas glute bridge" is near "glute bridge" but has a word more: ask, don't assume
    if equipment and not _uses(match.exercise, equipment):
        return None
    return match.exercise


def _uses(exercise: Exercise, equipment: str) -> bool:
    aliases = {
        "db": "dumbbell",
        "dumbbells": "dumbbell",
        "kb": "kettlebell",
        "bb": "barbell",
        "smith": "machine",
        "smith machine": "machine",
        "banded": "band",
        "weighted": "dumbbell",
        "plate loaded": "machine",
    }
    wanted = aliases.get(equipment, equipment)
    return wanted in exercise.equipment or wanted == "bodyweight" and exercise.load_type != LoadType.WEIGHTED


def _chatty(ctx: Context, parsed: ParsedLine) -> bool:
    """An unknown 'exercise' like 'workouts this week' or 'I slept' is talk, not a log to offer."""
    if _confident(ctx, parsed.exercise, parsed.equipment) is not None:
        return False
    bare_count = len(parsed.sets) == 1 and parsed.sets[0].load is None and re.match(r"^\W*\d", parsed.text)
    return (
        bool(bare_count) or len(parsed.exercise.split()) > MAX_CUSTOM_WORDS or bool(CHATTY_NAME.search(parsed.exercise))
    )  # "5 stars app", "workouts this week", "I slept"


async def _last_exercise(ctx: Context) -> tuple[str, str | None, str] | None:
    """The exercise logged last in this session (today, within the last few hours), and its unit."""
    last = await ctx.uow.setlog.recent(ctx.user.id, limit=1)
    if not last or ctx.now - last[0].logged_at > SESSION_GAP or last[0].local_date != ctx.local_now.date():
        return None
    return last[0].exercise_id, last[0].custom_name, last[0].unit


def _command_for(
    log: _Line, exercise_id: str | None, custom_name: str | None, parsed: ParsedLine, ref: str, sure: bool = False
) -> str:
    target = f"#{exercise_id}" if exercise_id else f"custom {custom_name}"
    return f"/log ~{ref}{'!' if sure else ''} {target} {numbers_text(parsed)}"


P = TypeVar("P", ParsedLine, Ambiguous)


def _fitting(build: Callable[[P], Reply], parsed: P) -> Reply:
    """A question whose buttons carry the whole line. A button can carry only so much: a long note
    is left off the buttons, and said so; a line still too long gets no buttons but the reason."""
    reply = build(parsed)
    if _fits(reply):
        return reply
    note = parsed.readings[0].note if isinstance(parsed, Ambiguous) else parsed.note
    if note:
        reply = build(_without_note(parsed))
        if _fits(reply):
            return Reply(
                f"{reply.text}\n(The note '{_short(note, 40)}' is too long to ride on a button, so it is "
                f"not stored this way; write the line again to keep it.)"
            ).with_buttons([list(row) for row in reply.buttons])
    return Reply(
        f"{reply.text}\nThat line is too long for buttons: nothing was stored. Please send it again in shorter parts."
    ).with_buttons([[Button("Cancel", "/log cancel")]])


@overload
def _without_note(parsed: ParsedLine) -> ParsedLine: ...
@overload
def _without_note(parsed: Ambiguous) -> Ambiguous: ...
def _without_note(parsed: ParsedLine | Ambiguous) -> ParsedLine | Ambiguous:
    if isinstance(parsed, Ambiguous):
        return replace(parsed, readings=tuple(replace(r, note=None) for r in parsed.readings))
    return replace(parsed, note=None)


def _fits(reply: Reply) -> bool:
    return all(len(button.command) <= MAX_BUTTON_COMMAND for row in reply.buttons for button in row)


def _ask_reading(ctx: Context, log: _Line, ambiguous: Ambiguous, ref: str) -> Reply:
    """Two plausible readings of the numbers: show both, store the one pressed."""
    units = ctx.profile.units
    rows = []
    for reading in ambiguous.readings:
        label = describe_sets(_records(reading, units), reading.unit or units)
        if log.exercise or log.custom_name:
            command_text = _command_for(log, log.exercise.id if log.exercise else None, log.custom_name, reading, ref)
        else:
            command_text = f"/log ~{ref} {ambiguous.exercise} {numbers_text(reading)}"
        rows.append([Button(label, command_text)])
    rows.append([Button("Cancel", "/log cancel")])
    name = log.exercise.name if log.exercise else ambiguous.exercise or "that"
    return Reply(
        f"'{_short(ambiguous.text)}' can be read two ways for {name}. Which did you mean? "
        f"(Nothing is stored until you choose.)"
    ).with_buttons(rows)


def _ask_which(ctx: Context, parsed: ParsedLine, ref: str) -> Reply:
    numbers = numbers_text(parsed)
    candidates = [m for m in ctx.library.catalog.candidates(parsed.exercise, limit=3) if m.score >= POSSIBLE]
    rows = [[Button(m.exercise.name, f"/log ~{ref} #{m.exercise.id} {numbers}")] for m in candidates]
    own = parsed.exercise[:30]
    rows.append([Button(f"Log '{_short(parsed.exercise, 30)}' as my own", f"/log ~{ref} custom {own} {numbers}")])
    rows.append([Button("Cancel", "/log cancel")])
    if candidates:
        text = f"Did you mean {candidates[0].exercise.name}? I read: {parsed.exercise} {numbers}"
    else:
        text = f"'{_short(parsed.exercise)}' isn't in my exercise list. Log it as your own exercise? I read: {numbers}"
    return Reply(text).with_buttons(rows)


def _records(parsed: ParsedLine, default_unit: str) -> tuple[SetRecord, ...]:
    factor = KG_PER_LB if (parsed.unit or default_unit) == "lb" else 1.0
    last = len(parsed.sets) - 1
    return tuple(
        SetRecord(
            s.reps,
            s.load * factor if s.load else None,
            s.seconds,
            s.rpe,
            parsed.per_side,
            s.distance_m,
            s.rir,
            s.warmup,
            parsed.band,
            parsed.note if n == last else None,
        )
        for n, s in enumerate(parsed.sets)
    )


def _custom_id(name: str) -> str:
    """Any script gets its own id: 'ягодичный мост' -> 'custom_ягодичный_мост', never just 'custom_'."""
    slug = re.sub(r"[\W_]+", "_", name.casefold()).strip("_")
    if len(slug) > 40 or not slug:
        slug = slug[:30].strip("_") + "_" + hashlib.sha256(name.casefold().encode()).hexdigest()[:8]
    return CUSTOM_PREFIX + slug


async def _store(ctx: Context, log: _Line, parsed: ParsedLine, key: str, ref: str, sure: bool) -> str | Reply:
    exercise, custom_name = log.exercise, log.custom_name
    if exercise is not None:
        exercise_id = exercise.id
    else:
        assert custom_name is not None  # log_message asks which exercise when neither is known
        exercise_id = _custom_id(custom_name)
    unit = parsed.unit or ctx.profile.units
    records = _records(parsed, ctx.profile.units)
    last, history = await ctx.uow.setlog.recent_and_bests(ctx.user.id, exercise_id, 5)  # bests, not every set
    best, new_top = top_load(history), top_load(records)
    if not sure and best and new_top and new_top > best * JUMP:
        name = exercise.name if exercise else custom_name

        def confirm(line: ParsedLine) -> Reply:
            yes = _command_for(log, exercise.id if exercise else None, custom_name, line, ref, sure=True)
            return Reply(
                f"{name}: {_load_text(new_top, unit)} is more than {round((JUMP - 1) * 100)}% above your "
                f"best so far ({_best_text(best, unit)}), so I'm checking before I store it. Is it right?"
            ).with_buttons(
                [[Button(f"Yes, log {describe_sets(records, unit)}", yes)], [Button("No, cancel", "/log cancel")]]
            )

        return _fitting(confirm, parsed)
    previous = [
        e for e in last if not log.joined_last or e.local_date < ctx.local_now.date()
    ]  # set by set: not against itself
    session = await todays_session(ctx, create=True)
    await ctx.uow.setlog.add(
        ctx.user.id,
        NewEntry(
            exercise_id,
            custom_name,
            unit,
            log.raw,
            key,
            log.line_no,
            ctx.now,
            ctx.local_now.date(),
            session.id,
            records,
        ),
    )
    name = exercise.name if exercise else f"{custom_name} (your own exercise)"
    text = f"✓ {name}: {describe_sets(records, unit)}"
    if new_top and unit != ctx.profile.units:
        text += f" (≈ {approx_number(new_top, ctx.profile.units)} {ctx.profile.units})"
    text += _details(parsed)
    if log.joined_last:
        text += f"\n   (added to {log.joined_last}, the exercise you logged last)"
    if previous:
        text += f"\n   {comparison(records, previous[0], unit)}"
    for record in personal_records(records, history, unit):
        text += f"\n   🏆 {record.text}"
    return text


def _details(parsed: ParsedLine) -> str:
    """Effort, band and note, as stored: 'RPE 8', 'RIR 2 (reps in reserve)', 'green band', 'note: felt easy'."""
    work = work_sets(parsed.sets)
    parts = []
    rpes = {s.rpe for s in work if s.rpe is not None}
    rirs = {s.rir for s in work if s.rir is not None}
    if rpes:
        parts.append("RPE " + "/".join(number(r) for r in sorted(rpes)))
    if rirs:
        parts.append("RIR " + "/".join(str(r) for r in sorted(rirs)) + " (reps in reserve, stored as RIR)")
    if parsed.band:
        parts.append(f"{parsed.band} band")
    if parsed.note:
        parts.append(f"note: {parsed.note}")
    return (", " + ", ".join(parts)) if parts else ""


def _best_text(load_kg: float, unit: str) -> str:
    """A best lifted in the other unit reads as the plate-rounded estimate ('≈ 61 kg' for 135 lb),
    not '61.23 kg'."""
    value = load_kg / KG_PER_LB if unit == "lb" else load_kg
    return _load_text(load_kg, unit) if value * 4 == round(value * 4) else f"≈ {approx_number(load_kg, unit)} {unit}"


def _load_text(load_kg: float, unit: str) -> str:
    value = load_kg / KG_PER_LB if unit == "lb" else load_kg
    return f"{number(value)} {unit}"


async def _finish_session_if_complete(ctx: Context) -> str | None:
    """When every hard exercise of today's plan has a log, the session is done and the rotation moves on."""
    session = await todays_session(ctx, create=False)
    if session is None or session.completed_at is not None or not await _logs_cover_plan(ctx, session):
        return None
    await ctx.uow.sessions.complete(session.id, ctx.now)
    ctx.profile.completed_sessions += 1
    return f"That's everything on today's plan: session done! ✅ {next_workout_sentence(ctx)}"


async def _logs_cover_plan(ctx: Context, session: TrainingDay) -> bool:
    program = ctx.library.program(session.program_id)
    planned = {item.exercise_id for item in program.day_at(session.day_index).items if item.block in HARD_BLOCKS}
    logged = await ctx.uow.setlog.exercises_in_session(ctx.user.id, session.id)
    return bool(planned) and planned <= logged


@command("undo", "Remove your last logged entry", examples=("/undo",))
async def undo_command(ctx: Context, args: str) -> list[Reply]:
    key = ctx.incoming.message_key
    if key and await ctx.uow.setlog.undo_done(ctx.user.id, key, ctx.now):
        return [Reply("That /undo arrived twice; I removed only one entry.")]
    last = await ctx.uow.setlog.recent(ctx.user.id, limit=1)
    if not last:
        return [Reply("There is nothing to undo: you have no logged sets.")]
    entry = last[0]
    session = await todays_session(ctx, create=False)
    done_by_logs = session is not None and session.completed_at is not None and await _logs_cover_plan(ctx, session)
    await ctx.uow.setlog.delete(ctx.user.id, [entry.id])
    when = entry.logged_at.astimezone(ctx.profile.zone).strftime("%a %d %b %H:%M")
    removed = f"Removed: {_entry_name(ctx, entry)} {describe_sets(entry.sets, entry.unit)} (logged {when})."
    if done_by_logs and session is not None and not await _logs_cover_plan(ctx, session):
        # That log finished the day; without it the day is open again and the rotation steps back.
        # A day ended with /done stays ended: that was the person's decision, not their logs'.
        await ctx.uow.sessions.reopen(session.id)
        ctx.profile.completed_sessions = max(0, ctx.profile.completed_sessions - 1)
        removed += " Today's session is not done any more: /today shows what is left."
    return [Reply(removed)]


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
        return [Reply(f"No logs{what} yet. Log one by writing it, e.g. {log_example(ctx.profile)}")]
    lines = [f"{e.local_date:%a %d %b}: {_entry_name(ctx, e)} {_history_sets(ctx, e)}" for e in entries]
    return [Reply("\n".join(lines), title="Recent logs")]


def _history_sets(ctx: Context, entry: LoggedEntry) -> str:
    text = describe_sets(entry.sets, entry.unit)
    top = top_load(entry.sets)
    if top and entry.unit != ctx.profile.units:
        text += f" (≈ {approx_number(top, ctx.profile.units)} {ctx.profile.units})"
    extras = [f"{entry.sets[0].band} band"] if entry.sets and entry.sets[0].band else []
    extras += [f"note: {s.note}" for s in entry.sets if s.note]
    return text + (", " + ", ".join(extras) if extras else "")


def _entry_name(ctx: Context, entry: LoggedEntry) -> str:
    if entry.exercise_id in ctx.library.catalog:
        return ctx.library.catalog.get(entry.exercise_id).name
    return entry.custom_name or entry.exercise_id


def _short(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


@plan_adjuster
async def mark_done(ctx: Context, plan: WorkoutPlan) -> None:
    """Loads and next steps are suggested by core.features.progression (per rep range)."""
    done = await ctx.uow.setlog.exercises_in_session(ctx.user.id, plan.session.id) if plan.session else set()
    for line in plan.lines:
        line.done = line.exercise.id in done
