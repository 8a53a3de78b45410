"""One precompiled pattern per phrase list reads free text exactly as a search per phrase did."""

import tomllib
from pathlib import Path

from hypothesis import given, strategies as st

from core.library import default_library
from core.pain.detect import SEVERITY_WORDS
from core.pain.rules import mentions, mentions_any

RULES = default_library().pain
SENTENCES = [
    s["text"].lower()
    for s in tomllib.loads(
        (Path(__file__).parents[1] / "data" / "red_flag_sentences.toml").read_text(encoding="utf-8")
    )["s"]
]
LISTS = [RULES.pain_words, RULES.area_words, *SEVERITY_WORDS.values()]


def test_the_labelled_sentences_get_the_same_answer_from_one_pattern():
    differ = [
        (text, phrases)
        for text in SENTENCES
        for phrases in LISTS
        if mentions_any(text, phrases) != any(mentions(text, p) for p in phrases)
    ]
    found = sum(mentions_any(text, RULES.pain_words) for text in SENTENCES)
    print(f"{len(SENTENCES)} sentences x {len(LISTS)} phrase lists: {len(differ)} differ; {found} mention a pain word")
    assert not differ
    assert found > 0  # the corpus does exercise the pattern


@given(
    st.lists(st.sampled_from([*RULES.pain_words, *RULES.area_words, "kneel", "backs", "x", " ", ",", "é"]), max_size=8)
)
def test_whole_words_only_as_before(words):
    text = "".join(words)
    for phrases in LISTS:
        assert mentions_any(text, phrases) == any(mentions(text, p) for p in phrases)
