"""Telegram's limits, applied when a core reply is rendered."""

from bot.adapters.telegram_render import MAX_CALLBACK_BYTES, MAX_TEXT, CallbackBook, render
from core.domain import Button, Reply


def test_long_button_commands_get_a_short_key_that_maps_back():
    book = CallbackBook()
    command = "/log custom " + "very long exercise name " * 5 + "3x10 60kg"
    [chunk] = render(Reply("Pick one").with_buttons([[Button("Yes", command), Button("No", "/log cancel")]]), book)
    data = [b.callback_data for row in chunk.markup.inline_keyboard for b in row]
    assert all(len(d.encode()) <= MAX_CALLBACK_BYTES for d in data)
    assert book.command_for(data[0]) == command and data[1] == "/log cancel"
    assert CallbackBook().command_for(data[0]) is None  # after a restart the key is unknown


def test_escaping_is_counted_before_splitting():
    text = "\n".join("&<>" * 300 for _ in range(10))  # each line grows 5x when escaped
    chunks = render(Reply(text, title="T & C"), CallbackBook())
    assert len(chunks) > 1 and all(len(c.html) <= MAX_TEXT for c in chunks)
    assert chunks[0].html.startswith("<b>T &amp; C</b>\n")
