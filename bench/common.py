"""Shared pieces of the benchmark scenarios: percentiles, quiet logging, a result line."""

from __future__ import annotations

import json
import logging
import resource
import sys


def quiet() -> None:
    logging.basicConfig(level=logging.ERROR)
    for name in ("telegram", "httpx", "apscheduler", "aiohttp", "sqlalchemy", "bot", "core"):
        logging.getLogger(name).setLevel(logging.ERROR)


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    index = min(len(ordered) - 1, max(0, round(p / 100 * (len(ordered) - 1))))
    return ordered[index]


def peak_rss_mib() -> float:
    """Peak resident memory of this process (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def emit(result: dict) -> None:
    """The last stdout line of a scenario is its JSON result, read by bench/__main__.py."""
    result["peak_rss_mib"] = round(peak_rss_mib(), 1)
    sys.stdout.write(json.dumps(result) + "\n")
    sys.stdout.flush()
