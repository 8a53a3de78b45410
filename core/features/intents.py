"""Answers to the common questions people write instead of commands, and to text nobody understood.

Runs after pain talk (with its red-flag check) and set logs, so neither is
ever taken for a question. Content lives in core/data/intents.toml.
"""

from __future__ import annotations

from datetime import timedelta

from core.catalog import POSSIBLE
from core.commands import find
from core.context import Context
from core.conversation import fallback, text_handler
from core.domain import Button, Exercise, Reply
from core.intents import body_part_in, intent_data, recognise
from core.answers import match_button, normalise
from core.features.advice import food_reply
from core.gear import available, doable
from core.pain import detect
from core.pain.rules import mentions
from core.wording import listing, log_example

EQUIPMENT_WORDS = {
    "band": "band",
    "bands": "band",
    "resistance band": "band",
    "barbell": "barbell",
    "bar": "barbell",
    "bench": "bench",
    "machine": "machine",
    "machines": "machine",
    "dumbbell": "dumbbell",
    "dumbbells": "dumbbell",
    "weights": "dumbbell",
    "cable": "cable",
    "cables": "cable",
    "box": "box",
    "step": "box",
    "kettlebell": "kettlebell",
    "kettlebells": "kettlebell",
    "gym": "machine",
    "equipment": "equipment",
}
QUESTION_WORDS = ("how", "what", "why", "when", "where", "which", "can", "should", "is", "are", "do", "does", "will")
MAX_SWAPS = 6
MAX_NAME_WORDS = 4  # longer than this, an unknown "what is ..." is a question, not an exercise name


MAX_CHECKIN_WORDS = 5


async def answer_to_a_checkin(ctx: Context, text: str) -> list[Reply] | None:
    """'much better' after a check-in the scheduler sent: pushes pass no question through the coach, so
    a short answer is read against the check-in of the one report whose check-in time has come."""
    from core.features.pain import checkin_reply, pain_command  # pain imports this module

    if len(text.split()) > MAX_CHECKIN_WORDS:
        return None
    areas = ctx.library.pain.areas
    asked = [
        r
        for r in await ctx.uow.pain.current(ctx.user.id, ctx.now)
        if r.status == "active"
        and r.area in areas
        and ctx.now >= r.reported_at + timedelta(days=areas[r.area].checkin_days)
    ]
    if len(asked) != 1:
        return None
    question = checkin_reply(asked[0], areas[asked[0].area])
    match = match_button(text, [b for row in question.buttons for b in row])
    if match.button is None:
        return None
    return await pain_command(ctx, match.button.command.removeprefix("/pain "))


@text_handler
async def common_questions(ctx: Context, text: str) -> list[Reply] | None:
    checkin = await answer_to_a_checkin(ctx, text)
    if checkin:
        return checkin
    part = body_part_in(text)
    if part is not None and detect.reports_pain(detect.normalise(text), ctx.library.pain):
        return [unsupported_pain(ctx, part.name, text)]
    found = recognise(text)
    if found is None:
        return None
    if found.command:  # "help", "undo", "remind me at 7am"
        name, _, args = found.command.removeprefix("/").partition(" ")
        spec = find(name)
        return await spec.handler(ctx, args) if spec else None
    if found.intent == "food":  # the sourced note of core/data/advice.toml, for wordings its own reader misses
        return [food_reply()]
    if found.intent == "howto":
        reply = how_to(ctx, found.groups.get("rest", ""), text)
        return [reply] if reply else None
    if found.intent == "equipment":
        return [missing_equipment(ctx, found.groups.get("rest", ""))]
    if found.intent == "felt_elsewhere":
        return [felt_elsewhere(ctx, found.groups.get("exercise", ""), found.groups.get("part", ""))]
    if found.intent == "greeting":
        return [Reply(f"Hi! {what_i_do(ctx)}")]
    if found.intent == "thanks":
        return [Reply("You're welcome! /today shows your next workout whenever you're ready.")]
    return None


