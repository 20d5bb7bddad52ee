"""The report's chart as a PNG file: a terminal shows the path where a chat shows the image."""

from __future__ import annotations

import tempfile
from pathlib import Path

from bot.charts_bars import chart_png
from bot.report_messages import BarChart, Chart


def save_chart(chart: Chart | BarChart, folder: Path | None = None) -> Path:
    """A new file each time, in the system's temporary folder unless `folder` is given."""
    data = chart_png(chart)
    with tempfile.NamedTemporaryFile(
        prefix="npsbot-chart-", suffix=".png", dir=folder, delete=False
    ) as out:
        out.write(data)
    return Path(out.name)
