"""How people really answer the bot's questions in words, and the share the bot understands.

Each entry: what someone typed where buttons were shown, and what the bot should
have understood (the text of its confirmation). Written from how people answer
chat surveys: short, lower case, chatty, with typos; a few are deliberately hard.
"""

from __future__ import annotations


from tests.support import ChatDriver

# The commands that answer every step before the one asked, so each case starts at its question.
ANSWERS = [
    "/start experience novice",
    "/start place gym",
    "/start equipment everything",
    "/start days mon thu",
    "/start tz Europe/Berlin",
    "/start units kg",
]
STEP_ORDER = ["experience", "place", "equipment", "days", "tz", "units", "remind"]
BEFORE = {step: ["/start"] + ANSWERS[:i] for i, step in enumerate(STEP_ORDER)}

CORPUS: dict[str, list[tuple[str, str]]] = {
    "experience": [
        ("beginner", "new to lifting"),
        ("Beginner", "new to lifting"),
        ("new to lifting", "new to lifting"),
        ("I'm new", "new to lifting"),
        ("im a total beginner", "new to lifting"),
        ("never lifted", "new to lifting"),
        ("just started", "new to lifting"),
        ("begginer", "new to lifting"),
        ("novice", "new to lifting"),
        ("a few weeks", "new to lifting"),
        ("3 months", "new to lifting"),
        ("2 years", "lifting for 6+ months"),
        ("intermediate", "lifting for 6+ months"),
        ("about a year", "lifting for 6+ months"),
        ("i've been lifting for years", "lifting for 6+ months"),
        ("6+ months", "lifting for 6+ months"),
        ("experienced", "lifting for 6+ months"),
        ("over a year now", "lifting for 6+ months"),
        ("intermedate", "lifting for 6+ months"),
        ("a couple of years", "lifting for 6+ months"),
        ("not long at all", "new to lifting"),
        ("first time lifting", "new to lifting"),
        ("I lifted in college but stopped", "lifting for 6+ months"),  # hard: no time given
    ],
    "place": [
        ("gym", "a gym"),
        ("Gym", "a gym"),
        ("at the gym", "a gym"),
        ("the gym", "a gym"),
        ("i go to a gym", "a gym"),
        ("home", "home"),
        ("at home", "home"),
        ("I train at home", "home"),
        ("from home", "home"),
        ("my living room", "home"),
        ("in my garage", "home"),
        ("house", "home"),
        ("hom", "home"),
        ("gym membership", "a gym"),
        ("my apartment", "home"),
        ("no gym, just bands", "home"),
        ("planet fitness", "a gym"),  # hard: a gym's brand name
    ],
    "equipment": [
        ("full gym", "Equipment: barbell"),
        ("everything", "Equipment: barbell"),
        ("dumbbells and bands", "Equipment: dumbbells, resistance bands"),
        ("just bands", "Equipment: resistance bands"),
        ("nothing", "Equipment: bodyweight only"),
        ("nothing, just me", "Equipment: bodyweight only"),
        ("Barbell, dumbbells, bands", "Equipment: barbell"),
        ("db and kb", "Equipment: dumbbells, kettlebells"),
    ],
    "days": [
        ("mon thu", "Mon, Thu"),
        ("mon, wed and fri", "Mon, Wed, Fri"),
        ("Monday and Thursday", "Mon, Thu"),
        ("mondays and thursdays", "Mon, Thu"),
        ("tue/fri", "Tue, Fri"),
        ("on tuesday and friday", "Tue, Fri"),
        ("weekends", "Sat, Sun"),
        ("Tues & Thurs", "Tue, Thu"),
        ("mon wed fri", "Mon, Wed, Fri"),
        ("3 days", "3 days a week"),
        ("twice a week", "2 days a week"),
        ("3x a week", "3 days a week"),
        ("2", "2 days a week"),
        ("three days", "3 days a week"),
        ("monday wednesday friday", "Mon, Wed, Fri"),
        ("i can do tuesday and saturday", "Tue, Sat"),
        ("mon-wed", "Mon, Tue, Wed"),
        ("whenever", "Which days"),  # hard: no days; the question must come back, not a loop
    ],
    "tz": [
        ("Europe/Berlin", "Europe/Berlin"),
        ("berlin", "Europe/Berlin"),
        ("London", "Europe/London"),
        ("new york", "America/New_York"),
        ("I'm in Madrid", "Europe/Madrid"),
        ("i live in chicago", "America/Chicago"),
        ("utc", "UTC"),
        ("Los Angeles", "America/Los_Angeles"),
        ("tokyo", "Asia/Tokyo"),
        ("in paris", "Europe/Paris"),
        ("sydney", "Australia/Sydney"),
        ("amsterdam", "Europe/Amsterdam"),
        ("Europe/London", "Europe/London"),
        ("toronto", "America/Toronto"),
        ("based in dublin", "Europe/Dublin"),
        ("CET", "Europe/Berlin"),  # hard: an abbreviation
    ],
    "units": [
        ("kg", "Units: kg"),
        ("KG", "Units: kg"),
        ("kilos", "Units: kg"),
        ("kilograms", "Units: kg"),
        ("metric", "Units: kg"),
        ("kgs please", "Units: kg"),
        ("lb", "Units: lb"),
        ("lbs", "Units: lb"),
        ("pounds", "Units: lb"),
        ("Pounds please", "Units: lb"),
        ("imperial", "Units: lb"),
        ("pound", "Units: lb"),
        ("kilograms obviously", "Units: kg"),
    ],
    "remind": [
        ("7pm", "19:00"),
        ("7 pm", "19:00"),
        ("at 7pm", "19:00"),
        ("18:00", "18:00"),
        ("6:30", "06:30"),
        ("06:45", "06:45"),
        ("morning", "07:00"),
        ("in the morning", "07:00"),
        ("evening", "18:00"),
        ("lunch", "12:00"),
        ("noon", "12:00"),
        ("no", "Reminders: off"),
        ("no thanks", "Reminders: off"),
        ("off", "Reminders: off"),
        ("don't remind me", "Reminders: off"),
        ("7am", "07:00"),
        ("19:30", "19:30"),
        ("around 8", "08:00"),
        ("nope", "Reminders: off"),
        ("after work", "18:00"),
        ("half past six in the evening", "18:30"),  # hard: words for a time
    ],
}


