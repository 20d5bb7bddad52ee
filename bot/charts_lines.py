"""The perception-gap chart: IT's view and customers' NPS week by week, two lines on one axis.

Drawn like bot/charts.py (Pillow, the embedded font, ASCII-folded text, 2× supersampling); the
lines differ in colour and in marker (dot, square), and the legend names them. Pure."""

from __future__ import annotations

import io
from collections.abc import Sequence

from PIL import Image, ImageDraw

from bot.charts import (
    _COLOURS,
    _GRID,
    _INK,
    _LINE,
    _MUTED,
    _PAPER,
    _RED,
    _SCALE,
    _ZONES,
    CHART_SIZE,
    RGB,
    Point,
    _Canvas,
    _clamp,
    _fit,
    _printable,
    _signed,
    _tint,
)
from bot.gap_messages import LineChart
from bot.texts import short_day

_PLOT = (70.0, 80.0, 770.0, 310.0)  # left, top, right, bottom
_PAD = 14.0
_STYLES: tuple[RGB, ...] = (_RED, _LINE)  # first line vermillion, second blue


def render_lines(chart: LineChart) -> bytes:
    width, height = CHART_SIZE
    image = Image.new("RGB", (width * _SCALE, height * _SCALE), _PAPER)
    canvas = _Canvas(ImageDraw.Draw(image))
    canvas.text((20, 14), _fit(canvas, _printable(chart.title), 22, width - 40), 22)
    _grid(canvas)
    _legend(canvas, [label for label, _ in chart.lines])
    for i, (_label, values) in enumerate(chart.lines):
        _series(canvas, values, _STYLES[i % len(_STYLES)], square=i % 2 == 1)
    _labels(canvas, chart)
    small = image.reduce(_SCALE).quantize(colors=_COLOURS, method=Image.Quantize.FASTOCTREE)
    out = io.BytesIO()
    small.save(out, format="PNG")
    return out.getvalue()


def _x(i: int, count: int) -> float:
    left, _, right, _ = _PLOT
    if count < 2:
        return (left + right) / 2
    return left + _PAD + i * (right - left - 2 * _PAD) / (count - 1)


def _y(score: int) -> float:
    _, top, _, bottom = _PLOT
    return bottom - (_clamp(score) + 100) / 200 * (bottom - top)


def _grid(canvas: _Canvas) -> None:
    left, _, right, _ = _PLOT
    for low, high, colour, _name in _ZONES:
        canvas.rect((left, _y(high), right, _y(low)), _tint(colour))
    for value in (-100, -50, 0, 50, 100):
        canvas.line([(left, _y(value)), (right, _y(value))], _INK if value == 0 else _GRID, 1)
        canvas.text((left - 8, _y(value)), _signed(value), 13, _MUTED, "rm")


def _legend(canvas: _Canvas, labels: Sequence[str]) -> None:
    x = _PLOT[0]
    for i, label in enumerate(labels):
        colour = _STYLES[i % len(_STYLES)]
        canvas.line([(x, 58), (x + 24, 58)], colour, 3)
        canvas.text((x + 30, 58), _printable(label), 14, _INK, "lm")
        x += 30 + canvas.width(_printable(label), 14) + 24


def _series(canvas: _Canvas, values: Sequence[int | None], colour: RGB, *, square: bool) -> None:
    points: list[list[Point]] = [[]]
    for i, value in enumerate(values):
        if value is None:
            points.append([])  # a week without figures is a gap in the line, not a zero
        else:
            points[-1].append((_x(i, len(values)), _y(value)))
    for run in points:
        if len(run) > 1:
            canvas.line(run, colour, 3)
        for x, y in run:
            if square:
                canvas.rect((x - 4, y - 4, x + 4, y + 4), colour)
            else:
                canvas.dot((x, y), 4.5, colour)


def _labels(canvas: _Canvas, chart: LineChart) -> None:
    count = len(chart.days)
    step = max(1, count // 8)  # about eight labels fit under the plot
    for i in range(count - 1, -1, -step):
        day = chart.days[i]
        canvas.text((_x(i, count), _PLOT[3] + 8), short_day(day), 12, _MUTED, "mt")
