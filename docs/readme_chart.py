"""`python docs/readme_chart.py`: the README's picture, drawn by the bot's own chart code."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from bot.charts import render_chart

# Twelve weeks of a team that recovers after a bad patch; the last week is still open.
SCORES = [22, 18, 9, -4, 3, 12, 20, 27, 31, 29, 36, 41]
FIRST_MONDAY = date(2026, 9, 7)


def main() -> None:
    trend = [(FIRST_MONDAY + timedelta(weeks=i), s) for i, s in enumerate(SCORES)]
    png = render_chart("End User Services", SCORES[-1], trend)
    (Path(__file__).parent / "chart-example.png").write_bytes(png)


if __name__ == "__main__":
    main()
