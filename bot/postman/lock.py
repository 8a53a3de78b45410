"""One sender per platform at a time, across workers: Telegram's 30/s is per bot token,
so two workers pacing themselves at 30/s each earn a stream of 429s.

PostgreSQL: a session advisory lock per platform, held on its own connection while the
worker sends; if the worker dies its connection closes and the lock is free for the
next worker's tick. SQLite serves one process, so there the lock always succeeds.
"""

from __future__ import annotations

import hashlib

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine


def lock_key(platform: str) -> int:
    digest = hashlib.sha256(f"gluteup postman {platform}".encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


class SenderLock:
    def __init__(self, engine: AsyncEngine) -> None:
        self.engine = engine
        self.postgres = engine.dialect.name == "postgresql"
        self._held: dict[str, AsyncConnection] = {}

    async def try_acquire(self, platform: str) -> bool:
        if not self.postgres or platform in self._held:
            return True
        conn = await self.engine.connect()
        try:
            got = (await conn.execute(text("SELECT pg_try_advisory_lock(:key)"), {"key": lock_key(platform)})).scalar()
            await conn.commit()
        except BaseException:
            await conn.close()
            raise
        if got:
            self._held[platform] = conn
            return True
        await conn.close()
        return False

    async def release(self, platform: str) -> None:
        conn = self._held.pop(platform, None)
        if conn is None:
            return
        try:
            await conn.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": lock_key(platform)})
            await conn.commit()
        finally:
            await conn.close()
