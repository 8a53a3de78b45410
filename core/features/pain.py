"""/pain, pain talk in free text, red-flag screening, referrals and the plan adjuster.

A new report first gets its area's red-flag questions (core/data/red_flags.toml);
only "none of these" lets the rules adapt the plan. Any red flag makes a
referral: a state that never expires and stops coaching that area (all training
for same-day flags) until the person answers that a clinician has cleared them,
after which a gentler return-to-training week follows. The coach never diagnoses.
"""

from __future__ import annotations

import re
from datetime import timedelta

from core.commands import command
from core.context import Context
from core.conversation import pending_handler, text_handler
from core.answers import HEDGES
from core.domain import Button, Reply
from core.features.intents import unsupported_pain
from core.features.setlog import logs_a_known_exercise
from core.gear import available
from core.intents import BodyPart, body_part_in, intent_data
from core.pain.detect import area_in, normalise, red_flags_in, severity_in
from core.pain.flags import GENERAL, Screen
from core.features.referral import (
    SOON,
    cleared,
    clinician_question,
    last_day_of,
    not_yet,
    refer,
    referral,
    return_rule,
    said,
)
from core.pain.referral import UNSPECIFIED, area_name, hold_for, hold_from, is_urgent
from core.pain.reports import ACTIVE, REFERRED, RETURNING, SCREENING, PainReport
from core.pain.rules import SEVERITIES, Area, PainRules, PlanItem, apply_rules, mentions, mentions_any
from core.wording import listing
from core.workout import PlanLine, WorkoutPlan, plan_adjuster

EXERCISE_FIRST = (
    "Movement is usually the best medicine for this: I'll keep you training around it. "
    "Glute work is no guaranteed fix for pain, so if it isn't easing in a couple of weeks, "
    "see a physiotherapist or doctor."
)
SCREEN = "pain_screen"
NUMBERS = re.compile(r"(?:\d{1,2}\s*(?:,|and|&|\s)?\s*)+")
REST_FIRST = (
    "Today is for rest and gentle movement only; we'll build back up when it eases. If it isn't easing "
    "within a few days, see a physiotherapist or doctor."
)


def rules(ctx: Context) -> PainRules:
    return ctx.library.pain


def find_area(ctx: Context, text: str) -> Area | None:
    wanted = text.strip().lower().replace("_", " ")
    for area in rules(ctx).areas.values():
        if wanted in (area.id.replace("_", " "), area.name.lower()) or wanted in area.words:
            return area
    return area_in(f"{wanted} pain", rules(ctx))


def other_body_part(ctx: Context, text: str, area: Area | None) -> BodyPart | None:
    """A body part without pain rules named at least as specifically as `area` ('upper back' vs 'back')."""
    part = body_part_in(text)
    if part is None or area is None:
        return part
    clean = text.lower().replace("_", " ")
    area_word = max((len(w) for w in (*area.words, area.name) if mentions(clean, w)), default=0)
    part_word = max(len(w) for w in part.words if mentions(clean, w))
    return part if part_word >= area_word else None


def area_buttons(ctx: Context) -> list[list[Button]]:
    return [[Button(area.name.capitalize(), f"/pain {area.id}")] for area in rules(ctx).areas.values()]


def screen_of(ctx: Context, area_id: str) -> Screen:
    flags = rules(ctx).red_flags
    return flags.screen_for(area_id) or flags.screens[GENERAL]


