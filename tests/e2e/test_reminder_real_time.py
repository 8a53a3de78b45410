"""Black box: the real `gluteup run` (console, no tokens) delivers a reminder set for the next minute."""

import os
import subprocess
import sys
import threading
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_a_reminder_for_the_next_minute_arrives_in_real_time(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.endswith("_TOKEN")}
    env.update(
        {
            "DATABASE_URL": f"sqlite:///{tmp_path / 'rt.db'}",
            "PYTHONPATH": str(ROOT),
            "SCHEDULER_TICK_SECONDS": "1",
            "LOG_LEVEL": "WARNING",
        }
    )
    process = subprocess.Popen(
        [sys.executable, "-m", "bot.cli", "run"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=tmp_path,
        env=env,
    )
    lines: list[str] = []
    reader = threading.Thread(target=lambda: lines.extend(iter(process.stdout.readline, "")), daemon=True)
    reader.start()
    try:
        while datetime.now(timezone.utc).second > 50:  # leave time to set it before the minute turns
            time.sleep(0.5)
        target = (datetime.now(timezone.utc) + timedelta(minutes=1)).strftime("%H:%M")
        process.stdin.write(f"/tz UTC\n/days mon-sun\n/remind {target}\n")
        process.stdin.flush()
        deadline = time.monotonic() + 75  # at most 60 s to the minute, a tick (1 s) and start-up
        while time.monotonic() < deadline and not any("Time to train!" in line for line in lines):
            time.sleep(0.5)
        output = "".join(lines)
        assert f"I'll remind you at {target}" in output
        assert "Time to train!" in output, output[-2000:]
        assert output.count("Time to train!") == 1
    finally:
        process.stdin.close()  # end of input ends the console, and with it the bot
        process.wait(timeout=30)
    assert process.returncode == 0, process.stderr.read()
