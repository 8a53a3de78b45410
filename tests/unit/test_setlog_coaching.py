"""Records and the echo, without a database (progression: test_progression.py)."""

from core.setlog.coaching import describe_sets, personal_records
from core.setlog.entries import SetRecord


def test_records_need_history_and_compare_like_with_like():
    assert personal_records((SetRecord(10, 60),), [], "kg") == []
    records = personal_records((SetRecord(10, 65),), [SetRecord(10, 60), SetRecord(5, 80)], "kg")
    assert [r.text for r in records] == ["New record: 65 kg for 10 reps (before: 60 kg)"]
    assert personal_records((SetRecord(10, 60),), [SetRecord(12, 60)], "kg") == []


def test_echo_reads_like_the_log():
    assert describe_sets((SetRecord(10, 60),) * 3, "kg") == "3 x 10 @ 60 kg"
    assert describe_sets((SetRecord(10, 60), SetRecord(10, 60), SetRecord(8, 60)), "kg") == "60 kg x 10, 10, 8"
    assert describe_sets((SetRecord(None, None, 45),) * 3, "kg") == "3 x 45 s"
    assert describe_sets((SetRecord(15, None, per_side=True),) * 2, "kg") == "2 x 15 per side"
