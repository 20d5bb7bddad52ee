"""Parses `/nps …` text (and Teams messages) into queries, once for every platform."""

from __future__ import annotations

import shlex
from dataclasses import dataclass

MAX_COMMAND_CHARS = 200
DEFAULT_WEEKS = 8
OVERVIEW_WEEKS = 4
AGENT_WEEKS = 12
MAX_WEEKS = 52
DRIVER_WEEKS = 12
GAP_WEEKS = 12
THEME_WEEKS = 12


@dataclass(frozen=True, slots=True)
class Help:
    reason: str | None = None


@dataclass(frozen=True, slots=True)
class ListCallbacks:
    """Open callbacks of the teams whose lead channel this is (all of them, for an admin)."""


@dataclass(frozen=True, slots=True)
class OptIn:
    """Undo "Don't ask me again"."""


@dataclass(frozen=True, slots=True)
class TeamScores:
    """`team <key|name|alias> [weeks N]`; no name: the team whose lead channel it is typed in."""

    team: str | None
    weeks: int = DEFAULT_WEEKS


@dataclass(frozen=True, slots=True)
class AllTeams:
    weeks: int = OVERVIEW_WEEKS


@dataclass(frozen=True, slots=True)
class MyScores:
    weeks: int = AGENT_WEEKS


@dataclass(frozen=True, slots=True)
class TeamDrivers:
    """`drivers [team] [weeks N]`: what moves the team's score; no name: the lead channel's."""

    team: str | None
    weeks: int = DRIVER_WEEKS


@dataclass(frozen=True, slots=True)
class TeamGap:
    """`gap [team] [weeks N]`: IT's view beside customers' week by week; no name: the lead
    channel's team."""

    team: str | None
    weeks: int = GAP_WEEKS


@dataclass(frozen=True, slots=True)
class TeamThemes:
    """`themes [team] [weeks N]`: what the comments are about; no name: the lead channel's."""

    team: str | None
    weeks: int = THEME_WEEKS


Query = (
    Help
    | ListCallbacks
    | OptIn
    | TeamScores
    | AllTeams
    | MyScores
    | TeamDrivers
    | TeamThemes
    | TeamGap
)

HELP_TEXT = (
    "npsbot asks requesters how their closed IT ticket went (0–10) and closes the loop.\n"
    "Commands:\n"
    "• `/nps team eus` — a team's NPS week by week (default 8 weeks), e.g. "
    '`/nps team "End User Services" weeks 12`; in a lead channel `/nps team` is its team\n'
    "• `/nps teams` — every team side by side over the last 4 weeks, best first\n"
    "• `/nps drivers eus` — what moves a team's score most: each driver's share of it, how "
    "often it is named as good and as bad (default 12 weeks, e.g. `/nps drivers eus weeks 26`)\n"
    "• `/nps gap eus` — IT's view (the agents' guesses) beside customers' answers on the same "
    "tickets, week by week with a chart (default 12 weeks)\n"
    "• `/nps themes eus` — what the comments are about: themes found automatically, each "
    "with its count, its share of detractors and its change (default 12 weeks)\n"
    "• `/nps me` — your own score and the comments on your tickets (last 12 weeks)\n"
    "• `/nps callbacks` — open detractor callbacks of this lead channel's teams, oldest first\n"
    '• `/nps optin` — be asked about your tickets again after "Don\'t ask me again"\n'
    "• `/nps help` — this help\n"
    "NPS = % promoters (9–10) − % detractors (0–6), from −100 to +100, rounded half away "
    "from zero; 7–8 are passives. Weeks start Monday in the team's time zone; the last week "
    "shown is the current one, still open. Response rate = surveys answered / surveys "
    "delivered in the period. ± is the margin of error at 95 %."
)


def parse(text: str) -> Query:
    """`/nps` text on Slack; on Teams the same text, usually with a leading "nps"."""
    if len(text) > MAX_COMMAND_CHARS:
        return Help(reason=f"that command is longer than {MAX_COMMAND_CHARS} characters")
    try:
        words = shlex.split(text.replace("“", '"').replace("”", '"'))
    except ValueError:
        return Help(reason="a quote is not closed")
    if words and words[0].lower() in ("nps", "/nps"):
        words = words[1:]
    if not words or words[0].lower() == "help":
        return Help()
    verb, rest = words[0].lower(), words[1:]
    simple: dict[str, Query] = {"callbacks": ListCallbacks(), "optin": OptIn()}
    if verb in simple:
        return simple[verb] if not rest else Help(reason=f"`{verb}` takes nothing after it")
    if verb in ("team", "teams", "me", "drivers", "gap", "themes"):
        weeks, rest_or_reason = _weeks(rest, verb)
        if isinstance(rest_or_reason, str):
            return Help(reason=rest_or_reason)
        return _scores(verb, rest_or_reason, weeks)
    return Help(reason=f"I don't know the command '{echo(words[0])}'")


def _scores(verb: str, rest: list[str], weeks: int | None) -> Query:
    if verb == "team":
        return TeamScores(" ".join(rest) or None, weeks or DEFAULT_WEEKS)
    if verb == "drivers":
        return TeamDrivers(" ".join(rest) or None, weeks or DRIVER_WEEKS)
    if verb == "gap":
        return TeamGap(" ".join(rest) or None, weeks or GAP_WEEKS)
    if verb == "themes":
        return TeamThemes(" ".join(rest) or None, weeks or THEME_WEEKS)
    if rest:
        return Help(reason=f"`{verb}` takes only `weeks N` after it")
    if verb == "teams":
        return AllTeams(weeks or OVERVIEW_WEEKS)
    return MyScores(weeks or AGENT_WEEKS)


def _weeks(words: list[str], verb: str) -> tuple[int | None, list[str] | str]:
    """Takes a trailing `weeks N` off; the reason as a string when N is not a usable number."""
    if len(words) < 2 or words[-2].lower() != "weeks":
        return None, words
    raw = words[-1]
    if not raw.isdigit() or not 1 <= int(raw) <= MAX_WEEKS:
        return None, f"`{verb} … weeks N` needs a whole number of weeks from 1 to {MAX_WEEKS}"
    return int(raw), words[:-2]


def echo(word: str) -> str:
    """A typed word said back in formatted text: without markup characters (`<!channel>`,
    `*`, `_`) it can only read as the word, on Slack and in Teams alike."""
    return "".join(c for c in word[:30] if c not in "<>&*_~`[]")


# A mistyped command gets what was wrong and where the rest is, not the whole help again.
HELP_POINTER = "`/nps help` lists every command, with examples."


def help_text(query: Help) -> str:
    return f"{query.reason}. {HELP_POINTER}" if query.reason else HELP_TEXT
