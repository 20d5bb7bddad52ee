"""One reminder for a survey left unanswered, never two, whatever the number of replicas."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from bot.deps import Deps
from bot.directory import TeamDirectory
from bot.jobs import JobKind, queue_job
from store import surveys as rows

log = logging.getLogger(__name__)

REMIND_SURVEY = JobKind.REMIND_SURVEY


def _reminder_groups(directory: TeamDirectory) -> list[tuple[float, list[str] | None]]:
    """(hours, teams) per reminder delay; teams None: every team without its own delay."""
    own: dict[float, list[str]] = {}
    for team in directory.teams:
        hours = directory.reminder_hours(team.key)
        if hours != directory.reminder_after_hours:
            own.setdefault(hours, []).append(team.key)
    groups: list[tuple[float, list[str] | None]] = list(own.items())
    return [*groups, (directory.reminder_after_hours, None)]


async def _due(deps: Deps, now: datetime) -> list[str]:
    groups = _reminder_groups(deps.directory)
    exclude = [key for _, keys in groups if keys for key in keys]
    due: list[str] = []
    async with deps.store.read() as conn:
        for hours, keys in groups:
            if hours > 0:  # 0: this team's requesters are never reminded
                cutoff = now - timedelta(hours=hours)
                rest = exclude if keys is None else ()
                due += await rows.due_reminders(conn, cutoff, now, only=keys, exclude=rest)
    return due


async def remind_unanswered(deps: Deps) -> int:
    now = deps.clock.now()
    due = await _due(deps, now)
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
