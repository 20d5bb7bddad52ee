"""Queueing and completing delivery jobs, the same way for every kind."""

from __future__ import annotations

from datetime import timedelta
from enum import StrEnum
from functools import partial

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


async def queue_jobs(deps: Deps, conn: Conn, kind: JobKind, refs: list[tuple[str, str]]) -> None:
    """`queue_job` for several (ref, platform) pairs in one statement."""
    now = deps.clock.now()
    give_up = now + timedelta(hours=deps.settings.delivery_give_up_hours)
    await outbox.enqueue_many(conn, kind, refs, now, give_up)


async def complete_job(deps: Deps, job: Job, owner: str) -> None:
    """Commits before returning; jobs finishing together share the transaction (group commit):
    under a burst of thank-yous a write per job held the write lock that clicks wait for."""
    await deps.completions.submit((job.id, owner), partial(_complete_all, deps))


async def _complete_all(deps: Deps, jobs: list[tuple[int, str]]) -> list[bool]:
    by_owner: dict[str, list[int]] = {}
    for job_id, owner in jobs:
        by_owner.setdefault(owner, []).append(job_id)
    done: set[int] = set()
    async with deps.store.write(brief=True) as conn:
        now = deps.clock.now()
        for owner, ids in by_owner.items():
            done |= await outbox.complete_many(conn, ids, owner, now)
    return [job_id in done for job_id, _ in jobs]
