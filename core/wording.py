"""Small pieces of wording every feature shares, so replies read the same way everywhere.

Examples follow the person: pounds for pound users, bodyweight work for people
training at home; counts get the right plural; lists are named once each.
"""

from __future__ import annotations

from core.profile import Profile

EXAMPLE_LOAD = {"kg": "60kg", "lb": "135lb"}


def log_example(profile: Profile) -> str:
    """A set log the person could write today, in their units and for their place."""
    if profile.place == "home":
        return "glute bridge 3x15"
    return f"hip thrust 3x10 @ {EXAMPLE_LOAD.get(profile.units, EXAMPLE_LOAD['kg'])}"


def log_examples(profile: Profile) -> str:
    """Two example logs, one a line, for replies that teach the notation."""
    if profile.place == "home":
        return "glute bridge 3x15\nclamshell 2x15 per side"
    second = "bss 10/10/8 25lb" if profile.units == "lb" else "bss 10/10/8 12.5kg"
    return f"{log_example(profile)}\n{second}"


def plural(count: int, singular: str, plural_form: str | None = None) -> str:
    """plural(1, 'exercise') -> '1 exercise'; plural(3, 'exercise') -> '3 exercises'."""
    return f"{count} {singular if count == 1 else plural_form or singular + 's'}"


def listing(items: list[str], last: str = "and") -> str:
    """Each item once, in order: ['a', 'b', 'a', 'c'] -> 'a, b and c' (or 'a, b or c')."""
    unique = list(dict.fromkeys(items))
    if len(unique) <= 1:
        return "".join(unique)
    return ", ".join(unique[:-1]) + f" {last} {unique[-1]}"
