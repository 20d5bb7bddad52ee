"""One reminder for a survey left unanswered, never two, whatever the number of replicas."""

from __future__ import annotations

import logging
from datetime import timedelta

from bot.deps import Deps
from bot.jobs import queue_job
from store import surveys as rows

log = logging.getLogger(__name__)

REMIND_SURVEY = "survey_reminder"


async def remind_unanswered(deps: Deps) -> int:
    hours = deps.directory.reminder_after_hours
    if hours <= 0:
        return 0
    now = deps.clock.now()
    async with deps.store.read() as conn:
        due = await rows.due_reminders(conn, now - timedelta(hours=hours), now)
    sent = 0
    for survey_id in due:
        async with deps.store.write() as conn:
            if not await rows.mark_reminded(conn, survey_id, now):
                continue
            survey = await rows.get_survey(conn, survey_id)
            platform = survey.platform.value if survey else "slack"
            await queue_job(deps, conn, REMIND_SURVEY, survey_id, platform)
        sent += 1
    if sent:
        log.info("survey_reminders_queued", extra={"count": sent})
        deps.wake_delivery()
    return sent
