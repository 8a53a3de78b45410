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


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="gluteup", description="Glute Up, a glute-training coach for chat.")
    sub = parser.add_subparsers(dest="command")
    sub.add_parser("run", help="start every configured platform and the scheduler (console chat if no token)")
    sub.add_parser("chat", help="chat with the coach in this terminal")
    db = sub.add_parser("db", help="database maintenance")
    db.add_argument("action", choices=["upgrade"])
    args = parser.parse_args(argv)

    settings = load_settings()
    configure_logging(settings.log_level if args.command != "chat" else "WARNING", _secrets(settings))
    from bot import app

    if args.command == "chat":
        asyncio.run(app.run_chat(settings))
    elif args.command == "db":
        asyncio.run(_db_upgrade(settings))
    else:
        try:
            asyncio.run(app.run_all(settings))
        except KeyboardInterrupt:
            pass


if __name__ == "__main__":
    main()
