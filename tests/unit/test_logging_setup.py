"""Tokens never reach a log line, even inside URLs or tracebacks."""

import io
import logging

from bot.logging_setup import RedactSecrets, configure_logging

TOKEN = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw"


def test_configured_logging_masks_tokens_in_messages_and_tracebacks(monkeypatch):
    root = logging.getLogger()
    monkeypatch.setattr(root, "handlers", list(root.handlers))  # restored after the test
    monkeypatch.setattr(root, "level", root.level)
    stream = io.StringIO()
    configure_logging("DEBUG", [TOKEN, "discord-secret-token"])
    handler = logging.getLogger().handlers[0]
    monkeypatch.setattr(handler, "stream", stream)
    log = logging.getLogger("gluteup.test")
    log.info("POST https://api.telegram.org/bot%s/getUpdates", TOKEN)
    log.warning("login with discord-secret-token failed")
    try:
        raise RuntimeError(f"bad url https://api.telegram.org/bot{TOKEN}/sendMessage")
    except RuntimeError:
        log.exception("send failed")
    output = stream.getvalue()
    assert TOKEN not in output and "discord-secret-token" not in output
    assert output.count("***") >= 3 and "getUpdates" in output and "RuntimeError" in output


def test_an_unknown_telegram_token_shape_is_masked_too():
    record = logging.LogRecord(
        "x", logging.INFO, __file__, 1, "token 987654321:ZZ_abcdefghijklmnopqrstuvwxyz0123 leaked", (), None
    )
    RedactSecrets([]).filter(record)
    assert "987654321:ZZ" not in record.getMessage()
