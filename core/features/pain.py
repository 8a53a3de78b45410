"""/pain, pain talk in free text, red-flag screening and the plan adjuster.

A new report first gets the red-flag questions (where its area needs them);
only "none of these" lets the rules adapt the plan. Any red flag stops
coaching that area and shows the referral. The coach never diagnoses.
"""

from __future__ import annotations

from datetime import timedelta

from core.commands import command
from core.context import Context
from core.conversation import text_handler
from core.domain import Button, Reply
from core.pain.detect import area_in, red_flags_in, severity_in
from core.pain.reports import ACTIVE, REFERRED, SCREENING, PainReport
from core.pain.rules import SEVERITIES, Area, PlanItem, RedFlag, apply_rules
from core.workout import PlanLine, WorkoutPlan, plan_adjuster

EXERCISE_FIRST = ("Movement is usually the best medicine for this: I'll keep you training around it. "
                  "Glute work is no guaranteed fix for pain, so if it isn't easing in a couple of weeks, "
                  "see a physiotherapist or doctor.")
URGENT = ("Saddle numbness, new bladder or bowel problems, or weakness, pain or numbness in both legs "
          "need same-day urgent care: go to an emergency department or call your local emergency number now.")
UNSPECIFIED = "If it is one of the first four on the list: " + URGENT[0].lower() + URGENT[1:] + " Otherwise: "
SOON = "Please see a doctor or physiotherapist soon (within a few days, sooner if it gets worse) before training this area."


def rules(ctx: Context):
    return ctx.library.pain


def find_area(ctx: Context, text: str) -> Area | None:
    wanted = text.strip().lower().replace("_", " ")
    for area in rules(ctx).areas.values():
        if wanted in (area.id.replace("_", " "), area.name.lower()) or wanted in area.words:
            return area
    return area_in(f"{wanted} pain", rules(ctx))


def area_buttons(ctx: Context) -> list[list[Button]]:
    return [[Button(area.name.capitalize(), f"/pain {area.id}")] for area in rules(ctx).areas.values()]


@command("pain", "Tell me what hurts, so I adapt your plan", syntax="[area] [mild|moderate|severe] | clear [area]",
         details="Areas: lower back, knee, hip flexors, doms (heavy soreness), thrust_back (hip thrusts felt in "
                 "the lower back). /pain alone shows what is active.",
         examples=("/pain", "/pain lower back mild", "/pain knee moderate", "/pain clear knee"))
async def pain_command(ctx: Context, args: str) -> list[Reply]:
    words = args.strip().split()
    if not words:
        return [await current_text(ctx)]
    action = words[0].lower()
    if action == "clear":
        return [await clear(ctx, " ".join(words[1:]))]
    if action in ("ok", "flag", "same", "better", "worse") and len(words) >= 2:
        return [await answer(ctx, action, words[1])]
    severity = words[-1].lower() if words[-1].lower() in SEVERITIES else None
    area = find_area(ctx, " ".join(words[:-1] if severity else words))
    if area is None:
        return [Reply("Which area? Example: /pain lower back mild").with_buttons(area_buttons(ctx))]
    if severity is None:
        return [Reply(f"How bad is your {area.name}?").with_buttons(
            [[Button(s.capitalize(), f"/pain {area.id} {s}") for s in SEVERITIES]])]
    return [await report(ctx, area, severity)]


async def report(ctx: Context, area: Area, severity: str) -> Reply:
    existing = [r for r in await ctx.uow.pain.current(ctx.user.id, ctx.now) if r.area == area.id]
    if existing:
        await ctx.uow.pain.clear(ctx.user.id, [r.id for r in existing], ctx.now)
    status = SCREENING if area.screen else ACTIVE
    new = await ctx.uow.pain.add(ctx.user.id, area.id, severity, status, ctx.now,
                                 ctx.now + timedelta(days=area.checkin_days), ctx.now + timedelta(days=area.expires_days))
    if status == SCREENING:
        return screening_questions(ctx, new, area)
    return adapted(ctx, area, severity)


