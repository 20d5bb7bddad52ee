"""Neutral report pieces of issue 15: the perception gap, the rank among teams, the chart of
both lines. No imports from bot.messages, which includes these in its reports."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from bot.scoring.gap import GapTally, SlaTally


@dataclass(frozen=True, slots=True)
class GapFigure:
    """IT's view against customers' over a period; `withheld` replaces it below min_answers."""

    tally: GapTally  # empty when withheld
    withheld: str | None = None


@dataclass(frozen=True, slots=True)
class SlaFigure:
    """The SLA met and the watermelon share over a period; `withheld` below min_answers."""

    tally: SlaTally  # empty when withheld
    withheld: str | None = None


@dataclass(frozen=True, slots=True)
class LostTime:
    """Work time the requesters said the issues cost them, at each choice's midpoint."""

    answers: int  # answers that said how much; 0 when withheld
    hours: float
    withheld: str | None = None


@dataclass(frozen=True, slots=True)
class Rank:
    """Where a team stands among the teams with at least their min_answers in the period."""

    position: int  # 1 + the teams with a strictly higher NPS: ties share a place
    of: int


@dataclass(frozen=True, slots=True)
class LineChart:
    """Several weekly lines on one −100…+100 axis, oldest week first; None: no point."""

    title: str
    days: tuple[date, ...]
    lines: tuple[tuple[str, tuple[int | None, ...]], ...]  # (legend, one value per day)


@dataclass(frozen=True, slots=True)
class GapWeek:
    start: date
    figure: GapFigure


@dataclass(frozen=True, slots=True)
class GapReport:
    """`/nps gap`: IT's view and customers' week by week, and over the whole period."""

    team_key: str
    team_label: str
    weeks: tuple[GapWeek, ...]  # oldest first; the last is the current week
    period: GapFigure
    chart: LineChart
