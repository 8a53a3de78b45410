"""`python -m bench`: every scenario in its own process (so peak memory is per scenario),
then one table of figures with the goal beside each.

    .venv/bin/python -m bench                 # SQLite
    .venv/bin/python -m bench --database-url postgresql://postgres@127.0.0.1:5432/bench
"""

from __future__ import annotations

import argparse
import json
import platform
import subprocess
import sys
import time
from datetime import datetime, timezone

SCENARIOS = {
    "telegram_mix": ["--updates", "3000"],
    "per_update": [],
    "core_latency": [],
    "reminder_fanout": [],
}


def run(name: str, extra: list[str], database_url: str) -> dict:
    args = [sys.executable, "-m", f"bench.{name}", *extra]
    if database_url:
        args += ["--database-url", database_url]
    began = time.perf_counter()
    done = subprocess.run(args, capture_output=True, text=True, timeout=900)
    if done.returncode != 0:
        return {"scenario": name, "error": (done.stderr or done.stdout).strip().splitlines()[-1:]}
    result = json.loads(done.stdout.strip().splitlines()[-1])
    result["wall_s"] = round(time.perf_counter() - began, 1)
    return result


def rows(result: dict) -> list[tuple[str, str, str]]:
    name = result["scenario"]
    if "error" in result:
        return [(name, "error", " ".join(result["error"]))]
    memory = (name, "peak memory", f"{result['peak_rss_mib']} MiB")
    if name == "telegram_mix":
        return [
            (
                name,
                "echo bot (baseline)",
                f"{result['echo_updates_per_s']} updates/s, {result['echo_cpu_ms']} ms CPU per update",
            ),
            (
                name,
                "Glute Up",
                f"{result['gluteup_updates_per_s']} updates/s, {result['gluteup_cpu_ms']} ms CPU per update",
            ),
            (name, f"ratio, median of {result['rounds']} (goal >= 0.5)", f"{result['ratio']} {result['ratios']}"),
            *(
                [
                    (
                        name,
                        "SQLite vs PostgreSQL, CPU per update (goal <= 1.5x)",
                        f"{result['sqlite_vs_postgres_cpu']}x {result['sqlite_vs_postgres_rounds']} "
                        f"({result['sqlite_cpu_ms']} ms)",
                    )
                ]
                if "sqlite_vs_postgres_cpu" in result
                else []
            ),
            (
                name,
                "ceiling: our adapter with the coach's replies canned",
                f"ratio {result['canned_ratio']}, {result['canned_cpu_ms']} ms CPU per update",
            ),
            (
                name,
                "core + database CPU per update",
                f"{result['core_and_db_cpu_ms']} ms (what a ratio of 0.5 allows: "
                f"{result['core_and_db_budget_ms_at_0_5']} ms)",
            ),
            (name, "baseline differs", result["baseline"]),
            memory,
        ]
    if name == "per_update":
        out = [
            (name, kind, f"{v['statements']:g} statements, {v['cpu_ms']} ms CPU")
            for kind, v in result["per_type"].items()
        ]
        h = result["setlog_history"]
        out.append(
            (
                name,
                "set log, 1,000 earlier sets",
                f"{h['1000_cpu_ms']} vs {h['none_cpu_ms']} ms CPU with none: ratio {h['ratio']} (goal <= 1.2)",
            )
        )
        return out + [memory]
    if name == "core_latency":
        small, big = result["small"], result["big"]
        return [
            (name, f"{small['sets']:,} sets", f"p50 {small['p50_ms']} ms, p99 {small['p99_ms']} ms"),
            (name, f"{big['sets']:,} sets", f"p50 {big['p50_ms']} ms, p99 {big['p99_ms']} ms"),
            (name, "ratio (goal <= 1.3)", f"p50 {result['p50_ratio']}, p99 {result['p99_ratio']}"),
            memory,
        ]
    if name == "reminder_fanout":
        cost, rate, late = result["cost"], result["rate"], result["lateness"]
        return [
            (name, f"claim {cost['claimed']:,} due at once", f"{cost['claim_ms']} ms per reminder"),
            (
                name,
                f"compose, {cost['sample']:,} plain (goal <= 0.05)",
                f"{cost['render_ms']} ms per reminder, {cost['render_cpu_ms']} ms CPU",
            ),
            (
                name,
                f"compose, {cost['personal']} with pain/sets/session",
                f"{cost['personal_render_ms']} ms per reminder, {cost['personal_render_cpu_ms']} ms CPU",
            ),
            (name, "claim + compose plain (goal <= 0.5)", f"{cost['per_reminder_ms']} ms"),
            (name, f"send {rate['sent']} via fake Bot API", f"{rate['per_second']}/s in {rate['seconds']} s"),
            (name, "rate / 30 per s (goal >= 0.95)", str(rate["ratio"])),
            (name, "429s (goal 0)", str(rate["http_429"])),
            (
                name,
                f"lateness, {late['people']:,} people",
                f"p50 {late['postman']['p50_s']} s, "
                f"p99 {late['postman']['p99_s']} s (busiest minute {late['busiest_minute']:,} due)",
            ),
            (
                name,
                "... floor at 30/s",
                f"p50 {late['floor_30_per_s']['p50_s']} s, p99 {late['floor_30_per_s']['p99_s']} s",
            ),
            memory,
        ]
    return [(name, key, str(value)) for key, value in result.items() if key not in ("scenario",)]


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench")
    parser.add_argument("--database-url", default="")
    parser.add_argument("--only", choices=list(SCENARIOS))
    args = parser.parse_args()
    began = time.perf_counter()
    print(
        f"Glute Up benchmark, {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC, "
        f"{platform.node()}, Python {platform.python_version()}, "
        f"database: {'PostgreSQL' if args.database_url else 'SQLite'}"
    )
    for name, extra in SCENARIOS.items():
        if args.only and name != args.only:
            continue
        result = run(name, extra, args.database_url)
        for scenario, label, value in rows(result):
            print(f"  {scenario:<16} {label:<28} {value}")
        sys.stdout.flush()
    print(f"total {time.perf_counter() - began:.0f} s")


if __name__ == "__main__":
    main()
