"""Red flags in how people really write: a labelled corpus, read through the detector.

Prints precision and recall; a stated flag must always be caught (recall 100 %),
and harmless sentences may raise at most one false alarm in twenty.
"""

import tomllib
from pathlib import Path

import pytest

from core.library import default_library
from core.pain.detect import red_flags_in

RULES = default_library().pain
CORPUS = tomllib.loads((Path(__file__).parent.parent / "data" / "red_flag_sentences.toml").read_text())["s"]


def verdict(text: str) -> tuple[str, set[str]]:
    found = red_flags_in(text, RULES)
    if found.flags:
        return "flag", {f.id for f in found.flags}
    return ("ask" if found.unsure else "none"), set()


def test_corpus_is_big_and_balanced_enough():
    kinds = [s["expect"] for s in CORPUS]
    assert len(CORPUS) >= 80
    assert kinds.count("flag") >= 30 and kinds.count("none") >= 30 and kinds.count("ask") >= 5
    assert {f for s in CORPUS for f in s.get("flags", [])} <= set(RULES.red_flags.flags)


def test_detector_precision_and_recall_on_the_corpus(capsys):
    flagged = [s for s in CORPUS if s["expect"] == "flag"]
    harmless = [s for s in CORPUS if s["expect"] != "flag"]
    caught = [s for s in flagged if (v := verdict(s["text"]))[0] == "flag" and v[1] & set(s["flags"])]
    false_alarms = [s for s in harmless if verdict(s["text"])[0] == "flag"]
    asked_right = [s for s in CORPUS if s["expect"] == "ask" and verdict(s["text"])[0] == "ask"]
    quiet_right = [s for s in CORPUS if s["expect"] == "none" and verdict(s["text"])[0] == "none"]
    referrals = len(caught) + len(false_alarms)
    recall = len(caught) / len(flagged)
    precision = len(caught) / referrals if referrals else 1.0
    with capsys.disabled():  # shown in every run, not only with -s
        print(
            f"\nred-flag detector on {len(CORPUS)} sentences: recall {recall:.0%} ({len(caught)}/{len(flagged)}), "
            f"precision {precision:.0%}, false alarms {len(false_alarms)}/{len(harmless)} harmless, "
            f"unsure asked {len(asked_right)}/{sum(s['expect'] == 'ask' for s in CORPUS)}, "
            f"harmless left alone {len(quiet_right)}/{sum(s['expect'] == 'none' for s in CORPUS)}"
        )
    missed = [(s["text"], verdict(s["text"])) for s in flagged if s not in caught]
    assert recall == 1.0, missed
    assert len(false_alarms) <= len(harmless) / 20, [s["text"] for s in false_alarms]


@pytest.mark.parametrize("case", CORPUS, ids=[s["text"][:40] for s in CORPUS])
def test_each_sentence(case):
    kind, flags = verdict(case["text"])
    assert kind == case["expect"], (kind, flags)
    if kind == "flag":
        assert flags & set(case["flags"]), flags


@pytest.mark.parametrize("filler", ["3.", "ok. ", "my back hurts. "])
def test_every_flagged_sentence_of_the_corpus_is_caught_inside_a_long_repetitive_message(filler):
    """Repeated sentences are read once; the one that differs is still read. (A filler that names
    an area may turn a flag into that area's own, e.g. a fever with back pain: still a referral.)"""
    for s in (s for s in CORPUS if s["expect"] == "flag"):
        kind, flags = verdict(filler * 400 + s["text"] + ". " + filler * 400)
        assert kind == "flag", s["text"]
        assert "hurts" in filler or flags & set(s["flags"]), s["text"]