@command(
    "pain",
    "Tell me what hurts, so I adapt your plan",
    syntax="[area] [mild|moderate|severe] | clear [area]",
    details="Areas I adapt for: lower back, knee, front of the hip, heavy soreness (DOMS), hip thrusts felt "
    "in the lower back. Other areas get general advice. /pain alone shows what is active. A referral "
    "(get it checked first) ends only when you tell me a clinician has cleared you.",
    examples=("/pain", "/pain lower back mild", "/pain knee moderate", "/pain clear knee"),
    buttons=(
        ("<area> [<severity>]", "report pain in that area (how bad, if given)"),
        ("clear [<area>]", "end a report (or ask whether a clinician cleared you)"),
        ("ok <report>", "none of the safety-check questions apply"),
        ("flag <report> [<flag>]", "one of them applies (which one, if named)"),
        ("better|same|worse <report>", "the answer to a check-in"),
        ("cleared <reports>", "a clinician has cleared you to train"),
        ("notyet", "not cleared yet: the referral stays"),
    ),
)
async def pain_command(ctx: Context, args: str) -> list[Reply]:
    words = args.strip().split()
    if not words:
        return [await current_text(ctx)]
    action = words[0].lower()
    if action == "clear":
        return await clear(ctx, " ".join(words[1:]))
    if action == "cleared" and len(words) >= 2:
        return [await cleared(ctx, words[1])]
    if action == "notyet":
        return [await not_yet(ctx)]
    if action == "flag" and len(words) >= 2:
        return [await flag_answer(ctx, words[1], words[2:])]
    if action in ("ok", "same", "better", "worse") and len(words) >= 2:
        return [await answer(ctx, action, words[1])]
    severity = words[-1].lower() if words[-1].lower() in SEVERITIES else None
    named = " ".join(words[:-1] if severity else words)
    area = find_area(ctx, named)
    other = other_body_part(ctx, named, area)
    if other is not None:  # an area without rules gets an honest answer, not a loop
        return [unsupported_pain(ctx, other.name, args)]
    if area is None:
        return [Reply("Which area? Example: /pain lower back mild").with_buttons(area_buttons(ctx))]
    if severity is None:
        return [
            Reply(f"How bad is your {area.name}?").with_buttons(
                [[Button(s.capitalize(), f"/pain {area.id} {s}") for s in SEVERITIES]]
            )
        ]
    return [await report(ctx, area, severity)]


async def report(ctx: Context, area: Area, severity: str) -> Reply:
    hold = await hold_for(ctx)
    if hold is not None and (hold.urgent or any(r.area == area.id for r in hold.reports)):
        return Reply(hold.notice(ctx), title="Please get this checked first")
    existing = [r for r in await ctx.uow.pain.current(ctx.user.id, ctx.now) if r.area == area.id]
    if existing:
        await ctx.uow.pain.clear(ctx.user.id, [r.id for r in existing], ctx.now)
    screen = rules(ctx).red_flags.screen_for(area.id)
    status = SCREENING if screen is not None and screen.blocking else ACTIVE
    checkin = None if hold is not None else ctx.now + timedelta(days=area.checkin_days)  # check-ins wait out a referral
    new = await ctx.uow.pain.add(
        ctx.user.id, area.id, severity, status, ctx.now, checkin, ctx.now + timedelta(days=area.expires_days)
    )
    if screen is not None and status == SCREENING:
        return screening_questions(ctx, new, screen, f"Sorry about your {area.name}. Before I adapt your plan")
    reply = adapted(ctx, area, severity)
    if screen is not None:  # a quick check that comes with the adapted plan instead of before it
        question = "\n".join(f"• {flag.question}" for flag in screen.flags)
        reply = Reply(f"{reply.text}\n\nOne more thing, to be safe: does this apply to you?\n{question}").with_buttons(
            [[Button(f"Yes: {flag.short}", f"/pain flag {new.id} {flag.id}")] for flag in screen.flags]
            + [[Button("No", "/today")]]
        )
    return reply


def screening_questions(ctx: Context, report: PainReport, screen: Screen, opening: str) -> Reply:
    questions = "\n".join(f"{n}. {flag.question}" for n, flag in enumerate(screen.flags, 1))
    ctx.set_pending(SCREEN, report=report.id)
    text = (
        f"{opening}: do any of these apply to you?\n{questions}\n\n"
        "Answer with the buttons, or write no, or the numbers that apply."
    )
    return Reply(text, title="A quick safety check").with_buttons(
        [
            [Button("None of these", f"/pain ok {report.id}")],
            [Button("Yes, one or more", f"/pain flag {report.id}")],
        ]
    )


def adapted(ctx: Context, area: Area, severity: str) -> Reply:
    changes = [
        rule.explanation.replace("{old}", "an exercise").replace("{new}", "a safer one")
        for rule in rules(ctx).for_report(area.id, severity)
    ]
    lines = "\n".join(f"• {c[0].upper() + c[1:]}" for c in changes)
    resting = any(rule.rest_day for rule in rules(ctx).for_report(area.id, severity))
    closing = REST_FIRST if resting else (area.advice or EXERCISE_FIRST)
    text = (
        f"Noted: {area.name} ({severity}). From today's workout on:\n{lines}\n\n{closing}\n"
        f"I'll check in with you in {area.checkin_days} days. /pain clear {area.name.split(' / ')[0]} when it's gone."
    )
    return Reply(text).with_buttons([[Button("See today's plan", "/today")]])


