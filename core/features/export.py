"""/export: every logged set as a CSV file the person owns and can take elsewhere.

The columns follow the Strong/Hevy exports people already know (Date, Workout
Name, Exercise Name, Set Order, Weight, Reps, RPE, Notes), with the weight in
the person's units and its unit in its own column, so a spreadsheet or
another app can read it without guessing.
"""

from __future__ import annotations

import csv
import io

from core.commands import command
from core.context import Context
from core.domain import Attachment, Reply
from core.history import LoggedSet
from core.progress import exercise_label, in_units, number
from core.wording import log_example

HEADER = (
    "Date",
    "Workout Name",
    "Exercise Name",
    "Set Order",
    "Weight",
    "Weight Unit",
    "Reps",
    "Seconds",
    "RPE",
    "Notes",
)
NO_SESSION = "Glute Up"


def workout_name(ctx: Context, s: LoggedSet) -> str:
    program = ctx.library.programs.get(s.program_id or "")
    if program is None or s.day_index is None:
        return NO_SESSION
    return f"{program.name} - {program.day_at(s.day_index).title}"


def csv_row(ctx: Context, s: LoggedSet) -> tuple[object, ...]:
    units = ctx.profile.units
    weight = number(in_units(s.load_kg, units)) if s.load_kg is not None else ""
    details = [
        ("per side", s.per_side),
        ("warm-up", s.warmup),
        (f"{s.band} band", s.band),
        (f"RIR {s.rir}", s.rir is not None),
        (f"{number(s.distance_m or 0)} m", s.distance_m),
        (s.note, s.note),
    ]
    notes = "; ".join(text for text, present in details if present and text)
    return (
        s.local_date.isoformat(),
        workout_name(ctx, s),
        exercise_label(ctx.library.catalog, s),
        s.set_no,
        weight,
        units if weight else "",
        s.reps if s.reps is not None else "",
        s.seconds if s.seconds is not None else "",
        number(s.rpe) if s.rpe is not None else "",
        notes,
    )


def logs_csv(ctx: Context, sets: list[LoggedSet]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(HEADER)
    writer.writerows(csv_row(ctx, s) for s in sets)
    return buffer.getvalue().encode("utf-8")


@command("export", "All your logged sets as a CSV file (Strong/Hevy-style columns)", examples=("/export",))
async def export_command(ctx: Context, args: str) -> list[Reply]:
    sets = await ctx.uow.progress.all_sets(ctx.user.id)
    if not sets:
        return [
            Reply(
                "You have no logged sets yet, so there is nothing to export. Log one by writing it, "
                f"e.g. {log_example(ctx.profile)}."
            )
        ]
    days = len({s.local_date for s in sets})
    filename = f"gluteup-export-{ctx.local_now.date().isoformat()}.csv"
    text = (
        f"Your log: {len(sets)} sets over {days} day{'s' if days != 1 else ''}, weights in "
        f"{ctx.profile.units}. It opens in any spreadsheet."
    )
    return [Reply(text, title="Export", attachment=Attachment(filename, logs_csv(ctx, sets), "text/csv"))]
