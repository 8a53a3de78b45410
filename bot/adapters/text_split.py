"""Long replies become several messages, for every platform the same way: split on line
breaks, and cut only a single line longer than the platform's limit. Nothing is dropped."""

from __future__ import annotations

from typing import Callable


def split_text(text: str, limit: int, cost: Callable[[str], int] = len) -> list[str]:
    """Pieces whose `cost` is at most `limit`. `cost` must add up over characters (true of
    `len` and of HTML escaping, which Telegram's limit counts after)."""
    pieces: list[str] = []
    current = ""
    for line in text.split("\n"):
        for part in _cut(line, limit, cost):
            candidate = f"{current}\n{part}" if current else part
            if current and cost(candidate) > limit:
                pieces.append(current)
                current = part
            else:
                current = candidate
    if current or not pieces:
        pieces.append(current)
    return pieces


def _cut(line: str, limit: int, cost: Callable[[str], int]) -> list[str]:
    if cost(line) <= limit:
        return [line]
    parts, start, used = [], 0, 0
    for i, char in enumerate(line):
        size = cost(char)
        if used + size > limit and i > start:
            parts.append(line[start:i])
            start, used = i, 0
        used += size
    parts.append(line[start:])
    return parts