CONFIRMATION = {
    "experience": "✓ Experience: {}",
    "place": "✓ Training at {}",
    "equipment": "✓ {}",
    "days": "✓ Days: {}",
    "tz": "✓ Time zone: {}",
    "units": "✓ {}",
    "remind": "✓ Reminder: {}",
}


def confirmation(step: str, expected: str) -> str:
    """What the bot says when it understood: '✓ Time zone: Europe/Berlin', or a follow-up question."""
    if "days a week" in expected or expected == "Which days" or expected.startswith("Reminders"):
        return expected
    return CONFIRMATION[step].format(expected)


async def answer_step(chat, step: str, typed: str) -> str:
    for command in BEFORE[step]:
        await chat.send(command)
    await chat.send(typed)
    return chat.text


async def test_typed_answers_to_every_setup_question(chat, capsys):
    results: dict[str, list[bool]] = {}
    misses, wrong = [], []
    for step, cases in CORPUS.items():
        for typed, expected in cases:
            text = await answer_step(chat, step, typed)
            ok = confirmation(step, expected).lower() in text.lower()
            results.setdefault(step, []).append(ok)
            if not ok:
                misses.append(f"{step}: {typed!r} -> {text.splitlines()[0][:70]!r}")
                confirmed = CONFIRMATION[step].split("{}")[0] if step != "remind" else "✓ Reminder"
                if confirmed in text:
                    wrong.append(f"{step}: {typed!r} was taken as {text.split(confirmed)[1].splitlines()[0]!r}")
    total = sum(len(v) for v in results.values())
    handled = sum(sum(v) for v in results.values())
    with capsys.disabled():
        print(f"\ntyped setup answers handled: {handled}/{total} = {handled / total:.0%}")
        for step, oks in results.items():
            print(f"  {step:<10} {sum(oks)}/{len(oks)}")
        for miss in misses:
            print(f"  missed {miss}")
    assert not wrong, wrong  # a miss asks again; it never stores something else
    assert handled / total >= 0.9
    assert all(sum(oks) / len(oks) >= 0.8 for oks in results.values())


