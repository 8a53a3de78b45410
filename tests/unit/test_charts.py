"""The chart is a real PNG of a sensible size with one point per training day."""

import io
from datetime import date, timedelta

import pytest
from matplotlib import image

from core.charts import progress_chart
from core.progress import ProgressPoint

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def series(days: int) -> list[ProgressPoint]:
    start = date(2026, 10, 1)
    return [ProgressPoint(start + timedelta(days=3 * i), 60 + 2.5 * i, 80 + 3 * i) for i in range(days)]


@pytest.mark.parametrize("days", [1, 2, 12])
def test_chart_is_a_readable_png_with_one_point_per_day(days):
    chart = progress_chart("Hip thrust", series(days), "kg")
    assert chart.png.startswith(PNG_SIGNATURE)
    assert chart.points == days
    pixels = image.imread(io.BytesIO(chart.png), format="png")
    height, width = pixels.shape[:2]
    assert (width, height) == (960, 540)
    assert 10_000 < len(chart.png) < 300_000
    assert pixels[..., :3].std() > 0.05  # something is drawn, not a blank canvas


def test_an_empty_series_is_refused_rather_than_drawn_empty():
    with pytest.raises(ValueError):
        progress_chart("Hip thrust", [], "kg")