def screening_questions(ctx: Context, report: PainReport, area: Area) -> Reply:
    questions = "\n".join(f"• {flag.question}" for flag in rules(ctx).red_flags)
    text = (f"Sorry about your {area.name}. Before I adapt your plan: do any of these apply to you?\n{questions}")
    return Reply(text, title="A quick safety check").with_buttons([
        [Button("None of these", f"/pain ok {report.id}")],
        [Button("Yes, one or more", f"/pain flag {report.id}")],
    ])


def adapted(ctx: Context, area: Area, severity: str) -> Reply:
    changes = [rule.explanation.replace("{old}", "an exercise").replace("{new}", "a safer one")
               for rule in rules(ctx).for_report(area.id, severity)]
    lines = "\n".join(f"• {c[0].upper() + c[1:]}" for c in changes)
    text = (f"Noted: {area.name} ({severity}). From today's workout on:\n{lines}\n\n{EXERCISE_FIRST}\n"
            f"I'll check in with you in {area.checkin_days} days. /pain clear {area.id} when it's gone.")
    return Reply(text).with_buttons([[Button("See today's plan", "/today")]])


def referral(ctx: Context, area_name: str, flags: list[RedFlag] | None) -> Reply:
    """flags=None: the person said yes to the list without saying which one."""
    advice = UNSPECIFIED + SOON[0].lower() + SOON[1:] if flags is None else (
        URGENT if any(flag.urgent for flag in flags) else SOON)
    text = ("I'm a training coach and can't assess this, and with what you describe it shouldn't be trained "
            "until a clinician has looked at it.\n\n" + advice +
            f"\n\nI've stopped planning workouts for your {area_name}. When a clinician has cleared you, "
            "send /pain clear and we'll start again gently.")
    return Reply(text, title="Please get this checked")


async def answer(ctx: Context, action: str, report_id: str) -> Reply:
    valid = report_id.isascii() and report_id.isdigit() and len(report_id) <= 9  # ids are 32-bit in PostgreSQL
    report = await ctx.uow.pain.get(ctx.user.id, int(report_id)) if valid else None
    if report is None:
        return Reply("I can't find that report any more. /pain shows what is active.")
    area = rules(ctx).areas[report.area]
    if action == "ok":
        await ctx.uow.pain.update(ctx.user.id, report.id, status=ACTIVE)
        return adapted(ctx, area, report.severity)
    if action == "flag":
        await ctx.uow.pain.update(ctx.user.id, report.id, status=REFERRED, red_flags=("reported",))
        return referral(ctx, area.name, None)
    if action == "better":
        await ctx.uow.pain.clear(ctx.user.id, [report.id], ctx.now)
        return Reply(f"Great news about your {area.name}! Back to the full plan.")
    later = ctx.now + timedelta(days=area.checkin_days)
    if action == "worse":
        severity = SEVERITIES[min(SEVERITIES.index(report.severity) + 1, len(SEVERITIES) - 1)]
        await ctx.uow.pain.update(ctx.user.id, report.id, severity=severity, checkin_due_at=later)
        return Reply(f"Sorry it's worse. I've eased your plan further ({severity}). {SOON}")
    await ctx.uow.pain.update(ctx.user.id, report.id, checkin_due_at=later)
    return Reply(f"Thanks. Your plan stays adapted for your {area.name}; I'll ask again in {area.checkin_days} days.")


async def clear(ctx: Context, text: str) -> Reply:
    current = await ctx.uow.pain.current(ctx.user.id, ctx.now)
    area = find_area(ctx, text) if text.strip() else None
    if text.strip() and area is None:
        return Reply(f"I don't know the area '{text.strip()[:40]}'. Example: /pain clear knee")
    chosen = [r for r in current if area is None or r.area == area.id]
    if not chosen:
        return Reply("Nothing to clear: no pain reports are active.")
    await ctx.uow.pain.clear(ctx.user.id, [r.id for r in chosen], ctx.now)
    names = ", ".join(rules(ctx).areas[r.area].name for r in chosen)
    return Reply(f"Cleared: {names}. Your plan is back to normal.")


