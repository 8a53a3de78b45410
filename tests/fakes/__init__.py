"""Local stand-ins for the Telegram Bot API and the Discord REST API and gateway, on 127.0.0.1.

A small package of its own: the product's e2e tests (tests/e2e) and the benchmarks (bench/)
both import it, and only through its public methods; its own tests are in tests/fakes_selftest.
It needs aiohttp, from the project's `test` extra.
"""
