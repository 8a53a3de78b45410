"""Typed settings, read once from the environment and `.env` and validated at start.

A malformed value must stop the process with a message that names the key, so
nobody finds out at the first reminder that the time zone was misspelt.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_DATABASE_URL = "sqlite:///gluteup.db"
TELEGRAM_TOKEN_SHAPE = re.compile(r"^\d{1,20}:[A-Za-z0-9_-]{35}$")  # what @BotFather hands out
ASYNC_DRIVERS = ("sqlite+inline", "postgresql+asyncpg")
LOG_LEVELS = ("CRITICAL", "ERROR", "WARNING", "INFO", "DEBUG")


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore", env_ignore_empty=True)

    database_url: str = Field(DEFAULT_DATABASE_URL, description="sqlite:///path or postgresql://user@host/db")
    log_level: str = "INFO"
    default_timezone: str = "UTC"

    telegram_token: SecretStr | None = None
    telegram_base_url: str | None = None
    telegram_webhook_url: str | None = None
    telegram_webhook_secret: SecretStr | None = None
    telegram_webhook_listen: str = "0.0.0.0"
    telegram_webhook_port: int = Field(8443, ge=1, le=65535)

    discord_token: SecretStr | None = None
    discord_guild_id: int | None = None
    discord_api_base: str | None = None
    discord_gateway_url: str | None = None

    scheduler_tick_seconds: float = Field(10.0, gt=0, le=15)
    reminder_grace_minutes: int = Field(30, ge=0)
    chart_dir: Path = Path("charts")

    @field_validator("database_url")
    @classmethod
    def _known_database(cls, value: str) -> str:
        value = value.strip()
        scheme, sep, rest = value.partition("://")
        if not sep or not scheme.startswith(("sqlite", "postgresql", "postgres")):
            raise ValueError("must look like sqlite:///gluteup.db or postgresql://user@host/db")
        if "+" in scheme and scheme not in ASYNC_DRIVERS:
            raise ValueError(
                f"the driver {scheme.partition('+')[2]!r} is not supported: write "
                f"{scheme.partition('+')[0]}://... and the async driver is chosen for you"
            )
        if scheme.startswith("sqlite") and rest.lstrip("/") in ("", ":memory:"):
            raise ValueError(
                "an in-memory SQLite database keeps nothing after a restart: give a file, e.g. sqlite:///gluteup.db"
            )
        return value

    @field_validator("telegram_token", mode="after")
    @classmethod
    def _token_shape(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and not TELEGRAM_TOKEN_SHAPE.match(value.get_secret_value()):
            raise ValueError(
                "is not a bot token: @BotFather's look like 123456789:AA... "
                "(digits, a colon, 35 letters, digits, - or _); copy it again"
            )
        return value

    @field_validator("telegram_base_url", "telegram_webhook_url", "discord_api_base", mode="after")
    @classmethod
    def _http_url(cls, value: str | None) -> str | None:
        if value is not None and not value.startswith(("http://", "https://")):
            raise ValueError("must start with http:// or https://")
        return value

    @field_validator("chart_dir", mode="after")
    @classmethod
    def _a_folder(cls, value: Path) -> Path:
        if value.exists() and not value.is_dir():
            raise ValueError(f"{value} is a file, not a folder: point it at a folder (it is created if missing)")
        return value

    @field_validator("log_level")
    @classmethod
    def _known_level(cls, value: str) -> str:
        level = value.upper()
        if level not in LOG_LEVELS:
            raise ValueError(f"must be one of {', '.join(LOG_LEVELS)}")
        return level

    @field_validator("default_timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown time zone {value!r}") from exc
        return value

    @field_validator("telegram_token", "discord_token", "telegram_webhook_secret", mode="before")
    @classmethod
    def _blank_is_unset(cls, value: object) -> object:
        if isinstance(value, str):
            value = value.strip()  # a pasted token often brings a space or a line break along
        return None if value == "" else value


class SettingsError(SystemExit):
    """Raised with a readable message; SystemExit so the CLI prints it and stops."""


def load_settings(**overrides: Any) -> Settings:  # Any: pydantic validates each value as it would the .env
    try:
        return Settings(**overrides)
    except UnicodeDecodeError as exc:
        raise SettingsError(
            f"Glute Up cannot start: .env is not UTF-8 text ({exc.reason} at byte {exc.start}). "
            "Save it as UTF-8 and start again."
        ) from None
    except ValidationError as exc:
        lines = ["Glute Up cannot start: a setting is malformed."]
        for error in exc.errors():
            key = ".".join(str(p) for p in error["loc"]).upper()
            lines.append(f"  {key}: {error['msg']}")
        lines.append("Fix it in the environment or in .env (see .env.example).")
        raise SettingsError("\n".join(lines)) from None