async def current_text(ctx: Context) -> Reply:
    current = await ctx.uow.pain.current(ctx.user.id, ctx.now)
    if not current:
        return Reply("No pain reported. If something hurts, tell me, e.g. /pain lower back mild").with_buttons(
            area_buttons(ctx))
    lines = []
    for r in current:
        since = r.reported_at.astimezone(ctx.profile.zone).strftime("%a %d %b")
        state = {"referred": "get it checked first", "screening": "safety check unanswered"}.get(r.status, r.severity)
        lines.append(f"• {rules(ctx).areas[r.area].name}: {state} (since {since})")
    buttons = [[Button(f"Clear {rules(ctx).areas[r.area].name}", f"/pain clear {r.area}")] for r in current]
    return Reply("\n".join(lines), title="What hurts").with_buttons(buttons)


def checkin_reply(report: PainReport, area: Area) -> Reply:
    """The check-in question, for /today now and for the scheduler later."""
    return Reply(f"How is your {area.name} doing?").with_buttons([[
        Button("Better, all clear", f"/pain better {report.id}"),
        Button("About the same", f"/pain same {report.id}"),
        Button("Worse", f"/pain worse {report.id}"),
    ]])


@text_handler(order=10)
async def pain_talk(ctx: Context, text: str) -> list[Reply] | None:
    flags = red_flags_in(text, rules(ctx))
    if flags:
        area = area_in(text, rules(ctx))
        if area is None and any(flag.urgent for flag in flags):
            area = rules(ctx).areas["lower_back"]  # cauda-equina signs: stop all back-loading coaching
        name = area.name if area else "symptoms"
        if area is not None:
            report = await ctx.uow.pain.add(ctx.user.id, area.id, "severe", REFERRED, ctx.now, ctx.now,
                                            ctx.now + timedelta(days=area.expires_days))
            await ctx.uow.pain.update(ctx.user.id, report.id, red_flags=tuple(f.id for f in flags))
        return [referral(ctx, name, flags)]
    area = area_in(text, rules(ctx))
    if area is None:
        return None
    severity = severity_in(text)
    choices = [[Button(s.capitalize(), f"/pain {area.id} {s}") for s in SEVERITIES],
               [Button("No, leave my plan as it is", "/pain")]]
    if severity:
        choices[0] = [Button(f"Yes ({severity})", f"/pain {area.id} {severity}")]
    return [Reply(f"It sounds like your {area.name} is bothering you. Shall I adapt your training for it?"
                  ).with_buttons(choices)]


@plan_adjuster(order=10)
async def adapt_plan(ctx: Context, plan: WorkoutPlan) -> None:
    current = await ctx.uow.pain.current(ctx.user.id, ctx.now)
    if not current:
        return
    areas = rules(ctx).areas
    referred = [r for r in current if r.status == REFERRED]
    for r in referred:
        plan.notices.append(f"Your {areas[r.area].name}: please get it checked by a clinician before training it. "
                            "No workout until then; the gentle routine is fine if it doesn't hurt.")
        plan.rest_only = True
    for r in current:
        if r.status == SCREENING:
            plan.notices.append(f"You reported {areas[r.area].name} pain: answer the safety check first (/pain).")
        if r.status == ACTIVE and r.checkin_due_at and r.checkin_due_at <= ctx.now:
            plan.checkins.append(checkin_reply(r, areas[r.area]))
    chosen = [(rule, f"{areas[r.area].name}, {r.severity}") for r in current if r.status == ACTIVE
              for rule in rules(ctx).for_report(r.area, r.severity)]
    if not chosen:
        return
    items = [PlanItem(line.planned, line.exercise, line.note) for line in plan.lines]
    result = apply_rules(items, chosen, ctx.library.catalog, plan.program.setting)
    plan.lines = [PlanLine(i.planned, i.exercise, note=i.note) for i in result.items]
    plan.changes.extend(result.changes)
    plan.rest_only = plan.rest_only or result.rest_day
