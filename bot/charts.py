"""The NPS chart for digests and reports: a gauge of the current score beside a weekly trend. Pure.

Pillow only, and no font files: `ImageFont.load_default(size=…)` is the scalable Aileron font that
Pillow ≥ 10.1 embeds. That copy covers little beyond ASCII: no "−", "–", "—", "é" or "ü", which it
draws as boxes. So numbers use ASCII "-", and titles are folded to ASCII where a plain one exists.
"""

from __future__ import annotations

import io
import math
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from PIL import Image, ImageDraw, ImageFont

from bot.texts import say, short_day

CHART_SIZE: tuple[int, int] = (800, 360)  # width, height in pixels
MAX_WEEKS = 12

# Everything is drawn at twice the size and halved at the end: Pillow's shapes are not anti-aliased.
_SCALE = 2
# Teams embeds the chart as a base64 data URI, so the palette is cut to keep the PNG small.
_COLOURS = 64

RGB = tuple[int, int, int]
Point = tuple[float, float]

# Okabe–Ito colours stay distinct under the common colour-vision deficiencies; zones are also named.
_RED: RGB = (213, 94, 0)
_AMBER: RGB = (230, 159, 0)
_GREEN: RGB = (0, 158, 115)
_LINE: RGB = (0, 114, 178)
_INK: RGB = (33, 37, 41)
_MUTED: RGB = (108, 117, 125)
_GRID: RGB = (206, 212, 218)
_PAPER: RGB = (255, 255, 255)

# The common NPS reading bands, named by catalogue key: below 0, 0 to +50, above +50.
_ZONES: tuple[tuple[int, int, RGB, str], ...] = (
    (-100, 0, _RED, "chart.needs_work"),
    (0, 50, _AMBER, "chart.good"),
    (50, 100, _GREEN, "chart.excellent"),
)
# Letters that NFKD does not split into a base letter and an accent.
_FOLD = str.maketrans(
    {
        "−": "-",
        "–": "-",
        "—": "-",
        "•": "·",
        "×": "x",
        "ß": "ss",
        "æ": "ae",
        "Æ": "AE",
        "œ": "oe",
        "Œ": "OE",
        "ø": "o",
        "Ø": "O",
        "ł": "l",
        "Ł": "L",
        "đ": "d",
        "Đ": "D",
        "þ": "th",
        "Þ": "Th",
    }
)

# Layout, in output pixels.
_DIAL_CENTRE: Point = (170, 222)
_DIAL_RADIUS = 128
_DIAL_BAND = 26
_PLOT = (420.0, 72.0, 770.0, 292.0)  # left, top, right, bottom
_PLOT_PAD = 14.0  # keeps the first and last dots off the frame


@lru_cache(maxsize=16)
def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    return ImageFont.load_default(size=size * _SCALE)


@dataclass(slots=True)
class _Canvas:
    """An ImageDraw that takes output-pixel coordinates, so the layout ignores the supersampling."""

    draw: ImageDraw.ImageDraw

    def line(self, points: Sequence[Point], fill: RGB, width: float) -> None:
        scaled = [(x * _SCALE, y * _SCALE) for x, y in points]
        self.draw.line(scaled, fill=fill, width=round(width * _SCALE), joint="curve")

    def arc(self, centre: Point, radius: float, span: Point, fill: RGB, width: float) -> None:
        """A band `width` thick inside `radius`, from span[0] to span[1] degrees."""
        (x, y), r = centre, radius * _SCALE
        box = (x * _SCALE - r, y * _SCALE - r, x * _SCALE + r, y * _SCALE + r)
        self.draw.arc(box, span[0], span[1], fill=fill, width=round(width * _SCALE))

    def dot(
        self, centre: Point, radius: float, fill: RGB, outline: RGB = _PAPER, ring: float = 1
    ) -> None:
        x, y, r = centre[0] * _SCALE, centre[1] * _SCALE, radius * _SCALE
        box = (x - r, y - r, x + r, y + r)
        self.draw.ellipse(box, fill=fill, outline=outline, width=round(ring * _SCALE))

    def rect(self, box: tuple[float, float, float, float], fill: RGB) -> None:
        self.draw.rectangle(tuple(round(v * _SCALE) for v in box), fill=fill)

    def text(self, xy: Point, text: str, size: int, fill: RGB = _INK, anchor: str = "la") -> None:
        at = (xy[0] * _SCALE, xy[1] * _SCALE)
        self.draw.text(at, text, fill=fill, font=_font(size), anchor=anchor)

    def width(self, text: str, size: int) -> float:
        return self.draw.textlength(text, font=_font(size)) / _SCALE


