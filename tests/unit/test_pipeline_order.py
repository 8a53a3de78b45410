"""The order of text handlers and plan adjusters is the list in core/pipeline.py, and every
entry of that list exists once the features are loaded (a renamed function cannot drop out)."""

import pytest

from core.commands import all_commands
from core.conversation import text_handler, text_handlers
from core.ordered import name_of
from core.pipeline import PLAN_ADJUSTERS, TEXT_HANDLERS
from core.workout import plan_adjusters


def test_text_handlers_run_in_the_listed_order_and_all_are_there():
    all_commands()  # loads the features
    assert [name_of(h) for h in text_handlers()] == list(TEXT_HANDLERS)


def test_plan_adjusters_run_in_the_listed_order_and_all_are_there():
    all_commands()
    assert [name_of(a) for a in plan_adjusters()] == list(PLAN_ADJUSTERS)


def test_a_handler_missing_from_the_list_is_refused_at_import():
    async def unlisted(ctx, text):
        return None

    with pytest.raises(ValueError, match="core/pipeline.py"):
        text_handler(unlisted)
