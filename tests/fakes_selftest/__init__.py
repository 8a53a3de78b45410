"""Tests of the fake Telegram and Discord servers themselves: strict where the real APIs are."""