async def flag_answer(ctx: Context, report_id: str, flag_ids: list[str]) -> Reply:
    """Yes to the safety check: which flags (one button each, several allowed); none named = urgent."""
    report = await ctx.uow.pain.get(ctx.user.id, int(report_id)) if report_id.isdigit() else None
    if report is None or report.status == RETURNING:
        return Reply("I can't find that safety check any more. /pain shows what is active.")
    screen = screen_of(ctx, report.area)
    known = rules(ctx).red_flags.flags
    chosen = [known[f] for f in flag_ids if f in known]
    if flag_ids and not chosen:
        return Reply("I don't know that answer. Please use the buttons, or /pain to see what is active.")
    before = tuple(f for f in report.red_flags if f != UNSPECIFIED) if report.status == REFERRED else ()
    names = tuple(dict.fromkeys(before + tuple(f.id for f in chosen))) or (UNSPECIFIED,)
    await refer(ctx, report, report.area, names)
    flags = [known[f] for f in names if f in known] or None
    reply = referral(ctx, report.area, flags)
    left = [f for f in screen.flags if f.id not in names]
    if left:
        label = "Also: " if flags else ""
        reply = reply.with_buttons([[Button(f"{label}{f.short}", f"/pain flag {report.id} {f.id}")] for f in left])
    return reply


async def answer(ctx: Context, action: str, report_id: str) -> Reply:
    valid = report_id.isascii() and report_id.isdigit() and len(report_id) <= 9  # ids are 32-bit in PostgreSQL
    report = await ctx.uow.pain.get(ctx.user.id, int(report_id)) if valid else None
    if report is None or report.status not in (SCREENING, ACTIVE):
        if report is not None and report.status == REFERRED:
            return clinician_question(ctx, [report])
        return Reply("I can't find that report any more. /pain shows what is active.")
    area = rules(ctx).areas.get(report.area)
    if area is None:  # a check about symptoms without an area: "none" means nothing to change
        await ctx.uow.pain.clear(ctx.user.id, [report.id], ctx.now)
        return Reply(
            "Thanks for checking. Nothing changes in your plan. If something hurts, tell me, e.g. /pain lower back mild"
        )
    if action == "ok":
        if report.status != SCREENING:
            return Reply("Thanks. Your plan stays adapted; /today shows it.")
        await ctx.uow.pain.update(ctx.user.id, report.id, status=ACTIVE)
        return adapted(ctx, area, report.severity)
    if action == "better":
        await ctx.uow.pain.clear(ctx.user.id, [report.id], ctx.now)
        return Reply(f"Great news about your {area.name}! Back to the full plan.")
    later = ctx.now + timedelta(days=area.checkin_days)
    screen = rules(ctx).red_flags.screen_for(area.id)
    if action == "worse" and report.severity == SEVERITIES[-1] and screen is not None:
        # Nothing left to ease: a pain still getting worse at "severe" is checked for red flags again.
        await ctx.uow.pain.update(ctx.user.id, report.id, status=SCREENING, checkin_due_at=later)
        return screening_questions(ctx, report, screen, "Sorry it's worse. To be on the safe side")
    if action == "worse":
        severity = SEVERITIES[min(SEVERITIES.index(report.severity) + 1, len(SEVERITIES) - 1)]
        await ctx.uow.pain.update(ctx.user.id, report.id, severity=severity, checkin_due_at=later)
        return Reply(f"Sorry it's worse. I've eased your plan further ({severity}). {SOON}")
    await ctx.uow.pain.update(ctx.user.id, report.id, checkin_due_at=later)
    return Reply(f"Thanks. Your plan stays adapted for your {area.name}; I'll ask again in {area.checkin_days} days.")


