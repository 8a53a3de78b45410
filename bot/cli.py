"""`gluteup`: run the bot, chat in the console, or migrate the database."""

from __future__ import annotations

import argparse
import asyncio

from bot.logging_setup import configure_logging
from bot.settings import Settings, load_settings


def _secrets(settings: Settings) -> list[str]:
    values = [settings.telegram_token, settings.discord_token, settings.telegram_webhook_secret]
    return [v.get_secret_value() for v in values if v is not None]


async def _db_upgrade(settings: Settings) -> None:
    from bot.app import open_database

    engine = await open_database(settings.database_url)
    await engine.dispose()
    print("Database is at the newest schema.")


def _log_level(settings: Settings, command: str | None) -> str:
    """In the console chat stdout is the conversation: logs go to stderr, and only warnings
    unless LOG_LEVEL is set on purpose."""
    console = command == "chat" or (command != "db" and not settings.telegram_token and not settings.discord_token)
    return "WARNING" if console and "log_level" not in settings.model_fields_set else settings.log_level


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="gluteup", description="Glute Up, a glute-training coach for chat.")
    sub = parser.add_subparsers(dest="command")
    run = sub.add_parser("run", help="start every configured platform and the scheduler (console chat if no token)")
    run.add_argument(
        "--no-console",
        action="store_true",
        help="a worker for a service manager: never open the console chat; fail if no token is set",
    )
    sub.add_parser("chat", help="chat with the coach in this terminal")
    db = sub.add_parser("db", help="database maintenance")
    db.add_argument("action", choices=["upgrade"])
    args = parser.parse_args(argv)

    settings = load_settings()
    configure_logging(_log_level(settings, args.command), _secrets(settings))
    from bot import app

    if args.command == "chat":
        asyncio.run(app.run_chat(settings))
    elif args.command == "db":
        asyncio.run(_db_upgrade(settings))
    else:
        try:
            asyncio.run(app.run_all(settings, allow_console=not getattr(args, "no_console", False)))
        except KeyboardInterrupt:
            pass


if __name__ == "__main__":
    main()
