"""Progress charts as PNG bytes, drawn with matplotlib's Agg backend.

matplotlib is a drawing library, not a platform, so it may live in the core.
The figure is built with the object API (Figure + FigureCanvasAgg) rather than
pyplot: no global figure state, nothing to close, safe when two people ask for
a chart at the same moment, and no GUI backend is ever touched.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import timedelta

import matplotlib
import numpy as np

matplotlib.use("Agg")  # before anything can import pyplot: never open a window on a server

from matplotlib.backends.backend_agg import FigureCanvasAgg  # noqa: E402
from matplotlib.dates import AutoDateLocator, ConciseDateFormatter, date2num  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from core.progress import ProgressPoint, in_units  # noqa: E402

SIZE_INCHES = (8, 4.5)
DPI = 120  # 960 x 540 px: sharp on a phone, well under Telegram's photo limits
TOP_SET_COLOUR = "#c2185b"
E1RM_COLOUR = "#5c6bc0"


@dataclass(frozen=True)
class Chart:
    png: bytes
    points: int  # read back from the drawn line: one per training day


def progress_chart(
    title: str, series: list[ProgressPoint], units: str, top_sets: dict[str, list[ProgressPoint]] | None = None
) -> Chart:
    """Top-set load and estimated 1RM per training day, in the person's units.

    `top_sets` draws one top-set line per rep range (heavy and light days), so
    alternating days do not make a sawtooth; the 1RM estimate stays one line.
    """
    if not series:
        raise ValueError("no points to draw: answer in words instead")
    days = _days(series)
    figure = Figure(figsize=SIZE_INCHES, dpi=DPI, layout="constrained")
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    lines = top_sets if top_sets and len(top_sets) > 1 else {"": series}
    for index, (label, points) in enumerate(lines.items()):
        axes.plot(
            _days(points),
            [in_units(p.top_load_kg, units) for p in points],
            marker="o",
            color=TOP_SET_COLOUR,
            alpha=1 - 0.4 * index,
            label=f"Top set{', ' + label if label else ''}",
        )
    (e1rm_line,) = axes.plot(
        days,
        [in_units(p.e1rm_kg, units) for p in series],
        marker="s",
        linestyle="--",
        color=E1RM_COLOUR,
        label="Estimated 1RM",
    )
    locator = AutoDateLocator(maxticks=8)
    axes.xaxis.set_major_locator(locator)
    axes.xaxis.set_major_formatter(ConciseDateFormatter(locator))
    if len(days) == 1:  # a single day would otherwise stretch the axis over years
        axes.set_xlim(date2num(series[0].day - timedelta(days=3)), date2num(series[0].day + timedelta(days=3)))
    axes.set_title(title)
    axes.set_ylabel(units)
    axes.grid(alpha=0.3)
    axes.legend(loc="upper left")
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return Chart(buffer.getvalue(), points=np.size(e1rm_line.get_xdata()))


def _days(points: list[ProgressPoint]) -> np.ndarray[tuple[int], np.dtype[np.datetime64]]:
    """Days as numpy dates: what matplotlib's date axis reads and its type stubs accept."""
    return np.array([p.day for p in points], dtype="datetime64[D]")