async def clear(ctx: Context, text: str) -> list[Reply]:
    current = await ctx.uow.pain.current(ctx.user.id, ctx.now)
    area = find_area(ctx, text) if text.strip() else None
    if text.strip() and area is None:
        return [Reply(f"I don't know the area '{text.strip()[:40]}'. Example: /pain clear knee")]
    chosen = [r for r in current if area is None or r.area == area.id]
    if area is not None and any(r.status == REFERRED and is_urgent(ctx, r) for r in current):
        chosen += [r for r in current if r.status == REFERRED and r not in chosen]  # same-day signs hold everything
    if not chosen:
        return [Reply("Nothing to clear: no pain reports are active.")]
    plain = [r for r in chosen if r.status != REFERRED]
    referred = [r for r in chosen if r.status == REFERRED]
    replies = []
    if plain:
        await ctx.uow.pain.clear(ctx.user.id, [r.id for r in plain], ctx.now)
        names = listing([area_name(ctx, r.area) for r in plain])
        rest = " Your plan is back to normal." if not referred else ""
        replies.append(Reply(f"Cleared: {names}.{rest}"))
    if referred:
        replies.append(clinician_question(ctx, referred))
    return replies


async def current_text(ctx: Context) -> Reply:
    current = await ctx.uow.pain.current(ctx.user.id, ctx.now)
    if not current:
        return Reply("No pain reported. If something hurts, tell me, e.g. /pain lower back mild").with_buttons(
            area_buttons(ctx)
        )
    lines = []
    for r in current:
        since = r.reported_at.astimezone(ctx.profile.zone).strftime("%a %d %b")
        state = {SCREENING: "safety check unanswered"}.get(r.status, r.severity)
        if r.status == REFERRED:
            state = (
                "get it checked first"
                + (", same-day care" if is_urgent(ctx, r) else "")
                + "; on hold until a clinician clears you"
            )
        if r.status == RETURNING and r.expires_at:
            state = f"return-to-training week through {last_day_of(ctx, r)}"
        lines.append(f"• {area_name(ctx, r.area)}: {state} (since {since})")
    buttons = [
        [Button(f"Clear {area_name(ctx, r.area)}", f"/pain clear {r.area}")]
        for r in current
        if r.area in rules(ctx).areas
    ]
    return Reply("\n".join(lines), title="What hurts").with_buttons(buttons)


def checkin_reply(report: PainReport, area: Area) -> Reply:
    """The check-in question, for /today now and for the scheduler later."""
    return Reply(area.checkin_question).with_buttons(
        [
            [
                Button("Better, all clear", f"/pain better {report.id}"),
                Button("About the same", f"/pain same {report.id}"),
                Button("Worse", f"/pain worse {report.id}"),
            ]
        ]
    )


@pending_handler(SCREEN)
async def screen_typed(ctx: Context, text: str) -> list[Reply] | None:
    """The safety check answered in words: no, yes, numbers, or the symptom itself."""
    report_id = str((ctx.profile.pending or {}).get("report", ""))
    ctx.clear_pending()
    report = await ctx.uow.pain.get(ctx.user.id, int(report_id)) if report_id.isdigit() else None
    if report is None or report.status != SCREENING:
        return None
    clean = normalise(text)
    screen = screen_of(ctx, report.area)
    only_numbers = NUMBERS.fullmatch(clean) is not None  # "2", "1 and 4", "3, 9" (not a set log like "3 x 10")
    numbers = (
        [int(n) for n in re.findall(r"\d{1,2}", clean) if 1 <= int(n) <= len(screen.flags)] if only_numbers else []
    )
    found = red_flags_in(text, rules(ctx))
    named = [f.id for f in found.flags + found.unsure] + [screen.flags[n - 1].id for n in numbers]
    if named:
        return [await flag_answer(ctx, report_id, list(dict.fromkeys(named)))]
    if HEDGES.search(clean):  # "none apart from night pain": an answer with a condition is never a plain no
        return [screening_questions(ctx, report, screen, "I want to be sure I read that right")]
    if said(ctx, "no", clean):
        return [await answer(ctx, "ok", report_id)]
    if said(ctx, "yes", clean):
        return [await flag_answer(ctx, report_id, [])]
    return None  # not an answer: handled as any other message; the check stays open (/today reminds of it)


@text_handler
async def pain_talk(ctx: Context, text: str) -> list[Reply] | None:
    replies = await _pain_talk(ctx, text)
    if replies and logs_a_known_exercise(ctx, text):  # the sets are logged too, and this comes after
        ctx.also_say(replies)
        return None
    return replies