ADAPT_CORPUS = [
    ("yes", "Which one"),
    ("yeah", "Which one"),
    ("mild", "safety check"),
    ("Moderate", "safety check"),
    ("yeah, moderate", "safety check"),
    ("a bit", "safety check"),
    ("quite bad", "safety check"),
    ("severe", "safety check"),
    ("really bad", "safety check"),
    ("no", "No pain reported"),
    ("no thanks", "No pain reported"),
    ("nah leave it", "No pain reported"),
    ("moderat", "safety check"),
    ("sure, it's mild", "safety check"),
    ("5", "safety check"),
    ("it's not bad", "safety check"),
]


async def test_typed_answers_to_shall_i_adapt(chat, capsys):
    handled = 0
    misses = []
    for typed, expected in ADAPT_CORPUS:
        await chat.send("/pain clear")
        await chat.send("my knee hurts")
        await chat.send(typed)
        if expected.lower() in chat.text.lower():
            handled += 1
        else:
            misses.append(f"{typed!r} -> {chat.text.splitlines()[0][:70]!r}")
    with capsys.disabled():
        print(f"\ntyped answers to 'Shall I adapt your training?': {handled}/{len(ADAPT_CORPUS)}")
        for miss in misses:
            print(f"  missed {miss}")
    assert handled / len(ADAPT_CORPUS) >= 0.9


SAFETY_CORPUS = [
    ("none of these", "Noted: lower back"),
    ("no", "Noted: lower back"),
    ("None", "Noted: lower back"),
    ("nope", "Noted: lower back"),
    ("no none of those", "Noted: lower back"),
    ("nothing like that", "Noted: lower back"),
    ("yes", "Please get this checked"),
    ("yes, one or more", "Please get this checked"),
    ("one of them", "Please get this checked"),
    ("not sure", "do any of these apply"),  # unclear: the check is asked again, never passed
]
CHECKIN_CORPUS = [
    ("better", "Great news"),
    ("much better", "Great news"),
    ("all good", "Great news"),
    ("same", "Thanks."),
    ("about the same", "Thanks."),
    ("no change", "Thanks."),
    ("worse", "Sorry it's worse"),
    ("getting worse", "Sorry it's worse"),
]


async def test_typed_answers_to_the_safety_check_and_the_check_in(chat, clock, capsys):
    handled, misses = 0, []
    for n, (typed, expected) in enumerate(SAFETY_CORPUS):
        chat = ChatDriver(chat.coach, user_id=f"safety-{n}")  # a referral holds: each answer is a new person
        await chat.send("/pain lower back mild")
        await chat.send(typed)
        handled += expected in chat.text
        if expected not in chat.text:
            misses.append(f"safety {typed!r} -> {chat.text.splitlines()[0][:60]!r}")
    for n, (typed, expected) in enumerate(CHECKIN_CORPUS):
        chat = ChatDriver(chat.coach, user_id=f"checkin-{n}")
        await chat.send("/pain lower back mild")
        await chat.press("None of these")
        clock.advance(days=4)
        await chat.send("/today train")
        assert "How is your lower back doing?" in chat.text
        await chat.send(typed)
        handled += expected in chat.text
        if expected not in chat.text:
            misses.append(f"check-in {typed!r} -> {chat.text.splitlines()[0][:60]!r}")
    total = len(SAFETY_CORPUS) + len(CHECKIN_CORPUS)
    with capsys.disabled():
        print(f"\ntyped answers to the safety check and the check-in: {handled}/{total}")
        for miss in misses:
            print(f"  missed {miss}")
    assert handled == total
