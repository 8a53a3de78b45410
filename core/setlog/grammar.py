"""The set-log reader's second half: a small grammar over the number tokens.

Groups are the shapes people write ('3x10', '60kg x 10, 10, 8', '100x5x3', '12 12 10',
'3x45s', '5 sets, 185, 10 reps'); an undecided shape ('12x10': sets or kg?) is settled by
plausibility, or kept as two readings for the person to choose between.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from core.setlog.readings import (
    MAX_LOAD,
    MAX_METRES,
    MAX_REPS,
    MAX_SECONDS,
    MAX_SETS,
    PLAUSIBLE_SETS,
    ParsedSet,
    Refuse,
)
from core.setlog.tokens import Load, Tok, show_number


@dataclass
class _Group:
    kind: str  # "sets" (count x reps), "pair" (undecided AxB), "triple" (undecided AxBxC), "list", "time", "dist"
    count: int | None = None
    reps: list[int] = field(default_factory=list)
    load: Load | None = None
    seconds: int | None = None
    metres: float | None = None
    rpe: float | None = None
    rir: int | None = None
    warmup: bool = False
    a: float = 0
    b: float = 0
    c: float = 0
    at_small: float | None = None  # "@ 8" after the reps with no load anywhere: RPE 8 or 8 kg?
    bare: bool = False  # a list of numbers with no 'x' ('12 12 10'): one per line, or they can't be told apart
    said_reps: bool = False  # the list ends with the word 'reps' ('30, 25, 20 reps'): none of it is a load


@dataclass
class _Loose:
    loads: list[Load] = field(default_factory=list)
    numbers: list[float] = field(default_factory=list)
    set_counts: list[int] = field(default_factory=list)
    rpe: list[float] = field(default_factory=list)
    rir: list[float] = field(default_factory=list)  # checked to be whole when a group takes it


def _int(value: float, what: str) -> int:
    if value != int(value):
        raise Refuse(f"{show_number(value)} {what} is not a whole number")
    return int(value)


def groups_of(seq: list[Tok], all_warmup: bool) -> tuple[list[_Group], _Loose]:
    groups: list[_Group] = []
    loose = _Loose()
    warm_next = False
    adjacent = False  # the previous token ended a group with no separator since
    i = 0

    def kinds(*expected: str) -> bool:
        return len(seq) >= i + len(expected) and all(
            seq[i + k].kind in alternatives.split("|") for k, alternatives in enumerate(expected)
        )

    running: list[Load] = []  # a load written before its sets ("70kg 3x8, 75kg 2x6") holds until the next load

    def add(group: _Group) -> None:
        nonlocal warm_next, adjacent
        group.warmup = group.warmup or warm_next or all_warmup
        if group.load is None and running:
            group.load = running[-1]
        warm_next = False
        groups.append(group)
        adjacent = True

    while i < len(seq):
        tok = seq[i]
        if kinds("at", "num", "x", "load") and seq[i + 1].value in (1, 2):
            seq = seq[: i + 1] + seq[i + 3 :]  # "@ 2x 12kg": two dumbbells of 12 kg
            continue
        if kinds("num", "x", "load") and seq[i].value in (1, 2) and groups:
            seq = seq[:i] + seq[i + 2 :]  # "3x10 each leg holding 2x8kg": two dumbbells of 8 kg, a load per dumbbell
            continue
        if kinds("num", "sep") and (parallel := _parallel_lists(seq, i)) is not None:
            loads, reps, i = parallel
            if len(loads) != len(reps):
                raise Refuse(f"{len(loads)} loads but {len(reps)} rep counts; write them in pairs like '60x8, 70x6'")
            for load, count in zip(loads, reps):
                add(_Group("sets", count=1, reps=[_int(count, "reps")], load=load))
            continue
        if kinds("x", "num", "x", "num|setsn") and not groups:
            add(_Group("sets", count=_int(seq[i + 3].number, "sets"), reps=[_int(seq[i + 1].number, "reps")]))
            i += 4  # "hip thrusts x 12 x 3 at 60kg"
            continue
        if kinds("x", "num|repsn") and not groups and not _pair_follows(seq, i + 1):
            add(_Group("sets", count=1, reps=[_int(seq[i + 1].number, "reps")]))
            i += 2  # "hip thrust x12 @ 60kg"
            continue
        if kinds("num", "x", "num", "x", "num"):
            add(_Group("triple", a=seq[i].number, b=seq[i + 2].number, c=seq[i + 4].number))
            i += 5
        elif kinds("num", "x", "num|repsn", "x", "load"):
            add(
                _Group(
                    "sets",
                    count=_int(seq[i].number, "sets"),
                    reps=[_int(seq[i + 2].number, "reps")],
                    load=seq[i + 4].load,
                )
            )
            i += 5
        elif kinds("num", "x", "num|repsn", "x", "setsn"):
            add(
                _Group(
                    "sets",
                    count=_int(seq[i + 4].number, "sets"),
                    reps=[_int(seq[i + 2].number, "reps")],
                    load=(seq[i].number, None),
                )
            )  # "100 x 10 x 3 sets": the sets are named, so 100 is the load
            i += 5
        elif kinds("load", "x", "num|repsn", "x", "num|setsn"):
            add(
                _Group(
                    "sets",
                    count=_int(seq[i + 4].number, "sets"),
                    reps=[_int(seq[i + 2].number, "reps")],
                    load=seq[i].load,
                )
            )
            i += 5
        elif kinds("load", "x", "num|repsn"):
            group = _Group("list", load=seq[i].load, reps=[_int(seq[i + 2].number, "reps")])
            i += 3
            i = _rep_list_tail(seq, i, group)
            add(group)
        elif kinds("num|setsn", "x", "dur") or kinds("num|setsn", "x", "dist"):
            count = _int(seq[i].number, "sets")
            add(_time_or_distance(seq[i + 2], count))
            i += 3
        elif kinds("dur|dist", "x", "num|setsn"):
            add(_time_or_distance(seq[i], _int(seq[i + 2].number, "sets")))
            i += 3
        elif kinds("num|setsn", "x", "repsn"):
            add(_Group("sets", count=_int(seq[i].number, "sets"), reps=[_int(seq[i + 2].number, "reps")]))
            i += 3
        elif kinds("repsn", "x", "num|setsn"):
            add(_Group("sets", count=_int(seq[i + 2].number, "sets"), reps=[_int(seq[i].number, "reps")]))
            i += 3
        elif kinds("setsn", "x", "num") or kinds("setsn", "num|repsn") and not _list_ahead(seq, i + 1):
            step = 3 if seq[i + 1].kind == "x" else 2
            add(_Group("sets", count=_int(seq[i].number, "sets"), reps=[_int(seq[i + step - 1].number, "reps")]))
            i += step
        elif kinds("repsn", "setsn"):
            add(_Group("sets", count=_int(seq[i + 1].number, "sets"), reps=[_int(seq[i].number, "reps")]))
            i += 2
        elif kinds("num", "x", "num", "sep", "num") and not _pair_follows(seq, i + 4):
            if seq[i].number <= PLAUSIBLE_SETS and seq[i].number == int(seq[i].number):
                raise Refuse(
                    f"I couldn't tell whether {show_number(seq[i].number)} is the number of sets or the load; "
                    f"write e.g. '{show_number(seq[i].number)}kg x 10, 10, 8'"
                )
            group = _Group("list", load=(seq[i].number, None), reps=[_int(seq[i + 2].number, "reps")])
            i = _rep_list_tail(seq, i + 3, group)
            add(group)
        elif kinds("num", "x", "num|repsn"):
            if seq[i + 2].kind == "repsn":
                add(_Group("sets", count=_int(seq[i].number, "sets"), reps=[_int(seq[i + 2].number, "reps")]))
            else:
                add(_Group("pair", a=seq[i].number, b=seq[i + 2].number))
            i += 3
        elif kinds("num", "sep|num|repsn") and _list_ahead(seq, i) and _list_allowed(seq, i):
            if any(g.bare for g in groups):
                raise Refuse(
                    "two lists of numbers on one line; I couldn't tell reps from loads "
                    "(write pairs like '50x12, 60x10')"
                )
            group = _Group("list", reps=[_int(seq[i].number, "reps")], bare=True)
            i = _rep_list_tail(seq, i + 1, group, bare=True)
            group.said_reps = seq[i - 1].kind == "repsn"
            add(group)
        elif tok.kind == "repsn":
            add(_Group("sets", count=None, reps=[_int(tok.number, "reps")]))
            i += 1
        elif tok.kind in ("dur", "dist"):
            add(_time_or_distance(tok, None))
            i += 1
        elif tok.kind == "setsn":
            loose.set_counts.append(_int(tok.number, "sets"))
            i += 1
        elif tok.kind == "load":
            if (
                groups
                and adjacent
                and groups[-1].load is None
                and groups[-1].kind in ("sets", "pair", "list", "time", "dist")
            ):
                groups[-1].load = tok.load
            elif groups and _group_follows(seq, i + 1):
                running.append(tok.load)
            else:
                loose.loads.append(tok.load)
            i += 1
        elif tok.kind == "at" and i + 1 < len(seq) and seq[i + 1].kind in ("load", "num", "rpev", "rirv"):
            target = seq[i + 1]
            if target.kind in ("rpev", "rirv"):
                i += 1  # "@ rpe 8": the '@' adds nothing
                continue
            value = target.load if target.kind == "load" else (target.number, None)
            last = groups[-1] if groups else None
            if (
                target.kind == "num"
                and last is not None
                and target.number <= 10
                and last.kind != "time"
                and (target.number * 2) == int(target.number * 2)
            ):
                if last.load is not None or last.kind == "pair" and last.a > 20:
                    last.rpe = target.number  # "60kg x 8 @8": effort, the load is written already
                else:
                    last.at_small = target.number
            elif last is not None and last.load is None:
                last.load = value
            else:
                loose.loads.append(value)
            i += 2
            adjacent = True
            continue
        elif tok.kind in ("rpev", "rirv"):
            latest = groups[-1] if groups else None
            if latest is None:
                (loose.rpe if tok.kind == "rpev" else loose.rir).append(tok.number)
            elif tok.kind == "rpev":
                latest.rpe = tok.number
            else:
                latest.rir = _int(tok.number, "RIR")
            i += 1
            continue
        elif tok.kind == "warmup":
            if groups and adjacent:
                groups[-1].warmup = True
            else:
                warm_next = True
            i += 1
            continue
        elif tok.kind in ("each", "band", "bodyweight"):
            i += 1
            continue
        elif tok.kind == "num":
            loose.numbers.append(tok.number)
            i += 1
        elif tok.kind in ("sep", "note", "gap"):
            adjacent = False
            i += 1
            continue
        elif tok.kind == "x":
            raise Refuse("an 'x' with no number on one side")
        elif tok.kind == "at":
            raise Refuse("'@' with no load or effort after it")
        else:
            i += 1
            continue
    if warm_next and groups:
        groups[-1].warmup = True
    return groups, loose


def _list_allowed(seq: list[Tok], i: int) -> bool:
    """With a set count on the line, numbers in a row are a rep list only if there are as many as sets:
    '4 sets: 12, 10, 8, 8' is, '5 sets, 185, 10 reps' is not (185 is the load)."""
    counts = [t.value for t in seq if t.kind == "setsn"]
    if not counts:
        return True
    length, j = 1, i + 1
    while j < len(seq) and seq[j].kind in ("sep", "num", "repsn"):
        length += seq[j].kind != "sep"
        j += 1
    return len(counts) == 1 and counts[0] == length


def _parallel_lists(seq: list[Tok], i: int) -> tuple[list[Load], list[float], int] | None:
    """'60/70/80 x 8/6/4': loads and reps written as two lists; (loads, reps, next index) or None."""

    def run(j: int, unit_last: bool) -> tuple[list[float], str | None, int]:
        values, unit = [seq[j].number], None
        j += 1
        while j + 1 < len(seq) and seq[j].kind == "sep" and seq[j + 1].kind in ("num", "load"):
            if seq[j + 1].kind == "load":
                if not unit_last:
                    break
                value, unit = seq[j + 1].load  # "60-70-80kg x 10-8-6": the unit written once, at the end
                values.append(value)
                j += 2
                break
            values.append(seq[j + 1].number)
            j += 2
        return values, unit, j

    loads, unit, j = run(i, True)
    if len(loads) < 2 or j + 1 >= len(seq) or seq[j].kind != "x" or seq[j + 1].kind != "num":
        return None
    reps, _, end = run(j + 1, False)
    if len(reps) < 2:
        return None
    return [(load, unit) for load in loads], reps, end


def _time_or_distance(tok: Tok, count: int | None) -> _Group:
    if tok.kind == "dur":
        return _Group("time", count=count, seconds=_int(tok.number, "seconds"))
    return _Group("dist", count=count, metres=float(tok.number))


def _rep_list_tail(seq: list[Tok], i: int, group: _Group, bare: bool = False) -> int:
    """'60kg x 10, 10, 8' / '12-10-8' / '12 12 10 reps': the reps that follow."""
    while i < len(seq) and seq[i - 1].kind != "repsn":  # '12,10,8 reps' ends at the word reps
        if (
            seq[i].kind == "sep"
            and i + 1 < len(seq)
            and seq[i + 1].kind in ("num", "repsn")
            and not _pair_follows(seq, i + 1)
        ):
            i += 1
        elif seq[i].kind in ("num", "repsn") and (bare or seq[i - 1].kind == "sep") and not _pair_follows(seq, i):
            pass
        else:
            break
        group.reps.append(_int(seq[i].number, "reps"))
        i += 1
    return i


def _pair_follows(seq: list[Tok], i: int) -> bool:
    return i + 1 < len(seq) and seq[i].kind == "num" and seq[i + 1].kind == "x"


def _list_ahead(seq: list[Tok], i: int) -> bool:
    """A rep list needs two or more numbers in a row ('12 12 10', '10,10,8')."""
    j = i + 1 if i < len(seq) and seq[i].kind in ("num", "repsn") else i
    if j < len(seq) and seq[j].kind == "sep":
        j += 1
    return j < len(seq) and seq[j].kind in ("num", "repsn") and not _pair_follows(seq, j)


def _group_follows(seq: list[Tok], i: int) -> bool:
    while i < len(seq) and seq[i].kind in ("sep", "each", "band"):
        i += 1
    return i < len(seq) and seq[i].kind in ("num", "load", "repsn", "setsn", "dur", "dist")


Reading = tuple[tuple[ParsedSet, ...], str | None]  # the sets and the line's unit


def readings_of(
    groups: list[_Group], loose: _Loose, default_unit: str, bodyweight: bool, count_first: bool
) -> list[Reading]:
    """The sets the groups stand for: one reading, or two when both are plausible."""
    if not groups:
        if len(loose.numbers) == 1 and not loose.loads and not count_first:
            raise Refuse(
                f"I couldn't tell whether {show_number(loose.numbers[0])} is reps, sets or the load; "
                f"write e.g. '{show_number(loose.numbers[0])} reps'"
            )
        if len(loose.numbers) == 1 and not loose.loads:
            groups = [_Group("sets", count=None, reps=[_int(loose.numbers.pop(), "reps")])]  # "50 squats"
        elif loose.numbers or loose.loads:
            raise Refuse("I found no sets or reps, only numbers I couldn't place")
        else:
            raise Refuse("no sets or reps")
    for count in loose.set_counts:
        if any(g.kind == "list" and len(g.reps) == count for g in groups) and len(loose.set_counts) == 1:
            continue  # "4 sets: 12, 10, 8, 8": the count agrees with the reps written
        open_groups = [g for g in groups if g.count is None and g.kind in ("sets", "time", "dist")]
        if len(open_groups) != 1 or len(loose.set_counts) > 1:
            raise Refuse("I couldn't tell which sets the set count belongs to")
        open_groups[0].count = count
    if loose.numbers:
        if len(loose.numbers) == 1 and not loose.loads and not bodyweight and not any(g.load for g in groups):
            loose.loads.append((loose.numbers.pop(), None))  # "hip thrust 3x10 60": the number left is the load
        else:
            raise Refuse(f"I couldn't place the number(s) {', '.join(show_number(n) for n in loose.numbers)}")
    if len(loose.loads) > 1:
        raise Refuse("more than one load for the same sets")
    if loose.loads:
        if all(g.load is not None for g in groups):
            raise Refuse("more than one load for the same sets")
        for group in groups:
            if group.load is None:
                group.load = loose.loads[0]
    for group in groups:
        if group.rpe is None and loose.rpe:
            group.rpe = loose.rpe[-1]
        if group.rir is None and loose.rir:
            group.rir = _int(loose.rir[-1], "RIR")
    kinds_written = {"time" if g.kind == "time" else "dist" if g.kind == "dist" else "reps" for g in groups}
    if len(kinds_written) > 1:
        raise Refuse(
            "reps and a time or distance on one line; I couldn't tell which is meant "
            "(for dumbbells write '25lb', for a hold '3x45s')"
        )
    choices = _choices(groups)
    readings: list[Reading] = []
    for choice in choices:
        sets = _expand(choice, default_unit)
        units = {unit for _, unit in sets if unit}
        if len(units) > 1:
            raise Refuse("loads in both kg and lb on one line")
        unit = units.pop() if units else None
        unit = unit or (default_unit if any(s.load is not None for s, _ in sets) else None)
        readings.append((tuple(s for s, _ in sets), unit))
    unique: list[Reading] = []
    for reading in readings:
        if reading not in unique:
            unique.append(reading)
    return unique


def _choices(groups: list[_Group]) -> list[list[_Group]]:
    """Settle the undecided 'AxB' and 'AxBxC' groups, and '@ 8' with no load. Each returned
    list is one complete reading; two lists mean both are plausible and the person picks."""
    pairs = [g for g in groups if g.kind == "pair"]
    triples = [g for g in groups if g.kind == "triple"]
    smalls = [g for g in groups if g.at_small is not None]
    smalls = [g for g in smalls if g.load is None]
    loads_in_list = [
        g for g in groups if g.bare and g.load is None and not g.said_reps and _load_end(g.reps) is not None
    ]
    for g in groups:
        if g.at_small is not None and g.load is not None:
            g.rpe, g.at_small = g.at_small, None  # "bss 3x10 @ 8 16kg": the load is written, so 8 is effort
    undecided = (
        bool(pairs and not all(p.load for p in pairs) and _pair_undecided(pairs))
        + len(triples)
        + bool(smalls)
        + bool(loads_in_list)
    )
    if undecided > 1:
        raise Refuse("several numbers could be read more than one way; write them like '3x10 @ 60kg'")
    options: list[list[_Group]] = [groups]
    if pairs:
        as_sets = [replace(p, kind="sets", count=_int(p.a, "sets"), reps=[_int(p.b, "reps")]) for p in pairs]
        as_loads = [
            replace(p, kind="sets", count=1, reps=[_int(p.b, "reps")], load=p.load or (p.a, None)) for p in pairs
        ]
        if all(p.load for p in pairs):
            options = [_swap(groups, pairs, as_sets)]
        elif _pairs_are_loads(pairs):
            options = [_swap(groups, pairs, as_loads)]  # "185x10 185x10 185x8", "100x5", "12.5x8"
        elif all(p.a <= PLAUSIBLE_SETS for p in pairs):
            options = [_swap(groups, pairs, as_sets)]  # "3x10"
        else:
            options = [_swap(groups, pairs, as_sets), _swap(groups, pairs, as_loads)]  # "12x10": sets or kg?
    if triples:
        t = triples[0]
        sets_first = replace(t, kind="sets", count=None, reps=[_int(t.b, "reps")], load=(t.c, None))
        load_first = replace(t, kind="sets", count=None, reps=[_int(t.b, "reps")], load=(t.a, None))
        candidates = []
        if t.a == int(t.a) and t.a <= PLAUSIBLE_SETS:
            sets_first.count = int(t.a)
            candidates.append(_swap(groups, [t], [sets_first]))
        if t.c == int(t.c) and t.c <= PLAUSIBLE_SETS and t.a != t.c:
            load_first.count = int(t.c)
            candidates.append(_swap(groups, [t], [load_first]))
        if not candidates:
            written = "x".join(show_number(v) for v in (t.a, t.b, t.c))
            raise Refuse(
                f"in {written} neither end is a believable set count "
                f"(at most {PLAUSIBLE_SETS} unless written '12 sets of 10')"
            )
        options = candidates
    if loads_in_list:  # "80 8 8 6": 80 kg for 8, 8 and 6 reps, or four sets with 80 reps first?
        g = loads_in_list[0]
        end = _load_end(g.reps)
        assert end is not None  # loads_in_list holds only such lists
        rest = g.reps[1:] if end == 0 else g.reps[:-1]
        with_load = replace(g, reps=rest, load=(float(g.reps[end]), None), bare=False)
        options = [_swap(option, [g], [with_load]) for option in options] + options
    if smalls:
        g = smalls[0]
        forked = []
        small = g.at_small
        assert small is not None  # smalls holds only groups with an '@ small number'
        for option in options:
            current = next(o for o in option if o is g or o.at_small == small)
            forked.append(_swap(option, [current], [replace(current, rpe=small, at_small=None)]))
            forked.append(_swap(option, [current], [replace(current, load=(small, None), at_small=None)]))
        options = forked
    return options


LOAD_AMONG_REPS = 20  # an end of a bare list above this, and at least twice the rest, may be the load


def _load_end(reps: list[int]) -> int | None:
    """The end (0 or -1) of a bare number list that stands out as a load: '80 8 8 6', '10 10 8 70'."""
    if len(reps) < 2:
        return None
    for end, rest in ((0, reps[1:]), (-1, reps[:-1])):
        if reps[end] > LOAD_AMONG_REPS and reps[end] >= 2 * max(rest):
            return end
    return None


def _pairs_are_loads(pairs: list[_Group]) -> bool:
    return any(p.a != int(p.a) or p.a > MAX_SETS for p in pairs) or (
        len(pairs) > 1 and len({p.a for p in pairs}) == 1 and pairs[0].a > PLAUSIBLE_SETS
    )


def _pair_undecided(pairs: list[_Group]) -> bool:
    return not _pairs_are_loads(pairs) and not all(p.a <= PLAUSIBLE_SETS for p in pairs)


def _swap(groups: list[_Group], old: list[_Group], new: list[_Group]) -> list[_Group]:
    mapping = {id(o): n for o, n in zip(old, new)}
    return [mapping.get(id(g), g) for g in groups]


def _expand(groups: list[_Group], default_unit: str) -> list[tuple[ParsedSet, str | None]]:
    """Counts are checked before any list is built: '100000000x10' costs nothing."""
    total = 0
    for g in groups:
        count = g.count if g.count is not None else (len(g.reps) if g.kind == "list" else 1)
        if count < 1:
            raise Refuse("a set count of 0 means nothing was done")
        if count > MAX_SETS:
            raise Refuse(f"{count} sets is more than I can believe (max {MAX_SETS})")
        total += count if g.kind != "list" else len(g.reps)
        if total > MAX_SETS:
            raise Refuse(f"{total} sets in one line is more than I can believe (max {MAX_SETS})")
    result: list[tuple[ParsedSet, str | None]] = []
    for g in groups:
        load, unit = g.load if g.load is not None else (None, None)
        if load is not None and not 0 < load <= MAX_LOAD:
            raise Refuse(f"a load of {show_number(load)} is out of range (more than 0, at most {MAX_LOAD:g})")
        if g.rpe is not None and not (1 <= g.rpe <= 10 and g.rpe * 2 == int(g.rpe * 2)):
            raise Refuse(
                f"RPE {show_number(g.rpe)} is out of range: RPE goes from 1 to 10 (halves allowed), e.g. 'rpe 8'"
            )
        if g.rir is not None and not 0 <= g.rir <= 10:
            raise Refuse(f"RIR {g.rir} is out of range: reps in reserve go from 0 to 10, e.g. 'rir 2'")
        common = ParsedSet(load=load, rpe=g.rpe, rir=g.rir, warmup=g.warmup)
        if g.kind == "time":
            assert g.seconds is not None  # _time_or_distance sets the seconds of every "time" group
            if not 1 <= g.seconds <= MAX_SECONDS:
                raise Refuse(f"{g.seconds} s is out of range (1-{MAX_SECONDS})")
            sets = [replace(common, seconds=g.seconds)] * (g.count or 1)
        elif g.kind == "dist":
            assert g.metres is not None  # and the metres of every "dist" group
            if not 0 < g.metres <= MAX_METRES:
                raise Refuse(f"{show_number(g.metres)} m is out of range")
            sets = [replace(common, distance_m=round(g.metres, 2))] * (g.count or 1)
        else:
            for reps in g.reps:
                if not 1 <= reps <= MAX_REPS:
                    raise Refuse(f"{reps} reps is out of range (1-{MAX_REPS})")
            if g.kind == "list" or len(g.reps) > 1:
                sets = [replace(common, reps=r) for r in g.reps]
            else:
                sets = [replace(common, reps=g.reps[0])] * (g.count or 1)
        result.extend((s, unit if s.load is not None else None) for s in sets)
    return result
