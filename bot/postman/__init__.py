"""Scheduled delivery: claim a chunk, compose, send, record (see bot/postman/loop.py)."""
