"""The console chat as a person uses it: the installed command, piped input."""

import os
import subprocess
import sys
from pathlib import Path


ROOT = Path(__file__).resolve().parents[2]


def run_chat(
    tmp_path: Path, stdin: str, *, extra_env: dict | None = None, args=("chat",)
) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.endswith("_TOKEN") and k != "LOG_LEVEL"}
    env.update({"DATABASE_URL": f"sqlite:///{tmp_path / 'console.db'}", "PYTHONPATH": str(ROOT)})
    env.update(extra_env or {})
    return subprocess.run(
        [sys.executable, "-m", "bot.cli", *args],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
        timeout=120,
    )


def test_help_today_start_through_the_console(tmp_path):
    result = run_chat(tmp_path, "/help\n/today\n/start\n")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "/today" in out and "/start" in out and "/help" in out
    assert ("Main lifts" in out) or ("rest day" in out.lower())
    assert "Glute bridge" in out or "Hip thrust" in out or "Clamshell" in out
    assert "How long have you been lifting?" in out
    assert "1) New to lifting" in out


def test_numbers_press_buttons_and_history_persists_between_runs(tmp_path):
    first = run_chat(tmp_path, "/start\n1\n")
    assert "Where do you train?" in first.stdout
    second = run_chat(tmp_path, "/settings\n")
    assert "novice" in second.stdout


def test_run_without_tokens_starts_the_console(tmp_path):
    result = run_chat(tmp_path, "/help\n", args=("run",))
    assert result.returncode == 0, result.stderr
    assert "/today" in result.stdout


def test_a_malformed_setting_stops_with_a_clear_message(tmp_path):
    result = run_chat(tmp_path, "", extra_env={"LOG_LEVEL": "LOUD"})
    assert result.returncode != 0
    assert "LOG_LEVEL" in result.stderr and "Traceback" not in result.stderr


def test_every_set_log_phrasing_through_the_console(tmp_path):
    from tests.unit.test_setlog_parser import PHRASINGS

    result = run_chat(tmp_path, "\n".join(PHRASINGS) + "\n/history\n")
    assert result.returncode == 0, result.stderr
    assert result.stdout.count("✓ ") == len(PHRASINGS)
    assert "couldn't read" not in result.stdout


def test_the_console_shows_only_the_conversation_and_logs_warnings_to_stderr(tmp_path):
    for args in (("run",), ("chat",)):
        result = run_chat(tmp_path, "/help\n", args=args)
        assert result.returncode == 0, result.stderr
        assert result.stdout.startswith("== Glute Up commands =="), result.stdout[:200]
        assert " INFO " not in result.stdout and " INFO " not in result.stderr, result.stderr[:500]


def test_an_explicit_log_level_still_logs_in_console_mode(tmp_path):
    result = run_chat(tmp_path, "/help\n", args=("run",), extra_env={"LOG_LEVEL": "INFO"})
    assert " INFO " in result.stderr and " INFO " not in result.stdout


def test_a_number_answers_the_safety_check_list_not_the_first_button(tmp_path):
    """The safety check numbers its questions and invites 'the numbers that apply': there "1" is
    the first question (saddle numbness), never the "None of these" button."""
    result = run_chat(tmp_path, "/pain lower back mild\n1\n")
    assert result.returncode == 0, result.stderr
    assert "a) None of these" in result.stdout
    assert "Noted: lower back" not in result.stdout
    assert "Please get this checked" in result.stdout
