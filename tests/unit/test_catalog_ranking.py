"""The fast ranking of exercise names (two native rapidfuzz passes) ranks as the Python scorer did."""

from hypothesis import given, settings, strategies as st
from rapidfuzz import process

from core.catalog import Catalog, _best, _score, normalise

CATALOG = Catalog.load()
CHOICES = CATALOG._choices  # noqa: SLF001 - the names the ranking runs over
WORDS = sorted({w for name in CHOICES for w in name.split()} | {"press", "bench", "lovely", "day", "hip", "thurst"})


def slow(query: str, limit: int) -> list[tuple[str, float]]:
    return [
        (name, score) for name, score, _ in process.extract(query, CHOICES, scorer=_score, processor=None, limit=limit)
    ]


@settings(max_examples=300)
@given(st.lists(st.sampled_from(WORDS), min_size=1, max_size=4), st.sampled_from([4, 8, 12]))
def test_same_names_same_order_as_the_python_scorer(words, limit):
    query = normalise(" ".join(words))
    assert _best(query, CHOICES, limit) == slow(query, limit)


def test_every_catalog_name_and_a_typo_of_it():
    queries = [*CHOICES, *(name[:-1] for name in CHOICES if len(name) > 3)]
    differ = [q for q in queries if _best(q, CHOICES, 12) != slow(q, 12)]
    print(f"{len(queries)} names and typos: {len(differ)} ranked differently")
    assert not differ
