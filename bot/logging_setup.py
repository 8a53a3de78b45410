"""Logging that never prints a token.

HTTP client libraries log request URLs, and a Telegram URL contains the bot
token, so every record passes through a filter that masks known secrets.
"""

from __future__ import annotations

import logging
import re

# Libraries that log whole updates, requests or gateway events (people's messages,
# health and training data) at DEBUG: never below INFO, whatever LOG_LEVEL says.
CARRY_MESSAGES = ("telegram", "httpx", "httpcore", "discord", "aiohttp", "hpack", "asyncio", "sqlalchemy.engine")
NOISY = ("httpx", "httpcore", "discord.http", "discord.gateway", "apscheduler.executors")
TELEGRAM_TOKEN_PATTERN = re.compile(r"\d{5,}:[A-Za-z0-9_-]{20,}")


class RedactSecrets(logging.Filter):
    def __init__(self, secrets: list[str]) -> None:
        super().__init__()
        self._secrets = [s for s in secrets if s]

    def redact(self, text: str) -> str:
        for secret in self._secrets:
            text = text.replace(secret, "***")
        return TELEGRAM_TOKEN_PATTERN.sub("***", text)

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        clean = self.redact(message)
        if clean != message:
            record.msg, record.args = clean, ()
        if record.exc_info and not record.exc_text:
            record.exc_text = self.redact(logging.Formatter().formatException(record.exc_info))
        elif record.exc_text:
            record.exc_text = self.redact(record.exc_text)
        return True


def configure_logging(level: str, secrets: list[str]) -> None:
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(RedactSecrets(secrets))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    # The bot never uses voice: discord.py's warning about missing voice libraries is noise.
    logging.getLogger("discord.client").addFilter(
        lambda record: "voice will NOT be supported" not in record.getMessage()
    )
    for name in CARRY_MESSAGES:
        logging.getLogger(name).setLevel(max(logging.INFO, logging.getLevelName(level)))
    for name in NOISY:
        logging.getLogger(name).setLevel(max(logging.WARNING, logging.getLevelName(level)))
