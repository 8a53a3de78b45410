"""Whatever the reader understood, writing it back and reading that again gives the same sets.

Buttons resend lines in this written form (core.setlog.render), so this is what makes
"the button stores what it shows" hold for every reading, not only the examples.
"""

from hypothesis import given, settings, strategies as st

from core.setlog.parser import MAX_SETS, ParsedLine, ParsedSet, parse_line
from core.setlog.render import numbers_text

NOTE_WORDS = ["felt", "easy", "good", "slow", "tempo", "strong", "paused", "grindy", "🎉", "form"]
BANDS = ["green", "red", "blue", "black", "yellow", "light", "medium", "heavy"]

loads = st.one_of(st.none(), st.integers(min_value=1, max_value=100_000).map(lambda cents: cents / 100))
efforts = st.tuples(
    st.one_of(st.none(), st.integers(2, 20).map(lambda half: half / 2)), st.one_of(st.none(), st.integers(0, 10))
)


@st.composite
def lines(draw) -> ParsedLine:
    kind = draw(st.sampled_from(["reps", "seconds", "distance"]))
    groups = draw(st.lists(st.tuples(st.integers(1, 5), loads, efforts, st.booleans()), min_size=1, max_size=4))
    sets = []
    for count, load, (rpe, rir), warmup in groups:
        value = {
            "reps": st.integers(1, 200),
            "seconds": st.integers(1, 3600),
            "distance": st.integers(1, 1000).map(float),
        }[kind]
        amount = draw(value)
        one = ParsedSet(
            reps=amount if kind == "reps" else None,
            load=load,
            seconds=amount if kind == "seconds" else None,
            distance_m=amount if kind == "distance" else None,
            rpe=rpe,
            rir=rir,
            warmup=warmup,
        )
        sets.extend([one] * count)
    sets = sets[:MAX_SETS]
    unit = draw(st.sampled_from(["kg", "lb"])) if any(s.load is not None for s in sets) else None
    note = draw(st.one_of(st.none(), st.lists(st.sampled_from(NOTE_WORDS), min_size=1, max_size=4).map(" ".join)))
    band = draw(st.one_of(st.none(), st.sampled_from(BANDS)))
    return ParsedLine("hip thrust", tuple(sets), unit, draw(st.booleans()), band, note)


@settings(max_examples=400, deadline=None)
@given(lines())
def test_render_then_parse_gives_the_same_sets(line):
    text = f"hip thrust {numbers_text(line)}"
    again = parse_line(text, default_unit="kg")
    assert isinstance(again, ParsedLine), (text, again)
    assert (again.exercise, again.sets, again.unit, again.per_side, again.band, again.note) == (
        line.exercise,
        line.sets,
        line.unit,
        line.per_side,
        line.band,
        line.note,
    ), text
