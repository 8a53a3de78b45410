"""Reminder lateness (due -> sent) for 100,000 people whose times follow a realistic spread.

Most people pick a few popular local times (before work, lunch, after work) and live in
a handful of zones; the rest are spread over the day. The postman claims at each tick
and sends in due order at its pacer's rate, one sender per platform; Telegram caps any
sender at 30/s, which gives the floor: the lateness no design can beat with one bot token.
This is a model of the queue with the measured rates, not a 55-minute live run.
"""

from __future__ import annotations

import math
import random
from datetime import date, datetime, time, timezone
from zoneinfo import ZoneInfo

ZONES = {
    "Europe/Berlin": 0.30,
    "America/New_York": 0.20,
    "Europe/London": 0.15,
    "America/Los_Angeles": 0.10,
    "Asia/Kolkata": 0.10,
    "America/Sao_Paulo": 0.08,
    "Asia/Tokyo": 0.07,
}
POPULAR = {
    "06:00": 0.10,
    "06:30": 0.10,
    "07:00": 0.20,
    "07:30": 0.10,
    "12:00": 0.08,
    "17:00": 0.07,
    "18:00": 0.15,
    "19:00": 0.05,
}  # 85 % at popular times; the rest anywhere 05:00-22:00
DAY = date(2026, 11, 24)


def due_times(people: int, seed: int = 14) -> list[float]:
    """UTC seconds of each person's reminder on one day."""
    rng = random.Random(seed)
    zones, zone_weights = list(ZONES), list(ZONES.values())
    popular, popular_weights = list(POPULAR), list(POPULAR.values())
    start = datetime.combine(DAY, time(0), timezone.utc).timestamp()
    out = []
    for _ in range(people):
        zone = ZoneInfo(rng.choices(zones, zone_weights)[0])
        if rng.random() < sum(popular_weights):
            hour, minute = map(int, rng.choices(popular, popular_weights)[0].split(":"))
        else:
            minute_of_day = rng.randrange(5 * 60, 22 * 60)
            hour, minute = divmod(minute_of_day, 60)
        local = datetime.combine(DAY, time(hour, minute), zone)
        out.append(local.astimezone(timezone.utc).timestamp() - start)
    return sorted(out)


def lateness(due: list[float], rate: float, tick: float) -> dict:
    """One sender in due order: claimed at the next tick, sent at its turn."""
    interval, free, late = 1.0 / rate, -math.inf, []
    for moment in due:
        claimed = math.ceil(moment / tick) * tick if tick else moment
        sent = max(claimed, free)
        free = sent + interval
        late.append(sent - moment)
    late.sort()

    def pct(p: float) -> float:
        return round(late[min(len(late) - 1, int(p * len(late)))], 1)

    return {"p50_s": pct(0.50), "p99_s": pct(0.99), "max_s": round(late[-1], 1)}


def report(people: int, rate: float, tick: float) -> dict:
    due = due_times(people)
    per_minute: dict[int, int] = {}
    for moment in due:
        per_minute[int(moment // 60)] = per_minute.get(int(moment // 60), 0) + 1
    return {
        "people": people,
        "busiest_minute": max(per_minute.values()),
        "rate": rate,
        "tick_s": tick,
        "postman": lateness(due, rate, tick),
        "floor_30_per_s": lateness(due, 30.0, 0.0),
    }


if __name__ == "__main__":
    print(report(100_000, 29.0, 10.0))
