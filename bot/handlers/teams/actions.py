"""Adaptive Card actions: parse the card's data, call one use case, say what happened.

The same verbs arrive as `adaptiveCard/action` invokes (Action.Execute) and, from clients too
old for those, as messages carrying an Action.Submit's data; both end up here.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, assert_never

from bot import callbacks, guesses, surveys, texts
from bot.access import NOT_YOUR_SURVEY
from bot.callbacks_model import (
    Claimed,
    Closed,
    NotLeadChannel,
    NotOwner,
    Outcome,
    OwnedByOther,
    Released,
    UnknownCallback,
)
from bot.deadline import within, within_waiting
from bot.deps import Deps
from bot.guess_messages import GuessThanks
from bot.handlers.teams import elements, render, render_alerts, render_survey
from bot.handlers.teams.ids import Input, Verb
from bot.handlers.teams.messenger import TeamsMessenger
from bot.lost_time import LostTimeError
from bot.messages import ScoreThanks
from bot.model import (
    CommentRecorded,
    NotRequester,
    OptedOut,
    ScoreError,
    ScoreOutcome,
    ScoreRecorded,
)
from bot.texts import outcome_label, say

log = logging.getLogger(__name__)

Data = dict[str, Any]
FAILED = say("click.failed")
NO_SURVEY = say("score.no_survey")
OPTED_OUT = say("opted_out")


@dataclass(frozen=True, slots=True)
class Answer:
    """A card that replaces the one clicked, or a few words for the person who clicked."""

    text: str | None = None
    summary: str = ""
    card: elements.Card | None = None


def _card(rendered: tuple[str, elements.Card]) -> Answer:
    return Answer(summary=rendered[0], card=rendered[1])


@dataclass(frozen=True, slots=True)
class Clicker:
    """Who clicked, and in which conversation: the use cases decide whether they may."""

    user: str
    channel: str


async def run(deps: Deps, messenger: TeamsMessenger, verb: str, data: Data, who: Clicker) -> Answer:
    if verb not in {v.value for v in Verb}:
        return Answer(text=say("click.unknown_button"))
    handler = handler_for(Verb(verb))
    try:
        return await handler(deps, messenger, data, who)
    except Exception:
        # Nothing was stored (each use case commits or rolls back whole); ask for another click.
        log.exception("teams_action_failed", extra={"verb": verb})
        return Answer(text=FAILED)


async def _score(deps: Deps, _m: TeamsMessenger, data: Data, who: Clicker) -> Answer:
    survey_id, score = str(data.get("survey", "")), data.get("score")
    try:
        outcome = await within_waiting(
            surveys.record_score(deps, survey_id, int(str(score)), who.user)
        )
    except (ScoreError, ValueError):
        return Answer(text=say("click.not_a_score"))
    if isinstance(outcome, ScoreRecorded):
        t, offered = outcome.survey.ticket, surveys.offered(deps, outcome.survey)
        asks = deps.directory.asks_lost_time(outcome.survey.team_key)
        thanks = ScoreThanks(
            survey_id, t.ticket_id, t.title, outcome.score, offered=offered, ask_lost_time=asks
        )
        return _card(render_survey.score_thanks(thanks))
    return Answer(text=score_notice(outcome))


def score_notice(outcome: ScoreOutcome) -> str | None:
    return texts.score_notice(outcome)


async def _comment(deps: Deps, _m: TeamsMessenger, data: Data, who: Clicker) -> Answer:
    survey_id, text, drivers, share, lost = _comment_inputs(data)
    try:
        outcome = await within(
            surveys.record_comment(
                deps, survey_id, text, drivers, share, actor=who.user, lost_time=lost
            )
        )
    except surveys.CommentTooLong as exc:
        return Answer(text=say("comment.too_long", reason=exc))
    except LostTimeError as exc:
        return Answer(text=say("form.refused", reason=exc))
    if isinstance(outcome, NotRequester):
        return Answer(text=NOT_YOUR_SURVEY)
    if not isinstance(outcome, CommentRecorded) or outcome.survey.answer is None:
        return Answer(text=NO_SURVEY)
    return _card(
        render_survey.score_thanks(_thanks(deps, outcome, outcome.survey.answer.score, lost))
    )


def _thanks(deps: Deps, outcome: CommentRecorded, score: int, lost: str | None) -> ScoreThanks:
    """The thanks card again, now showing what was said, with the form to change it."""
    s = outcome.survey
    return ScoreThanks(
        s.id,
        s.ticket.ticket_id,
        s.ticket.title,
        score,
        outcome.comment,
        outcome.drivers,
        offered=surveys.offered(deps, s),
        ask_lost_time=deps.directory.asks_lost_time(s.team_key),
        lost_time=lost,
    )


def _comment_inputs(data: Data) -> tuple[str, str | None, list[str], bool, str | None]:
    """The comment card's inputs, as Teams merges them into the action's data."""
    comment = data.get(Input.COMMENT.value)
    drivers = [d for d in str(data.get(Input.DRIVERS.value) or "").split(",") if d]
    share = str(data.get(Input.SHARE.value, "")).lower() == "true"
    lost = str(data.get(Input.LOST_TIME.value) or "") or None
    text = comment if isinstance(comment, str) else None
    return str(data.get("survey", "")), text, drivers, share, lost


async def _opt_out(deps: Deps, _m: TeamsMessenger, data: Data, who: Clicker) -> Answer:
    # The card itself is redrawn for the requester by the delivery worker.
    done = await surveys.opt_out(deps, str(data.get("survey", "")), who.user)
    if isinstance(done, NotRequester):
        return Answer(text=NOT_YOUR_SURVEY)
    return Answer(text=OPTED_OUT if isinstance(done, OptedOut) else NO_SURVEY)


async def _guess(deps: Deps, _m: TeamsMessenger, data: Data, who: Clicker) -> Answer:
    survey_id, score = str(data.get("survey", "")), data.get("score")
    try:
        outcome = await within(guesses.record_guess(deps, survey_id, int(str(score)), who.user))
    except (ScoreError, ValueError):
        return Answer(text=say("click.not_a_score"))
    if isinstance(outcome, guesses.GuessRefused):
        return Answer(text=outcome.text)
    # The worker redraws the card too (with the requester's name), so every client shows it.
    return _card(render.guess_card(GuessThanks(outcome.ticket_id, None, outcome.score)))


async def _claim(deps: Deps, messenger: TeamsMessenger, data: Data, who: Clicker) -> Answer:
    callback_id = str(data.get("callback", ""))
    outcome = await callbacks.claim_callback(deps, callback_id, who.user, who.channel)
    if not isinstance(outcome, Claimed):
        return Answer(text=await _refusal(messenger, outcome))
    details = await callbacks.requester_details(deps, outcome.callback, who.user)
    if details is None:
        return Answer(text=say("callback.yours"))
    name = (await messenger.names([details.requester_id])).get(details.requester_id or "")
    return Answer(text=render_alerts.requester_details(details, name))


async def _release(deps: Deps, messenger: TeamsMessenger, data: Data, who: Clicker) -> Answer:
    outcome = await callbacks.release_callback(deps, str(data.get("callback", "")), who.user)
    if isinstance(outcome, Released):
        return Answer(text=say("callback.released"))
    return Answer(text=await _refusal(messenger, outcome))


async def _done(deps: Deps, messenger: TeamsMessenger, data: Data, who: Clicker) -> Answer:
    outcome = Outcome.chosen(str(data.get(Input.OUTCOME.value, "")))
    notes = data.get(Input.NOTES.value)
    callback_id = str(data.get("callback", ""))
    result = await callbacks.record_outcome(
        deps, callback_id, who.user, outcome, notes if isinstance(notes, str) else None
    )
    if isinstance(result, Closed):
        return Answer(text=say("callback.closed", outcome=outcome_label(outcome)))
    return Answer(text=await _refusal(messenger, result))


async def _refusal(
    messenger: TeamsMessenger,
    outcome: OwnedByOther | NotOwner | UnknownCallback | NotLeadChannel | Closed | Released,
) -> str:
    owner = None
    if not isinstance(outcome, UnknownCallback | NotLeadChannel):
        owner_id = outcome.callback.owner_id
        owner = (await messenger.names([owner_id])).get(owner_id or "")
    return texts.refusal(outcome, owner)


Handler = Callable[[Deps, TeamsMessenger, Data, Clicker], Awaitable[Answer]]


def handler_for(verb: Verb) -> Handler:
    match verb:
        case Verb.SCORE:
            return _score
        case Verb.COMMENT:
            return _comment
        case Verb.OPT_OUT:
            return _opt_out
        case Verb.CLAIM:
            return _claim
        case Verb.RELEASE:
            return _release
        case Verb.DONE:
            return _done
        case Verb.GUESS:
            return _guess
        case _:
            assert_never(verb)
