"""A registry whose entries run in a declared order (text handlers, plan adjusters).

Features register themselves at import; the order number, not the import
order, decides who goes first, so pain talk is read before set logs.
"""

from __future__ import annotations

from typing import Callable, Generic, Iterator, TypeVar

T = TypeVar("T")


class Ordered(Generic[T]):
    def __init__(self) -> None:
        self._entries: list[tuple[int, T]] = []

    def register(self, order: int) -> Callable[[T], T]:
        """Decorator; lower order runs first; registering the same entry twice is harmless."""

        def add(entry: T) -> T:
            if entry not in [e for _, e in self._entries]:
                self._entries.append((order, entry))
                self._entries.sort(key=lambda pair: pair[0])
            return entry

        return add

    def __iter__(self) -> Iterator[T]:
        return iter([entry for _, entry in self._entries])
