"""Parses `/nps …` text (and Teams messages) into queries, once for every platform."""

from __future__ import annotations

from dataclasses import dataclass

MAX_COMMAND_CHARS = 200


@dataclass(frozen=True, slots=True)
class Help:
    reason: str | None = None


@dataclass(frozen=True, slots=True)
class ListCallbacks:
    """Open callbacks of the teams whose lead channel this is (all of them, for an admin)."""


@dataclass(frozen=True, slots=True)
class OptIn:
    """Undo "Don't ask me again"."""


Query = Help | ListCallbacks | OptIn

HELP_TEXT = (
    "npsbot asks requesters how their closed IT ticket went (0–10) and closes the loop.\n"
    "Commands:\n"
    "• `/nps callbacks` — open detractor callbacks of this lead channel's teams, oldest first\n"
    '• `/nps optin` — be asked about your tickets again after "Don\'t ask me again"\n'
    "• `/nps help` — this help\n"
    "NPS = % promoters (9–10) − % detractors (0–6), from −100 to +100; 7–8 are passives."
)


def parse(text: str) -> Query:
    words = text.strip().split()
    if len(text) > MAX_COMMAND_CHARS:
        return Help(reason=f"that command is longer than {MAX_COMMAND_CHARS} characters")
    if not words or words[0].lower() == "help":
        return Help()
    if words[0].lower() == "callbacks" and len(words) == 1:
        return ListCallbacks()
    if words[0].lower() == "optin" and len(words) == 1:
        return OptIn()
    return Help(reason=f"I don't know the command '{words[0][:30]}'")


def help_text(query: Help) -> str:
    return f"{query.reason}.\n\n{HELP_TEXT}" if query.reason else HELP_TEXT
