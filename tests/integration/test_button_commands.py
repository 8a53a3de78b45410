"""Buttons carry command text; the sub-commands they use (`/pain ok 12`, `/start tz ...`,
`/log ~ref #id ...`, `/forget confirm`) are declared with their command (`buttons=` in
@command) and shown by /help. A button sending a form its command does not declare fails
here, and so does a declared form no button uses any more."""

import re

from core.commands import all_commands, find
from core.pain.rules import SEVERITIES


def vocabulary(app) -> dict[str, str]:
    """What each placeholder of a form may be, as a regex (anything else: one word)."""
    library = app.coach.library
    return {
        "report": r"\d+",
        "reports": r"\d+(?:,\d+)*",
        "area": "|".join(map(re.escape, library.pain.areas)),
        "severity": "|".join(SEVERITIES),
        "exercise": "|".join(re.escape(e.id) for e in library.catalog),
        "ref": r"[0-9a-f]+!?",
    }


def form_pattern(name: str, form: str, words: dict[str, str]) -> re.Pattern:
    def token(text: str) -> str:
        def placeholder(match):
            key, rest = match.group(1), match.group(2)
            return "(?:.+)" if rest else f"(?:{words.get(key, r'[^ ]+')})"

        parts = re.split(r"(<[a-z-]+?(?:\.\.\.)?>)", text)
        out = []
        for part in parts:
            found = re.fullmatch(r"<([a-z-]+?)(\.\.\.)?>", part)
            out.append(placeholder(found) if found else "|".join(map(re.escape, part.split("|"))))
        return "(?:" + "".join(out) + ")" if "|" in text and "<" not in text else "".join(out)

    body = ""
    for tok in form.split(" "):
        if tok.startswith("[") and tok.endswith("]"):
            body += f"(?: {token(tok[1:-1])})?"
        else:
            body += " " + token(tok)
    return re.compile(rf"/{name}{body}")


async def collect(chat, seen, text=None, press=None):
    await (chat.press(press) if press else chat.send(text))
    seen.update(b.command for r in chat.replies for row in r.buttons for b in row)


async def test_every_button_sends_a_form_its_command_declares(app, chat, clock):
    seen: set[str] = set()
    clock.set_local("2026-11-23 09:00", "UTC")
    await collect(chat, seen, "/start")
    for label in ("New to lifting", "A gym", "Full gym", "Mon, Wed, Fri", "Europe/Berlin", "kg", "18:00"):
        await collect(chat, seen, press=label)
    for text in ("/pain", "/pain knee", "/pain knee mild"):
        await collect(chat, seen, text)
    await collect(chat, seen, press="None of these")
    clock.advance(days=3, hours=1)  # the knee's check-in
    await collect(chat, seen, "/today")
    await collect(chat, seen, press="About the same")
    await collect(chat, seen, "/pain lower back moderate")
    await collect(chat, seen, press="Yes, one or more")
    await collect(chat, seen, press="Pain at night")
    await collect(chat, seen, "/pain clear")
    await collect(chat, seen, press="Not yet")
    await collect(chat, seen, "/pain clear")
    await collect(chat, seen, press="Yes, a clinician cleared me")
    await collect(chat, seen, "/pain")
    for text in ("bss 15x8", "hip thrust 3x10 60kg", "hip thrust 3x10 200kg", "bench prss 3x10 40kg", "qzx curls 3x10"):
        await collect(chat, seen, text)
    await collect(chat, seen, press="Cancel")
    await collect(chat, seen, "/forget")

    words = vocabulary(app)
    used: set[tuple[str, str]] = set()
    undeclared = []
    for text in sorted(seen):
        name = text.split(" ", 1)[0].lstrip("/")
        spec = find(name)
        assert spec is not None, text
        if not spec.buttons:
            continue
        matching = [form for form, _ in spec.buttons if form_pattern(name, form, words).fullmatch(text)]
        used.update((name, form) for form in matching)
        if not matching and text != f"/{name}":
            undeclared.append(text)
    assert undeclared == [], f"buttons whose form is not declared with their command: {undeclared}"
    declared = {(spec.name, form) for spec in all_commands() for form, _ in spec.buttons}
    print(f"\nbutton forms: {len(used)} of {len(declared)} declared forms pressed by {len(seen)} distinct buttons")
    assert declared - used == set(), f"declared forms no button used in these conversations: {declared - used}"


async def test_help_shows_the_button_forms_of_a_command(chat):
    for spec in all_commands():
        if spec.buttons:
            await chat.send(f"/help {spec.name}")
            for form, meaning in spec.buttons:
                assert f"/{spec.name} {form} - {meaning}" in chat.text


def test_the_hidden_verbs_are_declared():
    forms = {spec.name: " ".join(form for form, _ in spec.buttons) for spec in all_commands()}
    for name, verb in [
        ("pain", "ok"),
        ("pain", "flag"),
        ("pain", "same"),
        ("pain", "better"),
        ("pain", "worse"),
        ("pain", "cleared"),
        ("pain", "notyet"),
        ("start", "tz"),
        ("start", "units"),
        ("log", "#<exercise>"),
        ("log", "custom"),
        ("log", "cancel"),
        ("forget", "confirm"),
    ]:
        assert verb in forms[name], (name, verb)
