"""The reminder scheduler's old address: it lives in bot/postman/ now (pacer, ledger, lock, loop)."""

from bot.postman.ledger import LEASE
from bot.postman.loop import STOP_GRACE_SECONDS, Postman
from core.ports import Claim as Claimed

ReminderScheduler = Postman

__all__ = ["LEASE", "STOP_GRACE_SECONDS", "Claimed", "Postman", "ReminderScheduler"]
