"""Neutral report messages: the figures `/nps` commands and the weekly digest show, not how."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from bot.gap_messages import GapFigure, LostTime, Rank, SlaFigure
from bot.scoring import Tally


@dataclass(frozen=True, slots=True)
class Chart:
    """What the PNG shows: a gauge of `current` and the weekly trend, oldest week first."""

    title: str
    current: int | None
    trend: tuple[tuple[date, int | None], ...]
    open_week: bool = False  # the trend's last week is the current one, still being answered


@dataclass(frozen=True, slots=True)
class Week:
    start: date  # Monday, in the team's time zone
    tally: Tally  # empty when withheld
    withheld: str | None = None  # set: shown instead of the week's figures (min_answers)


@dataclass(frozen=True, slots=True)
class Benchmark:
    """An outside figure to compare with, from nps.toml (e.g. an industry IT-support NPS)."""

    name: str
    nps: int


@dataclass(frozen=True, slots=True)
class TeamReport:
    """`/nps team eus`: the team's weeks, its trend and the organisation's figure."""

    team_key: str
    team_label: str
    weeks: tuple[Week, ...]  # oldest first; the last is the current, unfinished week
    period: Tally  # the weeks above together
    previous: Tally  # the same number of weeks just before
    organisation: Tally  # every team, over the same weeks
    comments: tuple[str, ...]  # never attributed; empty below the team's min_answers
    undeliverable: int  # surveys of the period that could not reach the requester
    benchmark: Benchmark | None
    chart: Chart
    withheld: str | None = None  # set: the period has too few answers; shown instead of a score
    gap: GapFigure | None = None  # None: no guesses in the period
    rank: Rank | None = None  # None: the team is not among the teams with enough answers
    sla: SlaFigure | None = None  # None: no ticket of the period said whether its SLA was met
    lost_time: LostTime | None = None  # None: nobody said how much work time they lost


@dataclass(frozen=True, slots=True)
class TeamLine:
    team_key: str
    team_label: str
    period: Tally  # empty when withheld
    previous: Tally
    standing: str | None  # "star", "needs help" or None
    withheld: str | None = None
    sla: SlaFigure | None = None  # the 🍉 column; None: no SLA data


@dataclass(frozen=True, slots=True)
class TeamsOverview:
    """`/nps teams`: every team side by side over the last weeks, best first."""

    weeks: int
    since: date
    lines: tuple[TeamLine, ...]
    organisation: Tally
    previous_organisation: Tally
    benchmark: Benchmark | None
    organisation_withheld: str | None = None


@dataclass(frozen=True, slots=True)
class AgentComment:
    ticket_id: str
    score: int
    comment: str
    answered_at: datetime


@dataclass(frozen=True, slots=True)
class AgentReport:
    """`/nps me`: an agent's own score and the comments on their own tickets."""

    agent_label: str
    weeks: int
    period: Tally
    previous: Tally
    comments: tuple[AgentComment, ...]  # newest first, their tickets only, requester not named
    chart: Chart | None  # None: no answer to draw, so no chart is sent
    withheld: str | None = None
    gap: GapFigure | None = None  # their own guesses against their requesters' answers


@dataclass(frozen=True, slots=True)
class WeeklyDigest:
    """Posted once a week to a team's channel: last week, its change, and what people said."""

    team_key: str
    team_label: str
    week: Week  # the week that just ended
    previous: Tally  # the week before it
    open_callbacks: int
    comments: tuple[str, ...]  # only comments their authors agreed to share; never attributed
    chart: Chart
    top_driver: str | None = None  # "what moves the score most" line; None: too few answers
    gap: GapFigure | None = None  # the week's IT's view beside customers'; None: no guesses
    sla: SlaFigure | None = None  # the week's watermelon count; None: no SLA data
    top_theme: str | None = None  # the fastest-growing comment theme; None: too few to tell


@dataclass(frozen=True, slots=True)
class BarChart:
    """What the PNG shows: one horizontal bar per label, a share from 0 to 1, largest first."""

    title: str
    bars: tuple[tuple[str, float], ...]


@dataclass(frozen=True, slots=True)
class DriverLine:
    key: str
    label: str
    named_good: int  # named at 9–10 ("What went well?")
    named_bad: int  # named at 0–8 ("What would have made it a 10?", "What went wrong?")
    nps_good: int | None  # NPS of the answers naming it as good (+100 by construction)
    nps_bad: int | None
    importance: float | None  # share of R², 0–1; None with too few answers
    bad_detractors: int  # detractors naming it as what went wrong


@dataclass(frozen=True, slots=True)
class DriverReport:
    """`/nps drivers`: how often each driver is named, and which one moves the score most."""

    team_key: str
    team_label: str
    weeks: int
    n: int  # answers of the period that name at least one driver
    detractors: int  # of those, how many are detractors
    r2: float | None  # None below MIN_DRIVER_ANSWERS
    drivers: tuple[DriverLine, ...]  # most important first when there are importances
    chart: BarChart | None


@dataclass(frozen=True, slots=True)
class ThemeLine:
    terms: tuple[str, ...]  # the theme's most distinctive words: its label
    comments: int  # in the period
    detractors: int  # of those, given with a 0–6 score
    previous: int | None  # the same theme's comments in the period before; None: withheld
    quotes: tuple[str, ...]  # never attributed; the comments nearest the theme's centre


@dataclass(frozen=True, slots=True)
class ThemeReport:
    """`/nps themes`: the period's comments grouped into themes found automatically."""

    team_key: str
    team_label: str
    weeks: int
    comments: int  # the period's comments
    themes: tuple[ThemeLine, ...]  # largest first; empty when withheld
    withheld: str | None = None  # set: why no themes are shown (too few answers or comments)
