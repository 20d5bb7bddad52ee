"""Every sentence a person reads, by key: one catalogue for Slack, Teams and the shell (and a
translation).

The words live in bot/texts/en/, one file per part of the product; this module looks them up.
A text has named placeholders ("{ticket}") that the caller fills, and plural forms where a number
decides ("1 answer", "2 answers"). The adapters fill placeholders with their own markup (a bold
run, a mention, an escaped link) and lay the result out; they never write the words themselves.
Emoji and markup are layout, so they stay with the adapters.
"""

from __future__ import annotations

from datetime import date
from string import Formatter
from typing import TypeVar, assert_never

from bot.callbacks_model import (
    CallbackStatus,
    Claimed,
    ClaimOutcome,
    Closed,
    NotLeadChannel,
    NotOwner,
    Outcome,
    OwnedByOther,
    OwnerOutcome,
    Released,
    UnknownCallback,
)
from bot.model import (
    AlreadyAnswered,
    NotRequester,
    ScoreOutcome,
    ScoreRecorded,
    SurveyExpired,
    UnknownSurvey,
)
from bot.texts.en import TEXTS
from bot.texts.plural import Plural

__all__ = [
    "TEXTS",
    "Plural",
    "long_day",
    "outcome_label",
    "pieces",
    "refusal",
    "say",
    "score_notice",
    "short_day",
]

T = TypeVar("T")


def _template(key: str, count: int | None) -> str:
    text = TEXTS[key]
    if isinstance(text, Plural):
        if count is None:
            raise TypeError(f"{key!r} has plural forms: say which count")
        return text.one if count == 1 else text.other
    return text


def say(key: str, /, count: int | None = None, **values: object) -> str:
    """The text of `key` with its placeholders filled; `count` picks a plural form."""
    return _template(key, count).format(count=count, **values)


def pieces(key: str, /, count: int | None = None, **values: str | T) -> list[str | T]:
    """The text of `key` cut at its placeholders, each replaced by its value as given (a Teams
    run, say), for a layout that cannot take markup inside a string. Neighbouring strings are
    joined and empty ones dropped."""
    out: list[str | T] = []
    for literal, field, _spec, _conv in Formatter().parse(_template(key, count)):
        parts: list[str | T] = [literal]
        if field is not None:
            parts.append(str(count) if field == "count" else values[field])
        for part in parts:
            if isinstance(part, str) and out and isinstance(out[-1], str):
                out[-1] += part
            elif part != "":
                out.append(part)
    return out


def score_notice(outcome: ScoreOutcome) -> str | None:
    """What the person who clicked a score is told when it was not recorded (None: it was)."""
    match outcome:
        case ScoreRecorded():
            return None
        case AlreadyAnswered():
            return say("score.already", score=outcome.score)
        case SurveyExpired():
            return say("score.expired")
        case UnknownSurvey():
            return say("score.no_survey")
        case NotRequester():
            return say("score.not_yours")
        case _:
            assert_never(outcome)


def refusal(outcome: ClaimOutcome | OwnerOutcome, owner: str | None) -> str:
    """Why a lead's click on a callback changed nothing; `owner` is how the platform names the
    callback's owner (a mention, a display name), None when it cannot."""
    match outcome:
        case UnknownCallback():
            return say("callback.gone")
        case NotLeadChannel():
            return say("callback.not_lead_channel")
        case _ if outcome.callback.status is CallbackStatus.CLOSED:
            return say("callback.already_closed")
        case OwnedByOther():
            return say("callback.taken", owner=owner or say("callback.another_lead"))
        case NotOwner() | Closed() | Released() | Claimed():
            return say("callback.not_yours", owner=owner or say("callback.its_owner"))
        case _:
            assert_never(outcome)


_OUTCOMES = {
    Outcome.REACHED: "outcome.reached",
    Outcome.NOT_REACHED: "outcome.not_reached",
    Outcome.RESOLVED: "outcome.resolved",
    Outcome.NOT_RESOLVED: "outcome.not_resolved",
}


def outcome_label(outcome: Outcome) -> str:
    """What a lead reads for a callback's outcome: "Reached the person"."""
    return say(_OUTCOMES[outcome])


def short_day(day: date) -> str:
    """A week's Monday in a report or on a chart: "16 Nov"."""
    return say("day.short", day=day.day, month=_month(day))


def long_day(day: date) -> str:
    """ "16 Nov 2026"."""
    return say("day.long", day=day.day, month=_month(day), year=day.year)


def _month(day: date) -> str:
    return say("months").split()[day.month - 1]
