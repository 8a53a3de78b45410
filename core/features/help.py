"""/help: the command list, derived from the declarations."""

from __future__ import annotations

from core.commands import all_commands, command, find
from core.context import Context
from core.domain import Reply
from core.wording import log_example


@command("help", "What I can do, and how to ask", syntax="[command]", examples=("/help", "/help today"), personal=False)
async def help_command(ctx: Context, args: str) -> list[Reply]:
    wanted = args.strip().lstrip("/").split(" ")[0].lower()
    if wanted:
        spec = find(wanted)
        if spec is None:
            return [Reply(f"There is no /{wanted[:40]}. Send /help for the list.", private=False)]
        lines = [spec.usage, spec.summary]
        if spec.details:
            lines += ["", spec.details]
        if spec.examples:
            lines += ["", "Examples:"] + [f"  {e}" for e in spec.examples]
        if spec.buttons:
            lines += ["", "Its buttons send (you can type these too):"]
            lines += [f"  /{spec.name} {form} - {meaning}" for form, meaning in spec.buttons]
        return [Reply("\n".join(lines), title=f"/{spec.name}", private=False)]
    lines = [f"{spec.usage} - {spec.summary}" for spec in all_commands()]
    lines += [
        "",
        f"Log a set by just writing it, e.g. {log_example(ctx.profile)}",
        'Ask in your own words too: "how do I do a hip thrust?", "what should I do today?", "my knee hurts".',
        "Details of one command: /help today",
    ]
    return [Reply("\n".join(lines), title="Glute Up commands", private=False)]