def unsupported_pain(ctx: Context, part_name: str, text: str) -> Reply:
    """An honest answer for a body part the pain rules do not cover."""
    content = intent_data().texts["unsupported_pain"]
    exercise = _exercise_in(ctx, text)
    line = content["exercise_line"].format(exercise=exercise.name) if exercise else ""
    body = content["text"].format(part=part_name, exercise_line=line)
    return Reply(body).with_buttons(
        [[Button("See today's plan", "/today")], [Button("Areas I can adapt for", "/pain")]]
    )


# A question names its exercise early; every phrase costs a fuzzy search of the catalog (about
# 0.6 ms), so a 2,500-word message scanned whole took 6 s of CPU. Past this many words, no scan.
SCANNED_WORDS = 80


def _exercise_in(ctx: Context, text: str) -> Exercise | None:
    """An exercise named anywhere in the text ('sharp pain in my hamstring during rdl')."""
    words = normalise(text).split()[:SCANNED_WORDS]
    best = None
    for size in (4, 3, 2, 1):
        phrases = dict.fromkeys(" ".join(words[start : start + size]) for start in range(len(words) - size + 1))
        for phrase in phrases:  # each distinct phrase once, in order
            match = ctx.library.catalog.resolve(phrase) if len(phrase) >= 2 else None
            if match is not None and match.score >= 95 and (best is None or match.score > best.score):
                best = match
        if best is not None:
            return best.exercise
    return None


def how_to(ctx: Context, asked: str, text: str) -> Reply | None:
    """The exercise's cue, steps and mistakes; None when the question is not about an exercise at all."""
    wanted = normalise(asked).removeprefix("a ").removeprefix("an ").removeprefix("the ").strip(" ?")
    match = ctx.library.catalog.resolve(wanted) if wanted else None
    if match is None or match.score < POSSIBLE:
        named = _exercise_in(ctx, text)  # "the right way to do a hip thrust"
        if named is not None:
            return how_to(ctx, named.name, text)
        if len(wanted.split()) > MAX_NAME_WORDS:
            return None  # "what is the best time to train": a question, but not about an exercise
        known = listing([ctx.library.catalog.get(i).name for i in intent_data().howto][:6])
        return Reply(
            f"I don't know '{wanted[:40] or asked[:40]}' as an exercise, so I can't explain it. "
            f"I can explain the exercises in your plan, e.g. {known}. "
            "Ask like: how do I do a glute bridge?"
        )
    exercise = match.exercise
    lines = [exercise.cue]
    content = intent_data().howto.get(exercise.id)
    if content is not None:
        lines += ["", "How:"] + [f"{n}. {step}" for n, step in enumerate(content.steps, start=1)]
        lines += ["", "Common mistakes:"] + [f"• {m}" for m in content.mistakes]
        if content.demo:
            lines += ["", f"Watch it done: {content.demo}"]
    else:
        lines += ["", "I only have this one cue for it so far. Start light and stop any rep that hurts."]
    return Reply("\n".join(lines), title=exercise.name)


