"""Queueing and completing delivery jobs, the same way for every kind."""

from __future__ import annotations

from datetime import timedelta
from enum import StrEnum

from bot.deps import Deps
from store import Conn, outbox
from store.outbox import Job


class JobKind(StrEnum):
    """Every kind of delivery job; bot.delivery runs each, and mypy checks that none is missed.
    The values are stored in the outbox, so they never change."""

    SEND_SURVEY = "survey_dm"
    UPDATE_SURVEY = "survey_update"
    POST_ALERT = "alert_post"
    UPDATE_ALERT = "alert_update"
    REMIND_CHANNEL = "callback_reminder"  # ref "<callback id>:<level>"
    REMIND_OWNER = "owner_reminder"  # ref "<callback id>"
    REMIND_SURVEY = "survey_reminder"
    SEND_PRAISE = "praise"
    POST_DIGEST = "digest"  # ref "<team key>:<Monday of the week it is posted in>"
    ERASE = "erase"  # ref "<erasure id>:<platform>"
    ASK_AGENT = "agent_guess"  # ref "<survey id>"
    UPDATE_GUESS = "agent_guess_update"  # ref "<survey id>"


async def queue_job(deps: Deps, conn: Conn, kind: JobKind, ref: str, platform: str) -> None:
    """In the caller's transaction, so the job exists if and only if the change does."""
    now = deps.clock.now()
    give_up = now + timedelta(hours=deps.settings.delivery_give_up_hours)
    await outbox.enqueue(conn, kind, ref, platform, now, give_up)


async def complete_job(deps: Deps, job: Job, owner: str) -> None:
    async with deps.store.write() as conn:
        await outbox.complete(conn, job.id, owner, deps.clock.now())
