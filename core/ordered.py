"""A registry whose entries run in the order listed in core/pipeline.py (text handlers,
plan adjusters): features register themselves at import, but the list decides who goes first."""

from __future__ import annotations

from typing import Any, Callable, Generic, Iterator, TypeVar

T = TypeVar("T", bound=Callable[..., Any])  # handlers of any signature; each registry fixes its own


def name_of(entry: Callable[..., object]) -> str:
    return f"{entry.__module__}.{entry.__name__}"


class Ordered(Generic[T]):
    def __init__(self, order: tuple[str, ...], listed_in: str) -> None:
        self.order = order
        self._listed_in = listed_in
        self._entries: dict[str, T] = {}

    def register(self, entry: T) -> T:
        """Decorator; registering the same entry twice is harmless."""
        name = name_of(entry)
        if name not in self.order:
            raise ValueError(f"{name} is not listed in {self._listed_in}: add it where it should run")
        self._entries[name] = entry
        return entry

    def __iter__(self) -> Iterator[T]:
        return iter([self._entries[name] for name in self.order if name in self._entries])