def render_chart(
    title: str,
    current: int | None,
    trend: Sequence[tuple[date, int | None]],
    *,
    open_week: bool = False,
) -> bytes:
    """A PNG of exactly CHART_SIZE: the gauge at `current`, and the last MAX_WEEKS of `trend`.

    `trend` is oldest first, one entry per week start; None is a week without answers.
    Scores are clamped to −100..+100, the only range an NPS can have. `open_week`: the last week
    is still running, so its dot is hollow and its segment dashed, as a score so far.
    """
    width, height = CHART_SIZE
    image = Image.new("RGB", (width * _SCALE, height * _SCALE), _PAPER)
    canvas = _Canvas(ImageDraw.Draw(image))
    canvas.text((20, 14), _fit(canvas, _printable(title), 22, width - 40), 22)
    _draw_gauge(canvas, None if current is None else _clamp(current))
    weeks = [(day, None if score is None else _clamp(score)) for day, score in trend[-MAX_WEEKS:]]
    _draw_trend(canvas, weeks, open_week)
    # Fast octree: a third of median cut's time for the same size; `optimize` would double the time
    # to save about 1 KB.
    small = image.reduce(_SCALE).quantize(colors=_COLOURS, method=Image.Quantize.FASTOCTREE)
    out = io.BytesIO()
    small.save(out, format="PNG")
    return out.getvalue()


def _draw_gauge(canvas: _Canvas, current: int | None) -> None:
    cx, cy = _DIAL_CENTRE
    for low, high, colour, _ in _ZONES:
        canvas.arc(_DIAL_CENTRE, _DIAL_RADIUS, (_angle(low), _angle(high)), colour, _DIAL_BAND)
    for value, anchor in ((-100, "mt"), (0, "mb"), (50, "lb"), (100, "mt")):
        x, y = _on_dial(value, _DIAL_RADIUS + 6 if value in (0, 50) else _DIAL_RADIUS - 13)
        canvas.text((x, y + (6 if anchor == "mt" else 0)), _signed(value), 13, _MUTED, anchor)
    _draw_legend(canvas, cy + 100)
    if current is None:
        canvas.text((cx, cy + 18), say("chart.no_answers"), 30, _MUTED, "mt")
        return
    canvas.line([(cx, cy), _on_dial(current, _DIAL_RADIUS - 8)], _INK, 5)
    canvas.dot((cx, cy), 9, _INK)
    canvas.text((cx, cy + 16), _signed(current), 54, _INK, "mt")


def _draw_legend(canvas: _Canvas, y: float) -> None:
    """Names each zone, so colour is not the only cue."""
    items = [(colour, say(key)) for _, _, colour, key in _ZONES]
    total = sum(12 + 6 + canvas.width(name, 13) for _, name in items) + 14 * (len(items) - 1)
    x = _DIAL_CENTRE[0] - total / 2
    for colour, name in items:
        canvas.rect((x, y - 6, x + 12, y + 6), colour)
        canvas.text((x + 18, y), name, 13, _INK, "lm")
        x += 12 + 6 + canvas.width(name, 13) + 14


def _draw_trend(canvas: _Canvas, weeks: Sequence[tuple[date, int | None]], open_week: bool) -> None:
    left, top, right, bottom = _PLOT
    for low, high, colour, _ in _ZONES:
        canvas.rect((left, _plot_y(high), right, _plot_y(low)), _tint(colour))
    for value in (-100, -50, 0, 50, 100):
        y = _plot_y(value)
        canvas.line([(left, y), (right, y)], _INK if value == 0 else _GRID, 1)
        canvas.text((left - 8, y), _signed(value), 13, _MUTED, "rm")
    if all(score is None for _, score in weeks):
        _draw_note(canvas, ((left + right) / 2, (top + bottom) / 2), say("chart.no_answers_yet"))
    _draw_week_labels(canvas, [day for day, _ in weeks])
    points = [(_plot_x(i, len(weeks)), score) for i, (_, score) in enumerate(weeks)]
    runs = _runs(points)
    if open_week and points and points[-1][1] is not None:
        _draw_open_week(canvas, runs.pop())
    for run in runs:
        if len(run) > 1:
            canvas.line(run, _LINE, 3)
        for dot in run:
            canvas.dot(dot, 4.5, _LINE)


