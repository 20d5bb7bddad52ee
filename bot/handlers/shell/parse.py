"""Parses a line typed in `npsbot shell` into a command. Pure: text in, a value out."""

from __future__ import annotations

import shlex
from collections.abc import Collection
from dataclasses import dataclass

from bot.callbacks_model import Outcome


@dataclass(frozen=True, slots=True)
class Close:
    """The ITSM tool closes a ticket: the same event the webhook takes."""

    ticket_id: str
    title: str
    team: str | None
    requester: str
    agent: str | None = None
    url: str | None = None


@dataclass(frozen=True, slots=True)
class Score:
    ticket: str | None  # None: the last survey shown
    score: int


@dataclass(frozen=True, slots=True)
class Comment:
    """No text and no drivers: show the comment form."""

    ticket: str | None
    text: str | None = None
    drivers: tuple[str, ...] = ()
    share: bool = False


@dataclass(frozen=True, slots=True)
class OptOut:
    ticket: str | None


@dataclass(frozen=True, slots=True)
class Claim:
    ticket: str | None  # None: the last alert shown


@dataclass(frozen=True, slots=True)
class Done:
    ticket: str | None
    outcome: Outcome = Outcome.REACHED
    notes: str | None = None


@dataclass(frozen=True, slots=True)
class Release:
    ticket: str | None


@dataclass(frozen=True, slots=True)
class Nps:
    """`/nps …`, answered exactly as Slack's slash command and Teams' chat are."""

    text: str


@dataclass(frozen=True, slots=True)
class As:
    email: str


@dataclass(frozen=True, slots=True)
class In:
    team: str  # a team key, name or alias, or "dm"


@dataclass(frozen=True, slots=True)
class WhoAmI:
    pass


@dataclass(frozen=True, slots=True)
class ShellHelp:
    pass


@dataclass(frozen=True, slots=True)
class Quit:
    pass


@dataclass(frozen=True, slots=True)
class Nothing:
    pass


@dataclass(frozen=True, slots=True)
class Mistake:
    reason: str


Command = (
    Close
    | Score
    | Comment
    | OptOut
    | Claim
    | Done
    | Release
    | Nps
    | As
    | In
    | WhoAmI
    | ShellHelp
    | Quit
    | Nothing
    | Mistake
)
OUTCOMES = {o.value.replace("_", "-"): o for o in Outcome} | {o.value: o for o in Outcome}


def parse(line: str, known: Collection[str] = ()) -> Command:
    """`known`: the ticket ids of the surveys and alerts shown so far, so `claim INC1` names one
    and `comment 2 days too slow` does not."""
    text = line.strip()
    if text.lower().startswith(("/nps", "nps ")) or text.lower() == "nps":
        return Nps(text)
    try:
        words = shlex.split(text)
    except ValueError:
        return Mistake("a quote is not closed")
    if not words:
        return Nothing()
    verb, rest = words[0].lower(), words[1:]
    simple: dict[str, Command] = {
        "help": ShellHelp(),
        "?": ShellHelp(),
        "quit": Quit(),
        "exit": Quit(),
        "whoami": WhoAmI(),
    }
    if verb in simple:
        return simple[verb] if not rest else Mistake(f"`{verb}` takes nothing after it")
    ticket, rest = _ticket(rest, known)
    return _verb(verb, ticket, rest, words)


def _verb(verb: str, ticket: str | None, rest: list[str], words: list[str]) -> Command:
    match verb:
        case "close":
            return _close(words[1:])
        case "score" | "answer":
            return _score(ticket, rest)
        case "comment":
            return _comment(ticket, rest)
        case "optout":
            return OptOut(ticket) if not rest else Mistake("`optout` takes only a ticket")
        case "claim" | "release":
            if len(rest) > 1 or (rest and ticket):
                return Mistake(f"`{verb}` takes only a ticket, e.g. `{verb} INC1`")
            named = ticket or (rest[0] if rest else None)
            return Claim(named) if verb == "claim" else Release(named)
        case "done":
            return _done(ticket, rest)
        case "as":
            ok = len(words) == 2 and "@" in words[1]
            return As(words[1].casefold()) if ok else Mistake("`as` takes an e-mail address")
        case "in":
            return In(" ".join(words[1:])) if len(words) > 1 else Mistake("`in` takes a team")
    return Mistake(f"I don't know the command '{words[0][:30]}'")


def _ticket(words: list[str], known: Collection[str]) -> tuple[str | None, list[str]]:
    if words and words[0] in known:
        return words[0], words[1:]
    return None, words


def _score(ticket: str | None, rest: list[str]) -> Command:
    if ticket is None and len(rest) == 2:
        ticket, rest = rest[0], rest[1:]  # `answer INC7 3`: a ticket not shown in this session
    if len(rest) != 1 or not rest[0].isdigit() or not 0 <= int(rest[0]) <= 10:
        return Mistake("a score is a whole number from 0 to 10, e.g. `score 3`")
    return Score(ticket, int(rest[0]))


def _comment(ticket: str | None, rest: list[str]) -> Command:
    words: list[str] = []
    drivers: tuple[str, ...] = ()
    share = False
    i = 0
    while i < len(rest):
        if rest[i] == "--share":
            share = True
        elif rest[i] == "--drivers" and i + 1 < len(rest):
            drivers = tuple(_driver(d) for d in rest[i + 1].split(",") if d.strip())
            i += 1
        elif rest[i] == "--drivers":
            return Mistake("`--drivers` takes a list, e.g. `--drivers timeliness,courtesy`")
        else:
            words.append(rest[i])
        i += 1
    return Comment(ticket, " ".join(words) or None, drivers, share)


def _driver(text: str) -> str:
    """A key or the label people read: "Resolution quality" is resolution_quality."""
    return "_".join(text.strip().lower().replace("-", " ").split())


def _done(ticket: str | None, rest: list[str]) -> Command:
    if rest and rest[0].lower() in OUTCOMES:
        return Done(ticket, OUTCOMES[rest[0].lower()], " ".join(rest[1:]) or None)
    return Done(ticket, Outcome.REACHED, " ".join(rest) or None)


CLOSE_USAGE = 'close TICKET "Title" --team KEY --requester EMAIL [--agent EMAIL] [--url URL]'
CLOSE_OPTIONS = ("--team", "--requester", "--agent", "--url")


def _close(words: list[str]) -> Command:
    positional: list[str] = []
    options: dict[str, str] = {}
    i = 0
    while i < len(words):
        word = words[i]
        if word in CLOSE_OPTIONS:
            if i + 1 >= len(words):
                return Mistake(f"`{word}` needs a value: {CLOSE_USAGE}")
            options[word[2:]] = words[i + 1]
            i += 2
            continue
        if word.startswith("--"):
            return Mistake(f"unknown option `{word[:30]}`: {CLOSE_USAGE}")
        positional.append(word)
        i += 1
    if len(positional) != 2 or "requester" not in options:
        return Mistake(f"usage: {CLOSE_USAGE}")
    return Close(
        positional[0],
        positional[1],
        options.get("team"),
        options["requester"],
        options.get("agent"),
        options.get("url"),
    )
