"""Both platforms split long replies with the same rules: on line breaks, nothing dropped."""

import html

import pytest

from bot.adapters.text_split import split_text

LINES = "\n".join(f"{n}. Hip thrust 3x10 @ {60 + n} kg & <cue>: squeeze at the top" for n in range(200))


def escaped(text):
    return len(html.escape(text))


@pytest.mark.parametrize("cost, limit", [(len, 2000), (len, 4096), (escaped, 4096), (escaped, 300)])
def test_pieces_fit_and_rejoin_to_the_whole_text(cost, limit):
    pieces = split_text(LINES, limit, cost)
    assert len(pieces) > 1 and all(0 < cost(p) <= limit for p in pieces)
    assert "\n".join(pieces) == LINES  # split on line breaks only: nothing cut or lost


@pytest.mark.parametrize("cost", [len, escaped])
def test_a_single_overlong_line_is_cut_without_losing_characters(cost):
    line = "&" * 50 + "x" * 5000
    pieces = split_text(f"short\n{line}\nend", 100, cost)
    assert all(cost(p) <= 100 for p in pieces)
    assert "".join(pieces).replace("\n", "") == f"short{line}end"


def test_short_and_empty_text_stay_one_piece():
    assert split_text("Rest day.", 2000) == ["Rest day."]
    assert split_text("", 2000) == [""]
