"""The order in which free text is read and a day's plan is adjusted, in one place.

Feature modules mark their functions with `@text_handler` / `@plan_adjuster`; where each
runs is decided here, not by a number next to the function, so the whole path can be read
(and changed) in one edit. A marked function missing from these lists is refused when
its module is imported.
"""

# Free text that is not a command or an answer to an open question: the first handler that
# answers wins.
TEXT_HANDLERS = (
    "core.features.advice.advice_talk",  # "I feel hip thrusts in my quads" is a form problem, not pain
    "core.features.pain.pain_talk",  # "my knee hurts after 3x10" is pain talk, not a set log
    "core.features.setlog.read_log",  # "hip thrust 3x10 @ 60kg"
    "core.features.intents.common_questions",  # how-to, food, "what should I do today?"
)

# Each plan for /today (and reminders) passes through these, in this order.
PLAN_ADJUSTERS = (
    "core.features.equipment.fit_equipment",  # first: never plan what the person lacks
    "core.features.progression.climb_ladders",  # the rung the person has reached
    "core.features.pain.adapt_plan",  # pain rules swap, cut or rest what the lines now are
    "core.features.progression.suggest_progress",  # loads for the lines that are left
    "core.features.advice.cue_the_main_lifts",  # cues and pinned form notes on the final lines
    "core.features.setlog.mark_done",  # last: tick off what was logged today
)
