"""The key-driver chart: one horizontal bar per driver, its share of what moves the score. Pure.

Drawn like bot/charts.py (Pillow, the embedded font, ASCII-folded text, 2× supersampling)."""

from __future__ import annotations

import io

from PIL import Image, ImageDraw

from bot.charts import (
    _COLOURS,
    _GRID,
    _INK,
    _LINE,
    _MUTED,
    _PAPER,
    _SCALE,
    _fit,
    _font,
    render_chart,
)
from bot.charts import _printable as printable
from bot.gap_messages import LineChart
from bot.report_messages import BarChart, Chart

BAR_WIDTH = 800
_ROW = 34  # pixels per bar
_LEFT, _RIGHT, _TOP = 200, 720, 60


def chart_png(chart: Chart | BarChart | LineChart) -> bytes:
    """Any chart a report carries, as PNG bytes."""
    if isinstance(chart, BarChart):
        return render_bars(chart.title, chart.bars)
    if isinstance(chart, LineChart):
        from bot.charts_lines import render_lines

        return render_lines(chart)
    return render_chart(chart.title, chart.current, chart.trend, open_week=chart.open_week)


def render_bars(title: str, bars: tuple[tuple[str, float], ...]) -> bytes:
    height = _TOP + _ROW * max(1, len(bars)) + 30
    image = Image.new("RGB", (BAR_WIDTH * _SCALE, height * _SCALE), _PAPER)
    draw = ImageDraw.Draw(image)
    _text(draw, (20, 14), _fit_title(draw, printable(title)), 22, _INK)
    top = max((share for _label, share in bars), default=0.0) or 1.0
    for i, (label, share) in enumerate(bars):
        y = _TOP + i * _ROW
        _text(draw, (_LEFT - 10, y + _ROW / 2), printable(label)[:28], 15, _INK, "rm")
        length = (_RIGHT - _LEFT) * max(0.0, share) / top
        box = (_LEFT, y + 6, _LEFT + max(length, 1), y + _ROW - 6)
        draw.rectangle(tuple(round(v * _SCALE) for v in box), fill=_LINE)
        _text(draw, (_LEFT + length + 8, y + _ROW / 2), f"{round(100 * share)} %", 14, _MUTED, "lm")
    base = (_LEFT * _SCALE, _TOP * _SCALE, _LEFT * _SCALE, (height - 30) * _SCALE)
    draw.line(base, fill=_GRID, width=_SCALE)
    small = image.reduce(_SCALE).quantize(colors=_COLOURS, method=Image.Quantize.FASTOCTREE)
    out = io.BytesIO()
    small.save(out, format="PNG")
    return out.getvalue()


def _text(
    draw: ImageDraw.ImageDraw,
    xy: tuple[float, float],
    text: str,
    size: int,
    fill: tuple[int, int, int],
    anchor: str = "la",
) -> None:
    at = (xy[0] * _SCALE, xy[1] * _SCALE)
    draw.text(at, text, fill=fill, font=_font(size), anchor=anchor)


def _fit_title(draw: ImageDraw.ImageDraw, title: str) -> str:
    from bot.charts import _Canvas

    return _fit(_Canvas(draw), title, 22, BAR_WIDTH - 40)