def missing_equipment(ctx: Context, named: str) -> Reply:
    clean = normalise(named)
    missing = next(
        (EQUIPMENT_WORDS[w] for w in sorted(EQUIPMENT_WORDS, key=len, reverse=True) if mentions(clean, w)), None
    )
    if missing is None:
        return Reply(
            f"I'm not sure which equipment you mean by '{named[:40]}'. Tell me like: I don't have a band "
            "(or a barbell, machine, dumbbells, kettlebell), or set what you have with /equipment."
        )
    if missing in ("bench", "box"):
        return Reply(
            f"No {missing}? A sofa or a sturdy chair works as a bench, and a stair or a low step as a box: "
            "keep the same exercises."
        )
    program = ctx.library.program(ctx.profile.program_id)
    have = available(ctx.profile.equipment, program.equipment)
    have = frozenset() if missing == "equipment" else have - {missing}
    planned = list(dict.fromkeys(item.exercise_id for day in program.days for item in day.items))
    swaps = []
    for exercise_id in planned:
        exercise = ctx.library.catalog.get(exercise_id)
        if not doable(exercise, have):
            alternative = _alternative(ctx, exercise, have)
            swaps.append(f"• {exercise.name} → {alternative.name if alternative else 'leave it out for now'}")
    thing = "any equipment" if missing == "equipment" else f"a {missing}"
    if not swaps:
        text = f"Nothing in your plan ({program.name}) needs {thing}, so nothing changes."
    else:
        text = f"Without {thing}, here is what to do instead in {program.name}:\n" + "\n".join(swaps[:MAX_SWAPS])
        if len(swaps) > MAX_SWAPS:
            text += f"\n(and {len(swaps) - MAX_SWAPS} more; /today shows each day)"
    keep = " ".join(sorted(have)) or "nothing"
    text += f"\n\nTell me what you have and /today plans around it: /equipment {keep}"
    return Reply(text).with_buttons([[Button(f"Plan without {thing.removeprefix('a ')}", f"/equipment {keep}")]])


def _alternative(ctx: Context, exercise: Exercise, have: frozenset[str]) -> Exercise | None:
    for candidate in ctx.library.catalog:
        if candidate.pattern != exercise.pattern or candidate.id == exercise.id or not doable(candidate, have):
            continue
        if ("glute_activation" in candidate.tags) != ("glute_activation" in exercise.tags):
            continue
        return candidate
    return None


def felt_elsewhere(ctx: Context, exercise_text: str, part: str) -> Reply:
    match = ctx.library.catalog.resolve(exercise_text) if exercise_text else None
    exercise = match.exercise if match is not None and match.score >= POSSIBLE else None
    part_key = normalise(part).rstrip("s") if part else ""
    for entry in intent_data().felt_elsewhere:
        if (
            exercise is not None
            and entry["pattern"] in (exercise.id, exercise.pattern)
            and normalise(entry["part"]).rstrip("s") == part_key
        ):
            return Reply(f"{exercise.name}, felt in your {part}: {entry['text']}\nCue: {exercise.cue}")
    default = intent_data().texts["felt_elsewhere_default"]["text"]
    name = exercise.name if exercise else "that exercise"
    cue = f"\nCue for {exercise.name}: {exercise.cue}" if exercise else ""
    if part_key in ("glute", "butt", "bum"):
        return Reply(f"Not feeling {name} in your glutes is common at first. {default}{cue}")
    return Reply(f"Feeling {name} in your {part or 'other muscles'} is common. {default}{cue}")


def what_i_do(ctx: Context) -> str:
    new = "" if ctx.profile.onboarded else "New here? /start sets you up in a few quick questions. "
    return (
        f"{new}I can show today's workout (/today), log what you did (just write it, e.g. "
        f'{log_example(ctx.profile)}), explain an exercise ("how do I do a hip thrust?"), '
        "adapt to what hurts (/pain) and remind you (/remind). /help lists everything."
    )


@fallback
async def not_understood(ctx: Context, text: str) -> Reply:
    """Text nobody understood: say what the bot guessed and what it can do, not only the set-log hint."""
    clean = normalise(text)
    exercise = _exercise_in(ctx, text) if clean else None
    if exercise is not None:
        example = f"{exercise.name.lower()} 3x10" + (
            " @ " + log_example(ctx.profile).split("@ ")[1]
            if "@" in log_example(ctx.profile) and exercise.increment_kg
            else ""
        )
        return Reply(
            f"That sounds like {exercise.name}. To log it, add what you did, e.g. {example}. "
            f"To learn it, ask: how do I do {exercise.name.lower()}?"
        )
    if text.strip().endswith("?") or clean.split(" ")[0] in QUESTION_WORDS:
        return Reply(f"I can't answer that one yet, sorry. {what_i_do(ctx)}")
    return Reply(f"I didn't catch that. {what_i_do(ctx)}")
