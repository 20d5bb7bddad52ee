"""Parses `/nps …` text (and Teams messages) into queries, once for every platform."""

from __future__ import annotations

import shlex
from dataclasses import dataclass

from bot.texts import say

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

HELP_TEXT = say("help")


def parse(text: str) -> Query:
    """`/nps` text on Slack; on Teams the same text, usually with a leading "nps"."""
    if len(text) > MAX_COMMAND_CHARS:
        return Help(reason=say("help.too_long", max=MAX_COMMAND_CHARS))
    try:
        words = shlex.split(text.replace("“", '"').replace("”", '"'))
    except ValueError:
        return Help(reason=say("help.open_quote"))
    if words and words[0].lower() in ("nps", "/nps"):
        words = words[1:]
    if not words or words[0].lower() == "help":
        return Help()
    verb, rest = words[0].lower(), words[1:]
    simple: dict[str, Query] = {"callbacks": ListCallbacks(), "optin": OptIn()}
    if verb in simple:
        return simple[verb] if not rest else Help(reason=say("help.nothing_after", verb=verb))
    if verb in ("team", "teams", "me", "drivers", "gap", "themes"):
        weeks, rest_or_reason = _weeks(rest, verb)
        if isinstance(rest_or_reason, str):
            return Help(reason=rest_or_reason)
        return _scores(verb, rest_or_reason, weeks)
    return Help(reason=say("help.unknown", word=echo(words[0])))


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
        return Help(reason=say("help.only_weeks", verb=verb))
    if verb == "teams":
        return AllTeams(weeks or OVERVIEW_WEEKS)
    return MyScores(weeks or AGENT_WEEKS)


def _weeks(words: list[str], verb: str) -> tuple[int | None, list[str] | str]:
    """Takes a trailing `weeks N` off; the reason as a string when N is not a usable number."""
    if len(words) < 2 or words[-2].lower() != "weeks":
        return None, words
    raw = words[-1]
    if not raw.isdigit() or not 1 <= int(raw) <= MAX_WEEKS:
        return None, say("help.weeks", verb=verb, max=MAX_WEEKS)
    return int(raw), words[:-2]


def echo(word: str) -> str:
    """A typed word said back in formatted text: without markup characters (`<!channel>`,
    `*`, `_`) it can only read as the word, on Slack and in Teams alike."""
    return "".join(c for c in word[:30] if c not in "<>&*_~`[]")


def help_text(query: Help) -> str:
    """`/nps help`; a mistyped command gets what was wrong and where the rest is, not the whole
    help again."""
    return say("help.mistake", reason=query.reason) if query.reason else HELP_TEXT
