"""The seeds' advice in the conversation: form fixes, the glute-up cue, desk breaks, food."""

from core.catalog import Catalog
from tests.integration.test_coaching_progression import MONDAY, on
from tests.integration.test_pain import report
from tests.integration.test_scheduler import Screen, postman

FLOOR = {e.name for e in Catalog.load() if "mat" in e.equipment}

# How people write that a thrust goes to the wrong place (labelled: which fix it needs).
FORM_CORPUS = {
    "thrust_quads": [
        "I feel hip thrusts in my quads",
        "i feel my hip thrust in my quads more than glutes",
        "hip thrusts only burn my thighs",
        "why do I feel bridges in my quads?",
        "Hip thrust = all quads for me",
        "my quads do all the work on hip thrusts",
        "feel the thrust in the front of my thighs",
        "thrusts hit my quads not my glutes",
        "glute bridges in my thighs, not glutes",
        "HIP THRUSTS IN MY QUADS HELP",
    ],
    "thrust_back": [
        "I feel hip thrusts in my lower back",
        "hip thrust goes to my low back",
        "i feel bridges in my back",
        "why are my hip thrusts all lower back",
        "my back takes over on hip thrusts",
        "feel the thrust in my lower back more than my glutes",
        "thrusts in my lower back again",
        "glute bridge = lower back for me",
        "Hip thrusts: I mostly feel my back",
        "barbell thrust lower back instead of glutes",
    ],
    None: [  # not a form question: logs and pain go elsewhere
        "hip thrust 3x10 @ 60kg",
        "bridges 2x20",
        "my lower back hurts after hip thrusts",
        "my knee hurts",
        "numb between my legs after hip thrusts and my back",
        "what time is it",
    ],
}


async def test_form_questions_in_many_wordings_get_the_fix(chat):
    handled = total = 0
    for fix, texts in FORM_CORPUS.items():
        for text in texts:
            await chat.send(text)
            got = (
                "thrust_quads"
                if "shins are vertical" in chat.text
                else "thrust_back"
                if "back arches to finish" in chat.text
                else None
            )
            total += 1
            handled += got == fix
            if fix is None:
                assert got is None, text
    share = handled / total
    print(f"\nform-fix corpus: {handled}/{total} handled as labelled ({share:.0%})")
    assert share >= 0.9


async def test_a_form_fix_can_be_pinned_to_the_sets_in_today(chat, clock):
    await chat.send("/program gym_2x")
    await chat.send("/days mon thu")
    await on(chat, clock, MONDAY, "I feel hip thrusts in my quads")
    await chat.press("Pin it")
    assert "Pinned" in chat.text
    await chat.send("/today")
    note = [line for line in chat.text.splitlines() if "Your form note" in line]
    assert note and "shins vertical" in note[0]
    await chat.send("/form unpin thrust_quads")
    await chat.send("/today")
    assert "Your form note" not in chat.text


async def test_main_lifts_carry_the_glute_up_cue(chat, clock):
    await chat.send("/program gym_3x")
    await on(chat, clock, MONDAY, "/today")
    main = chat.text.split("Main lifts")[1].split("Single-leg work")[0]
    assert "squeeze your glutes" in main


async def test_glute_up_breaks_are_desk_friendly_and_respect_pain(app, chat, clock):
    screen = Screen(app.coach)
    clock.set_local("2026-11-23 08:00", "UTC")
    await chat.send("/gluteup on every 1h 09:00-17:00")
    worker = postman(app, clock, screen.console)
    clock.set_local("2026-11-23 09:05", "UTC")
    await worker.tick()
    assert "• Standing hip-flexor stretch:" in screen.out.getvalue()  # before the pain report
    await report(chat, "hip flexors", "severe")
    screen.out.truncate(0)
    for _ in range(8 * 6):
        clock.advance(minutes=10)
        await worker.tick()
    out = screen.out.getvalue()
    breaks = out.count("Glute up!")
    print(f"\nglute-up breaks in a workday with severe hip-flexor pain: {breaks}")
    assert breaks >= 5
    assert "• Standing hip-flexor stretch:" not in out and "rest from stretching into it" in out
    assert not [name for name in FLOOR if f"{name}:" in out]


async def test_food_question_and_help_reach_the_protein_note(chat):
    for text in ("what should I eat?", "How much protein do I need", "/food"):
        await chat.send(text)
        assert "1.6 g per kg" in chat.text and "Morton" in chat.text, text
        assert "diet plan" in chat.text
    await chat.send("/help")
    assert "/food" in chat.text
