"""Praise: a 9–10 with a comment reaches the agent who earned it, and the team if allowed."""

from __future__ import annotations

import logging

from bot.deps import Deps
from bot.jobs import JobKind, complete_job, queue_job
from bot.messages import Praise
from bot.model import Survey
from bot.ports import DeliveryError, Messenger
from bot.recipients import recipient_for
from store import Conn
from store import surveys as rows
from store.outbox import Job

log = logging.getLogger(__name__)

SEND_PRAISE = JobKind.SEND_PRAISE


async def queue_praise(deps: Deps, conn: Conn, survey: Survey) -> None:
    if await rows.mark_praised(conn, survey.id, deps.clock.now()):
        await queue_job(deps, conn, SEND_PRAISE, survey.id, survey.platform.value)


async def send_praise(deps: Deps, messenger: Messenger, job: Job, owner: str) -> None:
    async with deps.store.read() as conn:
        survey = await rows.get_survey(conn, job.ref)
        shareable = await rows.share_ok(conn, job.ref)
    if survey is not None and survey.answer is not None and survey.answer.comment:
        agent_id = await _agent(deps, messenger, survey)
        team = deps.directory.by_key(survey.team_key)
        if agent_id is not None:
            await messenger.post(agent_id, _praise(survey, agent_id, for_team=False))
        kudos = deps.directory.kudos_channel(team) if team is not None else None
        if kudos and shareable:
            await messenger.post(kudos, _praise(survey, agent_id, for_team=True))
    await complete_job(deps, job, owner)


async def _agent(deps: Deps, messenger: Messenger, survey: Survey) -> str | None:
    email = survey.ticket.agent_email
    if not email:
        return None
    try:
        return (await recipient_for(deps, messenger, email)).user_id
    except DeliveryError as exc:
        if not exc.permanent:
            raise
        log.info("praise_agent_unknown", extra={"survey": survey.id, "reason": exc.reason})
        return None


def _praise(survey: Survey, agent_id: str | None, *, for_team: bool) -> Praise:
    t, a = survey.ticket, survey.answer
    assert a is not None  # noqa: S101 - only called for an answered survey
    return Praise(t.ticket_id, t.title, a.score, a.comment or "", agent_id, t.agent_name, for_team)
