"""Recognising pain and red flags in what people write.

Free text only ever leads to a question ("shall I adapt your plan?", the
safety check) or to the referral; it never changes the plan by itself.

Red flags are read with a little grammar, because people mention them in
passing and in every tense: a flag that is denied ("no numbness"), over
("had a bladder infection last month, all fine now") or an idiom ("fell
asleep at my desk") is not a flag; one with a likely harmless cause named
("numb from sitting on the bike") makes the coach ask the safety check
rather than refer or ignore.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from core.pain.flags import RedFlag
from core.pain.rules import Area, PainRules, mentions, mentions_any, phrase_pattern

SEVERITY_WORDS = {
    "severe": ("severe", "excruciating", "agony", "unbearable", "can't move", "cant move", "terrible", "really bad"),
    "moderate": ("moderate", "quite", "pretty bad", "really", "very", "bad", "badly"),
    "mild": ("mild", "a bit", "a little", "slightly", "slight", "bit of", "little"),
}

SENTENCE_END = re.compile(r"[.!?;\n]+")
# Where a new statement starts inside a sentence: a negation before it does not reach past here.
CLAUSE_START = re.compile(
    r"\b(?:but|though|although|however|except|whereas|yet)\b|,\s*(?:and\s+|now\s+)?(?:my|i|i'm|it|it's|the|now|and)\b"
    r"|\band\s+(?:my|i|i'm|it|it's|now|the|then)\b"
)
NEGATION = re.compile(
    r"\b(?:no|not|never|without|none|nor|zero|don't|dont|doesn't|doesnt|didn't|didnt|haven't|havent|"
    r"hasn't|hasnt|isn't|isnt|aren't|arent|wasn't|weren't|neither|free of|ruled out)\b"
)
NOT_A_DENIAL = re.compile(
    r"\b(?:don't|dont|do not|not|no)\s+(?:know|understand|sure|idea|get)\b|\bnot only\b|\bno reason\b"
)
# Said of something over. Not "last week": a fall or numbness last week is recent, and counts.
RESOLVED = re.compile(
    r"\b(?:last (?:month|year|summer|winter|spring|autumn)|(?:weeks|months|years|a year|a month) ago|"
    r"used to|all (?:fine|good|ok|okay|clear|gone) now|(?:fine|better|gone|ok|okay) now|cleared up|went away|"
    r"resolved|back to normal|in the past|when i was (?:younger|a kid|a child|pregnant|little)|as a (?:kid|child)|"
    r"years back|long gone|got over it)\b"
)
FINE_AFTER = re.compile(
    r"\w*\s+(?:is|are|has been|have been|was|feels?)\s+(?:totally |completely |all |perfectly )?"
    r"(?:fine|ok|okay|normal|good|all right|alright)\b"
)  # "my bladder is fine"
ONGOING = re.compile(r"\b(?:still|again|ever since|keeps?|getting worse|worse now|came back|is back|right now)\b")


@dataclass
class Findings:
    """`flags`: refer now. `unsure`: ask the safety check. Both empty: nothing to act on."""

    flags: list[RedFlag] = field(default_factory=list)
    unsure: list[RedFlag] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.flags or self.unsure)


# "cant", "dont": apostrophes people leave out, put back so one pattern reads both
MISSING_APOSTROPHE = re.compile(r"\b(can|couldn|don|doesn|didn|won|isn|wasn|haven|hasn|wouldn)t\b")


def normalise(text: str) -> str:
    text = " ".join(text.lower().replace("’", "'").replace("‘", "'").split())
    return MISSING_APOSTROPHE.sub(r"\1't", text)


def has_pain_words(text: str, rules: PainRules) -> bool:
    return mentions_any(text, rules.pain_words)


def about_pain(text: str, rules: PainRules) -> bool:
    """Pain words, a severe word or a named area: what `needs_pain` flags need to count."""
    clean = normalise(text)
    return (
        has_pain_words(clean, rules)
        or mentions_any(clean, SEVERITY_WORDS["severe"])
        or mentions_any(clean, rules.area_words)
    )


RECENT_FINDINGS = 64  # texts whose findings are kept (PainRules.recent_findings)


def red_flags_in(text: str, rules: PainRules) -> Findings:
    """Every flag the message states as present now, and those it only might mean."""
    clean = normalise(text)
    kept = rules.recent_findings
    found = kept.get(clean)
    if found is None:
        found = _flags_in(clean, rules)
        if len(kept) >= RECENT_FINDINGS:
            kept.clear()
        kept[clean] = found
    return Findings(list(found.flags), list(found.unsure))  # the caller may change its copy


def _flags_in(clean: str, rules: PainRules) -> Findings:
    painful = about_pain(clean, rules)
    area = area_in(clean, rules, require_pain=False)
    found = Findings()
    # A repeated sentence reads the same ("3.3.3..." is 3,750 sentences and one verdict), so each is read once.
    for sentence in dict.fromkeys(SENTENCE_END.split(clean)):
        if rules.red_flags.named.search(sentence) is None:
            continue  # no flag's pattern or cue: nothing below could find one
        over = RESOLVED.search(sentence) is not None and ONGOING.search(sentence) is None
        for flag in rules.red_flags.flags.values():
            verdict = _read(flag, sentence, over, painful)
            if verdict is None and painful and _cued(flag, sentence, over):
                verdict = False
            if verdict is None:
                continue
            flag = _specific(flag, area, rules)
            target = found.flags if verdict else found.unsure
            if flag not in found.flags and flag not in target:
                target.append(flag)
    found.unsure = [f for f in found.unsure if f not in found.flags]
    return found


def _read(flag: RedFlag, sentence: str, over: bool, painful: bool) -> bool | None:
    """True: the flag is stated; False: it may be meant; None: it is not there (or denied, or over)."""
    for pattern in flag.patterns:
        for match in pattern.finditer(sentence):
            if _denied(sentence, match.start(), match.end()):
                continue
            if over and not flag.history:
                continue
            if any(u.search(sentence) for u in flag.unsure) or (flag.needs_pain and not painful):
                return False
            return True
    return None


def _cued(flag: RedFlag, sentence: str, over: bool) -> bool:
    """A word that may mean the flag, not denied and not over: worth the safety check."""
    return not over and any(
        not _denied(sentence, m.start(m.lastindex or 0), m.end(m.lastindex or 0))
        for cue in flag.cues
        for m in cue.finditer(sentence)
    )


def _denied(sentence: str, position: int, end: int | None = None) -> bool:
    starts = [m.end() for m in CLAUSE_START.finditer(sentence) if m.end() <= position]
    before = sentence[starts[-1] if starts else 0 : position]
    before = NOT_A_DENIAL.sub(" ", before)
    return NEGATION.search(before) is not None or (end is not None and FINE_AFTER.match(sentence, end) is not None)


def _specific(flag: RedFlag, area: Area | None, rules: PainRules) -> RedFlag:
    for area_id, other in flag.becomes:
        if area is not None and area.id == area_id:
            return rules.red_flags.flags[other]
    return flag


def area_in(text: str, rules: PainRules, require_pain: bool = True) -> Area | None:
    """The most specific area named together with pain words, in talk and in a set log's note
    ('hip thrust 3x10, my back hurt on the last set'); None when no area is named."""
    clean = normalise(text)
    if not mentions_any(clean, rules.area_words):
        return None
    best: tuple[int, Area] | None = None
    for area in rules.areas.values():
        for word in area.words:
            if mentions(clean, word) and (best is None or len(word) > best[0]):
                best = (len(word), area)
    if best is None:
        return None
    area = best[1]
    if not require_pain:
        return area
    return area if reports_pain(clean, rules, area.words if area.states_pain else ()) else None


# Stems that say pain in any form ("soreness", "painful", "hurting"), and "I feel it (in my knee)".
PAIN_STEMS = re.compile(r"\b(?:sore|pain|hurt)\w*|\bfeel it\b")
# Pain said to be over, within its clause: "doesn't hurt anymore", "the pain is gone". Red flags
# are read apart and more warily: "can't feel my legs anymore" is a flag, not something over.
PAIN_OVER = re.compile(r"\b(?:any ?more|no longer|(?:is|are|has|have) (?:gone|eased|settled)|went away)\b")
# "can't squat without knee pain": a negation of the negation.
CANNOT_WITHOUT = re.compile(r"\b(?:can't|cant|cannot|can not|couldn't|couldnt)\b.*?\bwithout\b")
# A question about pain in general, not a report of one: "how do I avoid knee pain on squats",
# "can hip thrusts help back pain?". "why does my knee hurt" tells of the person's own.
GENERAL_QUESTION = re.compile(
    r"^(?:how|what|why|when|which|where|is it|is that|is this)\b|^(?:is|are|can|could|should|do|does|will|would)\b.*\?$"
)
FIRST_PERSON = re.compile(r"\b(?:my|me|i'm|im|i am|i've|ive|i have|i got|i feel|i can't|i cant)\b")


def reports_pain(clean: str, rules: PainRules, also: tuple[str, ...] = ()) -> bool:
    """Whether the text tells of pain the person has now: a pain word (or one of `also`, words that
    say it by themselves, "can barely walk") not denied in its clause ("no knee pain", "doesn't hurt
    anymore"), in a report rather than a general question."""
    if GENERAL_QUESTION.search(clean) and not FIRST_PERSON.search(clean):
        return False
    words = phrase_pattern(rules.pain_words + also)
    for sentence in SENTENCE_END.split(clean):
        for clause in CLAUSE_START.split(sentence):
            if PAIN_OVER.search(clause) or (RESOLVED.search(clause) and not ONGOING.search(clause)):
                continue
            # A negation reaches every pain word after it in the clause, so where the first one stands
            # is all there is to know (one pass, also for a hostile "no pain pain pain ...").
            kept = NOT_A_DENIAL.sub(lambda m: " " * len(m.group()), clause)
            negation, double = NEGATION.search(kept), CANNOT_WITHOUT.search(kept)
            for found in (*words.finditer(clause), *PAIN_STEMS.finditer(clause)):
                denied = negation is not None and negation.end() <= found.start()
                if not denied or (double is not None and double.end() <= found.start()):
                    return True
    return False


def severity_in(text: str) -> str | None:
    clean = normalise(text)
    for severity in ("severe", "moderate", "mild"):
        if mentions_any(clean, SEVERITY_WORDS[severity]):
            return severity
    return None
