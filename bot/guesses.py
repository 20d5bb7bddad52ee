"""The agent's guess: when a ticket closes, its agent says how they think the requester will
rate it. Asked through the outbox like a survey, answered once, by that agent only, until the
survey closes; the answer is never shown to the agent through it (issue 15)."""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass

from bot import tallies
from bot.deps import Deps
from bot.guess_messages import GuessPrompt, GuessThanks
from bot.jobs import JobKind, complete_job, queue_job
from bot.model import Platform, Survey, SurveyState, Ticket, check_score
from bot.ports import DeliveryError, Messenger, Recipient
from bot.recipients import recipient_for
from bot.texts import say
from store import Conn, guesses, outbox
from store import surveys as rows
from store.outbox import Job

log = logging.getLogger(__name__)

ASKABLE = frozenset({SurveyState.SENT, SurveyState.ANSWERED})


def sampled(source: str, ticket_id: str, rate: float) -> bool:
    """The same answer for a ticket on every replica and every retry: a hash, not a coin."""
    digest = hashlib.sha256(f"{source}:{ticket_id}".encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2**64 < rate


async def queue_ask(
    deps: Deps, conn: Conn, survey_id: str, platform: Platform, team_key: str | None, t: Ticket
) -> None:
    """In accept_ticket's transaction, after the survey's own job: the outbox runs the jobs of
    one survey in order, so the agent is asked once the requester's DM has gone out."""
    on, rate = deps.directory.asks_agent(team_key)
    if not on or not sampled(t.source, t.ticket_id, rate):
        return
    if not t.agent_email:
        deps.metrics.guesses.labels("no_agent").inc()
        return
    await queue_job(deps, conn, JobKind.ASK_AGENT, survey_id, platform.value)


async def ask_agent(deps: Deps, messenger: Messenger, job: Job, owner: str) -> None:
    async with deps.store.read() as conn:
        survey = await rows.get_survey(conn, job.ref)
        known = await guesses.get(conn, job.ref)
    if survey is None or (known and known.message) or not _askable(deps, survey):
        await complete_job(deps, job, owner)  # the requester was never reached, or asked before
        return
    agent = await _agent(deps, messenger, survey)
    if agent is None:
        deps.metrics.guesses.labels("agent_unknown").inc()
        await complete_job(deps, job, owner)
        return
    async with deps.store.write() as conn:
        await guesses.ask(conn, survey.id, agent.user_id, survey.team_key, deps.clock.now())
    name = await _requester_name(messenger, survey)
    ref = await messenger.send_dm(agent, GuessPrompt(survey.id, survey.ticket.ticket_id, name))
    async with deps.store.write() as conn:
        await guesses.sent(conn, survey.id, ref)
        await outbox.complete(conn, job.id, owner, deps.clock.now())
    deps.metrics.guesses.labels("asked").inc()
    log.info("agent_asked", extra={"survey": survey.id, "platform": job.platform})


def _askable(deps: Deps, survey: Survey) -> bool:
    return survey.state in ASKABLE and not survey.is_expired(deps.clock.now())


async def _agent(deps: Deps, messenger: Messenger, survey: Survey) -> Recipient | None:
    """The agent on this platform; None (skipped, counted) when the platform does not know them."""
    try:
        return await recipient_for(deps, messenger, survey.ticket.agent_email or "")
    except DeliveryError as exc:
        if not exc.permanent:
            raise
        log.info("agent_unknown", extra={"survey": survey.id, "reason": exc.reason})
        return None


async def _requester_name(messenger: Messenger, survey: Survey) -> str | None:
    if survey.recipient_id is None:
        return None
    try:
        return await messenger.display_name(survey.recipient_id)
    except DeliveryError:
        return None  # a name is a nicety: the question goes out without it


@dataclass(frozen=True, slots=True)
class GuessRecorded:
    survey_id: str
    ticket_id: str
    score: int


@dataclass(frozen=True, slots=True)
class GuessRefused:
    """Not the agent asked, an unknown question, a closed survey, or a second guess."""

    text: str


GuessOutcome = GuessRecorded | GuessRefused


async def record_guess(deps: Deps, survey_id: str, score: int, actor: str) -> GuessOutcome:
    """The first guess by the agent asked wins; anyone else is refused before learning more."""
    check_score(score)
    now = deps.clock.now()
    async with deps.store.write() as conn:
        guess = await guesses.get(conn, survey_id)
        survey = await rows.get_survey(conn, survey_id) if guess else None
        if guess is None or survey is None:
            return GuessRefused(say("guess.gone"))
        if not actor or actor != guess.agent_id:
            log.warning("guess_refused", extra={"survey": survey_id})
            return GuessRefused(say("guess.not_yours"))
        if guess.score is not None:
            return GuessRefused(say("guess.already", score=guess.score))
        if survey.state is SurveyState.EXPIRED or survey.is_expired(now):
            return GuessRefused(say("guess.closed"))
        if not await guesses.record(conn, survey_id, actor, score, now):
            return GuessRefused(say("guess.already", score=score))  # a concurrent click of the same
        await tallies.count_guess(conn, deps.directory, survey_id, score)
        await queue_job(deps, conn, JobKind.UPDATE_GUESS, survey_id, survey.platform.value)
    deps.metrics.guesses.labels("guessed").inc()
    log.info("agent_guessed", extra={"survey": survey_id})
    deps.wake_delivery()
    return GuessRecorded(survey_id, survey.ticket.ticket_id, score)


async def update_guess(deps: Deps, messenger: Messenger, job: Job, owner: str) -> None:
    """Redraws the agent's question as answered, from the database (a late job shows the latest)."""
    async with deps.store.read() as conn:
        guess = await guesses.get(conn, job.ref)
        survey = await rows.get_survey(conn, job.ref)
    if guess is not None and survey is not None and guess.message and guess.score is not None:
        name = await _requester_name(messenger, survey)
        thanks = GuessThanks(survey.ticket.ticket_id, name, guess.score)
        await messenger.update(guess.message, thanks)
    await complete_job(deps, job, owner)