def _draw_open_week(canvas: _Canvas, run: list[Point]) -> None:
    """The last run, its newest point a score so far: dashed into a hollow dot, and named."""
    *closed, (x, y) = run
    if len(closed) > 1:
        canvas.line(closed, _LINE, 3)
    if closed:
        _dashed(canvas, closed[-1], (x, y))
    for dot in closed:
        canvas.dot(dot, 4.5, _LINE)
    canvas.dot((x, y), 5.5, _PAPER, _LINE, 2.5)
    right, top = _PLOT[2], _PLOT[1]
    legend = say("chart.open_week")  # names the hollow dot
    canvas.text((right, top - 12), legend, 12, _MUTED, "rm")
    canvas.dot((right - canvas.width(legend, 12) - 10, top - 12), 4.5, _PAPER, _LINE, 2)


def _dashed(canvas: _Canvas, start: Point, end: Point) -> None:
    steps = max(1, round(math.dist(start, end) / 12))  # dashes of about 7 px, gaps of 5
    (x0, y0), dx, dy = start, end[0] - start[0], end[1] - start[1]
    for a, b in ((i / steps, (i + 0.6) / steps) for i in range(steps)):
        canvas.line([(x0 + a * dx, y0 + a * dy), (x0 + b * dx, y0 + b * dy)], _LINE, 3)


def _draw_note(canvas: _Canvas, centre: Point, text: str) -> None:
    """Text on a white label, so the zero line does not strike it through."""
    half = canvas.width(text, 18) / 2 + 10
    canvas.rect((centre[0] - half, centre[1] - 16, centre[0] + half, centre[1] + 16), _PAPER)
    canvas.text(centre, text, 18, _MUTED, "mm")


def _draw_week_labels(canvas: _Canvas, days: Sequence[date]) -> None:
    """Labels every week that fits, counting back from the newest so it is always labelled."""
    labels = [short_day(day) for day in days]
    if not labels:
        return
    room = _plot_x(1, len(labels)) - _plot_x(0, len(labels)) if len(labels) > 1 else math.inf
    widest = max(canvas.width(label, 12) for label in labels) + 8
    step = max(1, math.ceil(widest / room))
    for i in range(len(labels) - 1, -1, -step):
        canvas.text((_plot_x(i, len(labels)), _PLOT[3] + 8), labels[i], 12, _MUTED, "mt")


def _runs(points: Sequence[tuple[float, int | None]]) -> list[list[Point]]:
    """Splits the line at weeks without answers: a gap is a gap, not a zero."""
    runs: list[list[Point]] = [[]]
    for x, score in points:
        if score is None:
            runs.append([])
        else:
            runs[-1].append((x, _plot_y(score)))
    return [run for run in runs if run]


def _plot_x(index: int, count: int) -> float:
    left, _, right, _ = _PLOT
    if count < 2:
        return (left + right) / 2
    return left + _PLOT_PAD + index * (right - left - 2 * _PLOT_PAD) / (count - 1)


def _plot_y(score: int) -> float:
    _, top, _, bottom = _PLOT
    return bottom - (score + 100) / 200 * (bottom - top)


def _angle(score: int) -> float:
    """Pillow's degrees, clockwise from 3 o'clock: −100 is 9 o'clock (180°), +100 is 3 o'clock."""
    return 180 + (score + 100) * 0.9


def _on_dial(score: int, radius: float) -> Point:
    theta = math.radians(_angle(score))
    cx, cy = _DIAL_CENTRE
    return (cx + radius * math.cos(theta), cy + radius * math.sin(theta))


def _tint(colour: RGB) -> RGB:
    """The zone colour at 12 % on white, so the trend's background repeats the gauge's bands."""
    r, g, b = (round(255 - 0.12 * (255 - c)) for c in colour)
    return (r, g, b)


def _clamp(score: int) -> int:
    return max(-100, min(100, score))


def _signed(score: int) -> str:
    return f"{score:+d}" if score else "0"


def _printable(text: str) -> str:
    """Folds what the embedded font lacks to ASCII: "Zürich — EUS" becomes "Zurich - EUS"."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_FOLD))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _fit(canvas: _Canvas, text: str, size: int, room: float) -> str:
    """Shortens `text` with an ellipsis until it fits in `room` pixels."""
    if canvas.width(text, size) <= room:
        return text
    while text and canvas.width(text + "…", size) > room:
        text = text[:-1]
    return text.rstrip() + "…"
