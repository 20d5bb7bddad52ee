"""Survey use cases: accept a closed ticket, record a score, record a comment."""

from __future__ import annotations

import logging

from bot import callbacks, intake, praise, tallies
from bot.callbacks_model import is_promoter
from bot.deps import Deps
from bot.itsm.close import Close, resolve_close
from bot.jobs import JobKind, queue_job
from bot.lost_time import check_lost_time
from bot.messages import CommentForm
from bot.model import (
    MAX_COMMENT_CHARS,
    CommentOutcome,
    CommentRecorded,
    NotRequester,
    OptedOut,
    OptOutOutcome,
    Survey,
    Ticket,
    TicketArrival,
    UnknownSurvey,
    check_drivers,
    form_order,
)

# Re-exported: callers know score recording as a survey use case.
from bot.scores import UPDATE_SURVEY as UPDATE_SURVEY
from bot.scores import is_requester, refused
from bot.scores import record_score as record_score
from bot.storable import storable
from bot.texts import say
from store import Conn, optouts, recipients
from store import surveys as rows
from store.intake import Accepted

log = logging.getLogger(__name__)

SEND_SURVEY = JobKind.SEND_SURVEY


class CommentTooLong(ValueError):
    """More than MAX_COMMENT_CHARS characters; nothing is stored."""


async def accept_ticket(deps: Deps, ticket: Ticket, delivery_id: str, body_sha256: str) -> Accepted:
    """Stores the ticket's survey and its DM job, committed before returning (concurrent
    tickets together: bot/intake.py); a known delivery or ticket is a no-op."""
    return await intake.accept(deps, TicketArrival(ticket, delivery_id, body_sha256))


async def accept_close(deps: Deps, close: Close, delivery_id: str, body_sha256: str) -> Accepted:
    """An ITSM tool's close: the requester and agent found through `[people]` if need be."""
    return await accept_ticket(deps, resolve_close(deps.directory, close), delivery_id, body_sha256)


async def opt_out(deps: Deps, survey_id: str, actor: str) -> OptOutOutcome:
    """ "Don't ask me again" on a survey: its requester is never surveyed again until opt-in."""
    async with deps.store.write() as conn:
        survey = await rows.get_survey(conn, survey_id)
        if survey is None:
            return UnknownSurvey(survey_id)
        if not await is_requester(conn, survey, actor):
            return refused(survey, "opt_out")
        await optouts.opt_out(conn, survey.ticket.requester_email, deps.clock.now())
        await _queue_update(deps, conn, survey_id, survey.platform.value)
    log.info("requester_opted_out", extra={"survey": survey_id})
    deps.wake_delivery()
    return OptedOut(survey)


async def opt_in(deps: Deps, platform: str, user_id: str) -> bool | None:
    """`/nps optin`: True if they were opted out, False if not, None if we don't know them."""
    async with deps.store.write() as conn:
        email = await recipients.email_of(conn, platform, user_id)
        if email is None:
            return None
        return await optouts.opt_in(conn, email)


async def comment_form(deps: Deps, survey_id: str, actor: str) -> CommentForm | NotRequester | None:
    """The requester's comment form (None: no such answered survey)."""
    async with deps.store.read() as conn:
        survey = await rows.get_survey(conn, survey_id)
        if survey is None or survey.answer is None:
            return None
        if not await is_requester(conn, survey, actor):
            return refused(survey, "comment_form")
    a = survey.answer
    return CommentForm(
        survey_id,
        survey.ticket.ticket_id,
        a.score,
        a.comment,
        a.drivers,
        offered(deps, survey),
        deps.directory.asks_lost_time(survey.team_key),
        a.lost_time,
    )


def offered(deps: Deps, survey: Survey) -> tuple[str, ...]:
    """The drivers this survey's comment form shows: its team's, in the survey's own order."""
    return form_order(deps.directory.drivers(survey.team_key), survey.id)


async def record_comment(
    deps: Deps,
    survey_id: str,
    comment: str | None,
    drivers: list[str],
    share_ok: bool = False,
    *,
    actor: str,
    lost_time: str | None = None,
) -> CommentOutcome:
    lost = check_lost_time(lost_time)
    text = storable(comment or "").strip() or None
    if text is not None and len(text) > MAX_COMMENT_CHARS:
        raise CommentTooLong(say("comment.at_most", max=MAX_COMMENT_CHARS))
    async with deps.store.write() as conn:
        survey = await rows.get_survey(conn, survey_id)
        if survey is None or survey.answer is None:
            return UnknownSurvey(survey_id)
        if not await is_requester(conn, survey, actor):
            return refused(survey, "comment")
        chosen = check_drivers(drivers, deps.directory.drivers(survey.team_key))
        lost = _lost_time(deps, survey, lost)
        now = deps.clock.now()
        await tallies.count_lost_time(conn, deps.directory, survey, lost)
        await rows.update_comment(conn, survey_id, text, list(chosen), now, share_ok, lost)
        await _queue_update(deps, conn, survey_id, survey.platform.value)
        await callbacks.refresh_alert(deps, conn, survey)
        if text and is_promoter(survey.answer.score):
            await praise.queue_praise(deps, conn, survey)
    log.info("survey_commented", extra={"survey": survey_id, "drivers": len(chosen)})
    deps.wake_delivery()
    return CommentRecorded(survey, text, chosen)


def _lost_time(deps: Deps, survey: Survey, submitted: str | None) -> str | None:
    """Not asked for this team: an old form's value changes nothing."""
    if deps.directory.asks_lost_time(survey.team_key) or survey.answer is None:
        return submitted
    return survey.answer.lost_time


async def _queue_update(deps: Deps, conn: Conn, survey_id: str, platform: str) -> None:
    await queue_job(deps, conn, UPDATE_SURVEY, survey_id, platform)