async def _pain_talk(ctx: Context, text: str) -> list[Reply] | None:
    found = red_flags_in(text, rules(ctx))
    hold = await hold_for(ctx)
    if hold is not None and said(ctx, "cleared", normalise(text)) and not found.flags:
        return [clinician_question(ctx, list(hold.reports))]
    area = area_in(text, rules(ctx))
    if found.flags:  # caught in the first reply, before any question about severity
        where = area_in(text, rules(ctx), require_pain=False)
        area_id = where.id if where is not None else GENERAL
        existing = next((r for r in hold.reports if r.area == area_id), None) if hold else None
        names = tuple(dict.fromkeys((existing.red_flags if existing else ()) + tuple(f.id for f in found.flags)))
        names = tuple(n for n in names if n != UNSPECIFIED) or names
        await refer(ctx, existing, area_id, names)
        known = rules(ctx).red_flags.flags
        return [referral(ctx, area_id, [known[n] for n in names if n in known])]
    if found.unsure:  # a harmless cause is likely, but not sure: ask rather than refer or ignore
        if hold is not None:
            return [Reply(hold.notice(ctx), title="Please get this checked first")]
        area_id = area.id if area is not None and area.id in rules(ctx).red_flags.screens else GENERAL
        new = await ctx.uow.pain.add(
            ctx.user.id, area_id, severity_in(text) or "mild", SCREENING, ctx.now, None, ctx.now + timedelta(days=14)
        )
        return [screening_questions(ctx, new, screen_of(ctx, area_id), "To be on the safe side")]
    if area is None:
        return await news_of_a_report(ctx, text)  # "my knee is better now": its check-in, or None
    if other_body_part(ctx, text, area) is not None:
        return None  # an area without rules: core/features/intents.py answers those
    severity = severity_in(text)
    choices = [
        [Button(s.capitalize(), f"/pain {area.id} {s}") for s in SEVERITIES],
        [Button("No, leave my plan as it is", "/pain")],
    ]
    if severity:
        choices[0] = [Button(f"Yes ({severity})", f"/pain {area.id} {severity}")]
    return [Reply(f"It sounds like {talk_about(area)}. Shall I adapt your training for it?").with_buttons(choices)]


async def news_of_a_report(ctx: Context, text: str) -> list[Reply] | None:
    """'my knee is better now' with a knee report open: its check-in question, so a press (never the
    words alone) clears or keeps the report."""
    if not mentions_any(normalise(text), rules(ctx).update_words):
        return None
    where = area_in(text, rules(ctx), require_pain=False)
    if where is None:
        return None
    reports = await ctx.uow.pain.current(ctx.user.id, ctx.now)
    report = next((r for r in reports if r.area == where.id and r.status == ACTIVE), None)
    return [checkin_reply(report, where)] if report is not None else None


def talk_about(area: Area) -> str:
    """'your knee is bothering you'; areas named as a state read as one ('you're very sore')."""
    talk: str = intent_data().texts.get("pain_talk", {}).get(area.id, f"your {area.name} is bothering you")
    return talk


@plan_adjuster
async def adapt_plan(ctx: Context, plan: WorkoutPlan) -> None:
    current = await ctx.uow.pain.current(ctx.user.id, ctx.now)
    if not current:
        return
    hold = hold_from(ctx, current)
    if hold is not None:  # repeated every time until cleared; same-day wording for urgent flags
        plan.notices.append(hold.notice(ctx))
        plan.rest_only = True
        plan.no_training = hold.urgent
        return
    areas = rules(ctx).areas
    for r in current:
        if r.status == SCREENING:
            plan.notices.append(
                f"You told me about your {area_name(ctx, r.area)}: answer the safety check first (/pain)."
            )
        if r.status == ACTIVE and r.checkin_due_at and r.checkin_due_at <= ctx.now and r.area in areas:
            plan.checkins.append(checkin_reply(r, areas[r.area]))
    chosen = [
        (rule, f"{areas[r.area].name}, {r.severity}")
        for r in current
        if r.status == ACTIVE
        for rule in rules(ctx).for_report(r.area, r.severity)
    ]
    returning = [r for r in current if r.status == RETURNING]
    if returning:
        chosen.append((return_rule(ctx, returning[0]), ", ".join(area_name(ctx, r.area) for r in returning)))
    if not chosen:
        return
    items = [PlanItem(line.planned, line.exercise, line.note) for line in plan.lines]
    have = available(ctx.profile.equipment, plan.program.equipment)
    result = apply_rules(items, chosen, ctx.library.catalog, have)
    plan.lines = [PlanLine(i.planned, i.exercise, note=i.note) for i in result.items]
    plan.changes.extend(result.changes)
    plan.rest_only = plan.rest_only or result.rest_day
