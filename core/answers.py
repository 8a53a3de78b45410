"""Reading a typed answer as a press of one of the buttons on screen.

People type "at home" or "yeah, moderate" where the bot showed buttons; a
question must never loop because the exact label was not written. The words
each label accepts live in core/data/answers.toml.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from rapidfuzz import fuzz

from core.domain import Button

DATA = Path(__file__).parent / "data" / "answers.toml"
MAX_ANSWER_WORDS = 8  # longer messages are conversation, not a choice
FUZZY_CUTOFF = 85
# "none, but I have a fever": the answer comes with a condition, so only the whole text may press a button
HEDGES = re.compile(r"\b(but|except|although|though|apart from|other than|besides|unless)\b")
# Numbers left over around a phrase change its meaning ("half past six in the evening" is no 18:00)
NUMBER_WORDS = re.compile(r"\d|\b(one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|half|quarter|past)\b")
LOG_LIKE = re.compile(r"\d+\s*[x×*]\s*\d+|\d+\s*(?:kg|kgs|lbs?|reps?)\b", re.I)


@dataclass(frozen=True)
class Vocabulary:
    yes: frozenset[str]
    no: frozenset[str]
    labels: dict[str, tuple[str, ...]]


@lru_cache(maxsize=1)
def vocabulary() -> Vocabulary:
    data = tomllib.loads(DATA.read_text(encoding="utf-8"))
    return Vocabulary(
        frozenset(normalise(w) for w in data["yes"]),
        frozenset(normalise(w) for w in data["no"]),
        {normalise(k): tuple(normalise(w) for w in v) for k, v in data["labels"].items()},
    )


def normalise(text: str) -> str:
    """Lower case, apostrophes dropped, punctuation to spaces: "I'm new!" -> 'im new'."""
    text = text.lower().replace("’", "").replace("'", "")
    text = re.sub(r"[^\w:+]+", " ", text)
    return " ".join(text.split())


def is_yes(text: str) -> bool:
    return normalise(text) in vocabulary().yes


def is_no(text: str) -> bool:
    return normalise(text) in vocabulary().no


@dataclass(frozen=True)
class Match:
    button: Button | None
    said_yes: bool = False  # "yes" to a question whose choices are not yes/no (e.g. how bad?)


def _words_for(button: Button, vocab: Vocabulary) -> set[str]:
    label = normalise(button.label)
    words = {label, *vocab.labels.get(label, ())}
    first = label.split(" ", 1)[0] if label else ""
    if first in vocab.yes or first == "yes":
        words |= vocab.yes
    if first in vocab.no or first in ("no", "none"):
        words |= vocab.no
    return words


def _contains(text: str, phrase: str) -> bool:
    return re.search(rf"(?<![\w+]){re.escape(phrase)}(?![\w+])", text) is not None


def match_button(text: str, buttons: list[Button], *, question: bool = True) -> Match:
    """The button this text means, if exactly one fits; Match(None) otherwise.

    Phrases inside a longer answer count only when the buttons answer a question; under a
    statement ("No pain reported" with area buttons) only the whole text can press one."""
    clean = normalise(text)
    if not clean or not buttons or len(clean.split()) > MAX_ANSWER_WORDS or LOG_LIKE.search(text):
        return Match(None)
    vocab = vocabulary()
    words = {i: _words_for(b, vocab) for i, b in enumerate(buttons)}
    exact = [i for i, ws in words.items() if clean in ws]
    if len(exact) == 1:
        return Match(buttons[exact[0]])
    # Phrases inside a short sentence: "I train at home", "yeah, moderate". The longest phrase wins,
    # and only when it belongs to one button.
    found: dict[int, int] = {}
    for i, ws in words.items() if question and not HEDGES.search(clean) else ():
        phrases = [w for w in ws if (len(w) >= 3 or " " in w) and _contains(clean, w)]
        phrases = [w for w in phrases if not NUMBER_WORDS.search(clean.replace(w, " "))]
        if phrases:
            found[i] = max(len(w) for w in phrases)
    if found:
        best = max(found.values())
        winners = [i for i, length in found.items() if length == best]
        if len(winners) == 1 and not _only_yes_no(clean, buttons[winners[0]], vocab):
            return Match(buttons[winners[0]])
    # Typos: "begginer", "moderat".
    digits = re.findall(r"\d+", clean)  # "3 months" is no typo of "6 months"
    scored = [
        (fuzz.ratio(clean, w), i)
        for i, ws in words.items()
        for w in ws
        if len(w) >= 4 and re.findall(r"\d+", w) == digits
    ]
    top = max(scored, default=(0, -1))
    if top[0] >= FUZZY_CUTOFF and len({i for s, i in scored if s == top[0]}) == 1:
        return Match(buttons[top[1]])
    return Match(None, said_yes=clean in vocab.yes or clean.split(" ")[0] in vocab.yes)


def _only_yes_no(clean: str, button: Button, vocab: Vocabulary) -> bool:
    """A yes or no word in the middle of a sentence is too weak to press a button on its own;
    at its start ("yeah I think so") it is the answer."""
    label = normalise(button.label)
    first = clean.split(" ", 1)[0]
    if first in vocab.yes or first in vocab.no:
        return False
    return (
        clean not in vocab.yes
        and clean not in vocab.no
        and not _contains(clean, label)
        and not any(_contains(clean, w) for w in vocab.labels.get(label, ()) if len(w) >= 3)
    )
