"""Queueing and completing delivery jobs, the same way for every kind."""

from __future__ import annotations

from datetime import timedelta

from bot.deps import Deps
from store import Conn, outbox
from store.outbox import Job


async def queue_job(deps: Deps, conn: Conn, kind: str, ref: str, platform: str) -> None:
    """In the caller's transaction, so the job exists if and only if the change does."""
    now = deps.clock.now()
    give_up = now + timedelta(hours=deps.settings.delivery_give_up_hours)
    await outbox.enqueue(conn, kind, ref, platform, now, give_up)


async def queue_jobs(deps: Deps, conn: Conn, kind: str, refs: list[tuple[str, str]]) -> None:
    """`queue_job` for several (ref, platform) pairs in one statement."""
    now = deps.clock.now()
    give_up = now + timedelta(hours=deps.settings.delivery_give_up_hours)
    await outbox.enqueue_many(conn, kind, refs, now, give_up)


async def complete_job(deps: Deps, job: Job, owner: str) -> None:
    async with deps.store.write() as conn:
        await outbox.complete(conn, job.id, owner, deps.clock.now())
