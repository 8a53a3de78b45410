"""Black box: every bad configuration stops `gluteup` with one line naming the setting, no traceback.

Table-driven: each row is an environment (and maybe a file to set up) and the
setting the message must name.
"""

from __future__ import annotations

import os
import socket
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import POSTGRES_URL

ROOT = Path(__file__).resolve().parents[2]
TOKEN = "123456789:" + "A" * 35


def _silent_server() -> str:
    """A port that accepts connections and never answers: a getMe that times out."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(16)
    _silent_server.keep = sock  # stays open for the test session
    return f"http://127.0.0.1:{sock.getsockname()[1]}/bot"


def _not_a_database(tmp: Path) -> dict:
    (tmp / "notes.db").write_text("these are my notes, not a database\n" * 50)
    return {"DATABASE_URL": f"sqlite:///{tmp / 'notes.db'}"}


def _unknown_revision(tmp: Path) -> dict:
    with sqlite3.connect(tmp / "future.db") as conn:
        conn.execute("CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL PRIMARY KEY)")
        conn.execute("INSERT INTO alembic_version VALUES ('9999_from_the_future')")
    return {"DATABASE_URL": f"sqlite:///{tmp / 'future.db'}"}


def _latin1_env(tmp: Path) -> dict:
    (tmp / ".env").write_bytes("DEFAULT_TIMEZONE=Europe/Z\xfcrich\n".encode("latin-1"))
    return {}


def _chart_dir_is_a_file(tmp: Path) -> dict:
    (tmp / "charts.txt").write_text("x")
    return {"CHART_DIR": str(tmp / "charts.txt")}


def _postgres(change: str) -> dict:
    from sqlalchemy.engine import make_url

    url = make_url(POSTGRES_URL)
    url = {
        "down": url.set(port=1),
        "database": url.set(database="h15_no_such_database"),
        "role": url.set(username="h15_no_such_role"),
    }[change]
    return {"DATABASE_URL": url.render_as_string(hide_password=False)}


CASES = {
    # name: (environment or a function of tmp_path returning it, the setting named, command)
    "base url unreachable": (
        {"TELEGRAM_TOKEN": TOKEN, "TELEGRAM_BASE_URL": "http://127.0.0.1:1/bot"},
        "TELEGRAM_BASE_URL",
        "run",
    ),
    "base url without scheme": (
        {"TELEGRAM_TOKEN": TOKEN, "TELEGRAM_BASE_URL": "127.0.0.1:1/bot"},
        "TELEGRAM_BASE_URL",
        "run",
    ),
    "getMe times out": (
        lambda tmp: {"TELEGRAM_TOKEN": TOKEN, "TELEGRAM_BASE_URL": _silent_server()},
        "TELEGRAM_BASE_URL",
        "run",
    ),
    "database url without ://": ({"DATABASE_URL": "sqlite"}, "DATABASE_URL", "db"),
    "in-memory sqlite": ({"DATABASE_URL": "sqlite://"}, "DATABASE_URL", "run"),
    "missing folder": (
        lambda tmp: {"DATABASE_URL": f"sqlite:///{tmp / 'no' / 'such' / 'dir.db'}"},
        "DATABASE_URL",
        "db",
    ),
    "not a database": (_not_a_database, "DATABASE_URL", "db"),
    "unknown migration revision": (_unknown_revision, "DATABASE_URL", "db"),
    "sync driver": ({"DATABASE_URL": "postgresql+psycopg2://postgres@127.0.0.1/x"}, "DATABASE_URL", "db"),
    "token with spaces is fine": None,  # covered below: it must start, not fail
    "token of the wrong shape": ({"TELEGRAM_TOKEN": "123456789:short"}, "TELEGRAM_TOKEN", "run"),
    "token pasted twice": ({"TELEGRAM_TOKEN": TOKEN + TOKEN}, "TELEGRAM_TOKEN", "run"),
    "latin-1 .env": (_latin1_env, ".env", "db"),
    "chart dir is a file": (_chart_dir_is_a_file, "CHART_DIR", "chat"),
    "postgres down": (lambda tmp: _postgres("down"), "DATABASE_URL", "db"),
    "postgres unknown database": (lambda tmp: _postgres("database"), "DATABASE_URL", "db"),
    "postgres unknown role": (lambda tmp: _postgres("role"), "DATABASE_URL", "db"),
}
CASES = {k: v for k, v in CASES.items() if v is not None}


def run(tmp_path: Path, env_extra: dict, command: str, stdin: str = "/help\n") -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.endswith("_TOKEN") and k not in ("DATABASE_URL",)}
    env.update({"DATABASE_URL": f"sqlite:///{tmp_path / 'ok.db'}", "PYTHONPATH": str(ROOT), "LOG_LEVEL": "WARNING"})
    env.update(env_extra)
    args = ["db", "upgrade"] if command == "db" else [command]
    return subprocess.run(
        [sys.executable, "-m", "bot.cli", *args],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
        timeout=120,
    )


@pytest.mark.parametrize("case", list(CASES))
def test_bad_configuration_stops_with_one_clear_line(case, tmp_path):
    env, setting, command = CASES[case]
    if case.startswith("postgres") and not POSTGRES_URL:
        pytest.skip("PostgreSQL cases need TEST_DATABASE_URL")
    env = env(tmp_path) if callable(env) else env
    result = run(tmp_path, env, command)
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert result.returncode != 0, result.stdout[-500:]
    assert "Traceback" not in result.stderr, result.stderr[-3000:]
    assert setting in result.stderr, result.stderr
    assert len(lines) <= 4, result.stderr


def test_a_token_with_surrounding_spaces_is_stripped(tmp_path, monkeypatch):
    from bot.settings import load_settings

    monkeypatch.delenv("TELEGRAM_TOKEN", raising=False)
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".env").write_text(f"TELEGRAM_TOKEN=  {TOKEN} \n")
    assert load_settings().telegram_token.get_secret_value() == TOKEN


async def test_a_wrong_discord_token_stops_with_one_line(tmp_path):
    import asyncio

    from tests.fakes.discord_server import FakeDiscord

    async with FakeDiscord(aim_client=False) as fake:
        env = {k: v for k, v in os.environ.items() if not k.endswith("_TOKEN")}
        env.update(
            {
                "DATABASE_URL": f"sqlite:///{tmp_path / 'd.db'}",
                "PYTHONPATH": str(ROOT),
                "LOG_LEVEL": "WARNING",
                "DISCORD_TOKEN": "not-the-token",
                "DISCORD_API_BASE": fake.api_base,
                "DISCORD_GATEWAY_URL": fake.gateway_url,
            }
        )
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bot.cli",
            "run",
            cwd=tmp_path,
            env=env,
            stdin=asyncio.subprocess.DEVNULL,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )
        _, stderr = await asyncio.wait_for(process.communicate(), 90)
    err = stderr.decode()
    assert process.returncode != 0
    assert "DISCORD_TOKEN" in err and "Traceback" not in err, err[-3000:]
    assert len([line for line in err.splitlines() if line.strip()]) <= 2, err
