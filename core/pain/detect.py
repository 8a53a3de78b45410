"""Recognising pain and red flags in what people write.

Free text only ever leads to a question ("shall I adapt your plan?") or to
the referral; it never changes the plan by itself.
"""

from __future__ import annotations

import re

from core.pain.rules import Area, PainRules, RedFlag, mentions

SEVERITY_WORDS = {
    "severe": ("severe", "excruciating", "agony", "unbearable", "can't move", "cant move", "terrible", "really bad"),
    "moderate": ("moderate", "quite", "pretty bad", "really", "very", "bad", "badly"),
    "mild": ("mild", "a bit", "a little", "slightly", "slight", "bit of", "little"),
}
LOOKS_LIKE_A_LOG = re.compile(r"\d+\s*[x×*/]\s*\d+|\d+\s*(?:kg|lbs?|reps?)\b", re.I)


def normalise(text: str) -> str:
    return " ".join(text.lower().replace("’", "'").split())


def has_pain_words(text: str, rules: PainRules) -> bool:
    return any(mentions(text, word) for word in rules.pain_words)


def red_flags_in(text: str, rules: PainRules) -> list[RedFlag]:
    """Strong flags count anywhere; the others only when the message is about pain."""
    clean = normalise(text)
    about_pain = has_pain_words(clean, rules) or any(mentions(clean, w) for a in rules.areas.values() for w in a.words)
    return [flag for flag in rules.red_flags
            if (flag.strong or about_pain) and any(mentions(clean, w) for w in flag.words)]


def area_in(text: str, rules: PainRules) -> Area | None:
    """The most specific area named together with pain words; None for set logs and chat."""
    clean = normalise(text)
    if LOOKS_LIKE_A_LOG.search(clean):
        return None
    best: tuple[int, Area] | None = None
    for area in rules.areas.values():
        for word in area.words:
            if mentions(clean, word) and (best is None or len(word) > best[0]):
                best = (len(word), area)
    if best is None:
        return None
    area = best[1]
    self_describing = any(w in clean for w in ("sore", "doms", "pain", "hurt", "feel hip thrusts", "feel it"))
    return area if has_pain_words(clean, rules) or self_describing else None


def severity_in(text: str) -> str | None:
    clean = normalise(text)
    for severity in ("severe", "moderate", "mild"):
        if any(mentions(clean, word) for word in SEVERITY_WORDS[severity]):
            return severity
    return None
