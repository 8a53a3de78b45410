"""Every example in the command declarations runs and gets a real answer."""

import pytest

from core.coach import INTERNAL_ERROR
from core.commands import all_commands
from tests.support import ChatDriver

EXAMPLES = [(spec.name, example) for spec in all_commands() for example in spec.examples]


def test_every_command_declares_at_least_one_example():
    assert [spec.name for spec in all_commands() if not spec.examples] == []


@pytest.mark.parametrize("name, example", EXAMPLES, ids=[e for _, e in EXAMPLES])
async def test_declared_example_answers(app, chat, name, example):
    replies = await chat.send(example)
    assert replies, example
    text = chat.text
    assert INTERNAL_ERROR not in text
    assert "I don't know /" not in text
    if " " in example:  # the arguments are read: nonsense in their place gets another answer
        someone_else = ChatDriver(app.coach, user_id="2002")
        await someone_else.send(f"/{name} qqq zzz")
        assert someone_else.text != text, f"{example} is answered as if its arguments were nonsense"


async def test_help_lists_every_declared_command(chat):
    await chat.send("/help")
    for spec in all_commands():
        assert f"/{spec.name}" in chat.text
