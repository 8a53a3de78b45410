"""/forget: delete everything stored about the person, after they confirm.

Pain reports are close to health data, so leaving must be one command away
and must really delete: logs, sessions, pain reports, reminders and their
deliveries, the profile and the user row itself.
"""

from __future__ import annotations

from core.commands import command
from core.context import Context
from core.domain import Button, Reply

CONFIRM = "confirm"
CANCEL = "cancel"
QUESTION = (
    "This deletes everything I have stored about you: every logged set, your sessions, pain reports, "
    "reminders, settings and your account here. It cannot be undone. Download your log first with /export "
    "if you want to keep it.\n\nDelete everything?"
)


@command(
    "forget",
    "Delete everything stored about you (asks first)",
    syntax="[confirm]",
    examples=("/forget", "/forget cancel"),
    buttons=(("confirm|cancel", "delete everything, or keep it"),),
)
async def forget_command(ctx: Context, args: str) -> list[Reply]:
    answer = args.strip().lower()
    if answer == CANCEL:
        return [Reply("Nothing was deleted. Your data stays as it is.")]
    if answer != CONFIRM:
        return [
            Reply(QUESTION, title="Delete your data?").with_buttons(
                [[Button("Yes, delete everything", f"/forget {CONFIRM}"), Button("Cancel", f"/forget {CANCEL}")]]
            )
        ]
    await ctx.uow.privacy.forget(ctx.user.id)
    ctx.forgotten = True
    return [
        Reply(
            "Done: everything I stored about you is deleted (logs, sessions, pain reports, reminders, "
            "settings). If you write to me again, I start fresh with /start."
        )
    ]
