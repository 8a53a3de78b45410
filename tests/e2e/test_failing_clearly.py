"""Black box: the installed command ends quietly at the end of input, and survives bytes that are not UTF-8."""

import asyncio
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import POSTGRES_URL, reset_postgres
from tests.e2e.test_console import run_chat

ROOT = Path(__file__).resolve().parents[2]


def test_run_without_a_token_ends_quietly_when_piped_input_ends(tmp_path):
    for attempt in range(5):
        result = run_chat(tmp_path, "/help\n/today\n", args=("run",), extra_env={"LOG_LEVEL": "INFO"})
        assert result.returncode == 0, result.stderr
        assert "ERROR" not in result.stderr and "Traceback" not in result.stderr, (attempt, result.stderr)


def test_the_console_survives_an_undecodable_byte_under_strict_decoding(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.endswith("_TOKEN")}
    env.update(
        {
            "DATABASE_URL": f"sqlite:///{tmp_path / 'console.db'}",
            "PYTHONPATH": str(ROOT),
            "PYTHONIOENCODING": "utf-8:strict",
            "LC_ALL": "C.UTF-8",
        }
    )
    stdin = b"/help\nhip thrust 3x10 @ 60kg \xff\xfe\n/history\n"
    result = subprocess.run(
        [sys.executable, "-m", "bot.cli", "chat"], input=stdin, capture_output=True, cwd=tmp_path, env=env, timeout=120
    )
    out = result.stdout.decode("utf-8", errors="replace")
    assert result.returncode == 0, result.stderr.decode()
    assert "Traceback" not in result.stderr.decode()
    assert "/today" in out  # the line before
    assert out.count("Barbell hip thrust") >= 2  # the line itself is logged, and /history after it lists it


@pytest.mark.parametrize("backend", ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def test_two_processes_starting_on_a_fresh_database_both_answer(tmp_path, backend):
    if backend == "postgresql" and not POSTGRES_URL:
        pytest.skip("needs TEST_DATABASE_URL")
    env = {k: v for k, v in os.environ.items() if not k.endswith("_TOKEN")}
    env.update({"PYTHONPATH": str(ROOT), "LOG_LEVEL": "WARNING"})
    failures = []
    for attempt in range(4):
        if backend == "postgresql":
            asyncio.run(reset_postgres(POSTGRES_URL))
        env["DATABASE_URL"] = (
            POSTGRES_URL if backend == "postgresql" else f"sqlite:///{tmp_path / f'fresh-{attempt}.db'}"
        )
        processes = [
            subprocess.Popen(
                [sys.executable, "-m", "bot.cli", "chat"],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
                cwd=tmp_path,
                env=env,
            )
            for _ in range(2)
        ]
        for process in processes:
            out, err = process.communicate("/help\n", timeout=120)
            if process.returncode != 0 or "/today" not in out:
                failures.append(err[-1500:])
    assert not failures, failures[0]
