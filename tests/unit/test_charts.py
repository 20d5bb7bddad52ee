"""Tests for bot.charts.render_chart: a small, deterministic PNG of a gauge and a weekly trend."""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import date, timedelta

import pytest
from PIL import Image

from bot.charts import CHART_SIZE, MAX_WEEKS, render_chart

WIDTH, HEIGHT = CHART_SIZE
LINE_BLUE = (0, 114, 178)
FIRST_WEEK = date(2025, 9, 1)
TWELVE = [12, 25, None, 40, 33, -5, 18, 52, 61, None, 47, 33]

Trend = list[tuple[date, int | None]]


def weeks(scores: Sequence[int | None]) -> Trend:
    return [(FIRST_WEEK + timedelta(weeks=i), score) for i, score in enumerate(scores)]


def opened(png: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(png))
    assert image.format == "PNG"
    return image.convert("RGB")


def is_line(pixel: bytes) -> bool:
    return sum((a - b) ** 2 for a, b in zip(pixel, LINE_BLUE, strict=True)) < 50**2


def is_dark(pixel: bytes) -> bool:
    return sum(pixel) < 200


def pixels(image: Image.Image) -> list[bytes]:
    data = image.tobytes()
    return [data[i : i + 3] for i in range(0, len(data), 3)]


def count(png: bytes, box: tuple[int, int, int, int], *, dark: bool = False) -> int:
    """Pixels in `box` that are near-black (dark=True) or the trend line's blue."""
    hit = is_dark if dark else is_line
    return sum(1 for p in pixels(opened(png).crop(box)) if hit(p))


def line_columns(png: bytes) -> list[int]:
    """The x of every column of the image that holds a pixel of the trend line."""
    return sorted({i % WIDTH for i, p in enumerate(pixels(opened(png))) if is_line(p)})


@pytest.mark.parametrize(
    ("current", "trend"),
    [(33, weeks(TWELVE)), (None, weeks([None] * 12)), (None, []), (-7, weeks([4]))],
)
def test_output_is_a_png_of_exactly_chart_size(current: int | None, trend: Trend) -> None:
    assert opened(render_chart("EUS", current, trend)).size == CHART_SIZE


def test_twelve_weeks_with_a_long_title_stay_under_30_kb() -> None:
    """Teams embeds the chart as a base64 data URI, so its size matters."""
    png = render_chart("Service desk, end-user support, EMEA " * 4, -67, weeks(TWELVE))
    assert len(png) < 30_000


def test_same_input_gives_the_same_bytes() -> None:
    assert render_chart("EUS", 33, weeks(TWELVE)) == render_chart("EUS", 33, weeks(TWELVE))


def test_no_answers_at_all_draws_no_needle_and_no_line() -> None:
    png = render_chart("EUS", None, weeks([None] * 12))
    assert line_columns(png) == []
    assert png != render_chart("EUS", 0, weeks([None] * 12))


def test_scores_out_of_range_are_drawn_at_the_ends_of_the_scale() -> None:
    assert render_chart("EUS", 250, weeks([500, -999])) == render_chart(
        "EUS", 100, weeks([100, -100])
    )
    assert render_chart("EUS", -101, []) == render_chart("EUS", -100, [])


def test_needle_points_left_for_detractors_and_right_for_promoters() -> None:
    """The dial's hub is near x = 0.21 W; above it are only the dial, its labels and the title."""
    upper_left, upper_right = (0, 0, 165, HEIGHT // 2), (175, 0, 340, HEIGHT // 2)
    low, high = render_chart("EUS", -50, []), render_chart("EUS", 50, [])
    assert count(low, upper_left, dark=True) > count(high, upper_left, dark=True) + 100
    assert count(high, upper_right, dark=True) > count(low, upper_right, dark=True) + 100


def test_a_week_without_answers_is_a_gap_not_a_zero() -> None:
    gap, zero = (
        render_chart("EUS", 50, weeks([50, None, 50])),
        render_chart("EUS", 50, weeks([50, 0, 50])),
    )
    assert gap != zero
    columns = line_columns(gap)
    middle = (columns[0] + columns[-1]) // 2
    assert count(gap, (middle - 10, 0, middle + 10, HEIGHT)) == 0
    assert count(zero, (middle - 10, 0, middle + 10, HEIGHT)) > 0


def test_a_single_week_is_a_dot() -> None:
    columns = line_columns(render_chart("EUS", 4, weeks([4])))
    assert 0 < columns[-1] - columns[0] < 15


def test_only_the_newest_twelve_weeks_are_drawn() -> None:
    trend = weeks([-80] * 8 + TWELVE)
    assert render_chart("EUS", 33, trend) == render_chart("EUS", 33, trend[-MAX_WEEKS:])


def test_letters_missing_from_the_embedded_font_are_folded_to_ascii() -> None:
    """Pillow's default font draws "ü" and "—" as boxes."""
    assert render_chart("Zürich — EUS", 1, []) == render_chart("Zurich - EUS", 1, [])


# The newest of TWELVE's points (33): the plot's right edge minus its padding, and its height.
NEWEST = (756, 146)
LEGEND = (560, 50, 772, 68)  # above the plot, right: only the open week's legend is drawn there


def at(image: Image.Image, xy: tuple[float, float]) -> bytes:
    pixel = image.getpixel((round(xy[0]), round(xy[1])))
    assert isinstance(pixel, tuple)
    return bytes(pixel)


def test_the_open_week_is_a_hollow_dot_with_a_legend() -> None:
    closed = opened(render_chart("EUS", 33, weeks(TWELVE)))
    running = opened(render_chart("EUS", 33, weeks(TWELVE), open_week=True))
    assert is_line(at(closed, NEWEST))
    assert sum(at(running, NEWEST)) > 3 * 230  # paper inside the ring
    ring = running.crop((NEWEST[0] - 8, NEWEST[1] - 8, NEWEST[0] + 9, NEWEST[1] + 9))
    assert any(is_line(p) for p in pixels(ring))
    legend = [p for p in pixels(running.crop(LEGEND)) if sum(p) < 3 * 200]
    assert len(legend) > 50
    assert all(sum(p) > 3 * 240 for p in pixels(closed.crop(LEGEND)))


def test_the_open_weeks_last_segment_is_dashed() -> None:
    """Between the last two points the closed chart's line is unbroken, the open one's is not."""

    def hits(png: bytes) -> list[bool]:
        image, (x1, y1) = opened(png), NEWEST
        x0, y0 = 727, 292 - (47 + 100) / 200 * 220  # the week before: 47
        return [
            is_line(at(image, (x0 + t / 20 * (x1 - x0), y0 + t / 20 * (y1 - y0))))
            for t in range(4, 17)
        ]

    assert all(hits(render_chart("EUS", 33, weeks(TWELVE))))
    assert not all(hits(render_chart("EUS", 33, weeks(TWELVE), open_week=True)))


def test_an_open_week_without_answers_draws_no_legend() -> None:
    trend = weeks([*TWELVE[:-1], None])
    assert render_chart("EUS", 33, trend, open_week=True) == render_chart("EUS", 33, trend)
