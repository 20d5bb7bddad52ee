"""Recording score clicks. Concurrent clicks share one transaction (group commit): each click
returns only after the transaction holding its answer and its thank-you job has committed."""

from __future__ import annotations

import logging
from datetime import datetime
from functools import partial

from bot import access, callbacks, tallies
from bot.callbacks_model import is_detractor
from bot.deps import Deps
from bot.jobs import JobKind, queue_jobs
from bot.model import (
    AlreadyAnswered,
    NotRequester,
    ScoreClick,
    ScoreOutcome,
    ScoreRecorded,
    Survey,
    SurveyExpired,
    UnknownSurvey,
    check_score,
)
from store import Conn, recipients
from store import surveys as rows

log = logging.getLogger(__name__)

UPDATE_SURVEY = JobKind.UPDATE_SURVEY


async def record_score(deps: Deps, survey_id: str, score: int, actor: str) -> ScoreOutcome:
    """The first score by the requester wins; later clicks learn what was recorded; anyone
    else is refused before learning anything. Commits before returning."""
    check_score(score)
    return await deps.scores.submit(ScoreClick(survey_id, score, actor), partial(_record, deps))


async def _record(deps: Deps, clicks: list[ScoreClick]) -> list[ScoreOutcome]:
    now = deps.clock.now()
    async with deps.store.write(brief=True) as conn:
        found = await rows.get_surveys(conn, {c.survey_id for c in clicks})
        taken: dict[str, int] = {}  # a second click in this batch on the same survey
        outcomes = [await _decide(conn, found.get(c.survey_id), c, now, taken) for c in clicks]
        won = await _store(deps, conn, clicks, outcomes, now)
    if won:
        deps.metrics.survey("answered", len(won))
        # One line per transaction, not per answer: a line each cost 5 % of a click's CPU
        # under load (issue 13); grepping a survey's id still finds it.
        ids = " ".join(outcome.survey.id for outcome in won)
        log.info("surveys_answered", extra={"count": len(won), "surveys": ids})
        deps.wake_delivery()
    return outcomes


async def _decide(
    conn: Conn, survey: Survey | None, click: ScoreClick, now: datetime, taken: dict[str, int]
) -> ScoreOutcome:
    if survey is None:
        return UnknownSurvey(click.survey_id)
    if not await is_requester(conn, survey, click.actor):
        return refused(survey, "score")
    if survey.answer is not None:
        return AlreadyAnswered(survey, survey.answer.score)
    if survey.id in taken:
        return AlreadyAnswered(survey, taken[survey.id])
    if survey.is_expired(now):
        return SurveyExpired(survey)
    taken[survey.id] = click.score
    return ScoreRecorded(survey, click.score)


async def _store(
    deps: Deps, conn: Conn, clicks: list[ScoreClick], outcomes: list[ScoreOutcome], now: datetime
) -> list[ScoreRecorded]:
    """Inserts the new answers, their thank-you jobs and detractors' callbacks; an answer
    another replica stored first turns its outcome (in place) into AlreadyAnswered."""
    fresh = [(i, o) for i, o in enumerate(outcomes) if isinstance(o, ScoreRecorded)]
    if not fresh:
        return []
    answers = [(o.survey, o.score, clicks[i].actor) for i, o in fresh]
    stored = await rows.insert_answers(conn, answers, now)
    if lost := {o.survey.id for _, o in fresh if o.survey.id not in stored}:
        _learn_lost(outcomes, lost, await rows.get_surveys(conn, lost))
    won = [o for _, o in fresh if o.survey.id in stored]
    await queue_jobs(
        deps, conn, UPDATE_SURVEY, [(o.survey.id, o.survey.platform.value) for o in won]
    )
    for o in won:
        if is_detractor(o.score):
            await callbacks.open_callback(deps, conn, o.survey)
    await tallies.count_answers(conn, deps.directory, [(o.survey, o.score) for o in won], now)
    return won


def _learn_lost(outcomes: list[ScoreOutcome], lost: set[str], current: dict[str, Survey]) -> None:
    """Every click of this batch on a survey whose answer another transaction stored first
    learns that answer: the one that lost, and those told it was already recorded by it."""
    for i, o in enumerate(outcomes):
        if isinstance(o, ScoreRecorded | AlreadyAnswered) and o.survey.id in lost:
            existing = current.get(o.survey.id)
            score = existing.answer.score if existing and existing.answer else o.score
            outcomes[i] = AlreadyAnswered(o.survey, score)


async def is_requester(conn: Conn, survey: Survey, actor: str) -> bool:
    """The person the survey was sent to. Before the DM is marked sent, the cached lookup of
    the requester's e-mail names them: a click can race the worker's commit."""
    ids = [survey.recipient_id]
    if survey.recipient_id is None:
        email = survey.ticket.requester_email
        cached = await recipients.cached_recipient(conn, survey.platform.value, email)
        ids.append(cached.user_id if cached else None)
    return access.is_requester(actor, ids)


def refused(survey: Survey, action: str) -> NotRequester:
    log.warning("survey_action_refused", extra={"survey": survey.id, "action": action})
    return NotRequester(survey.id)
