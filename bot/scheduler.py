"""The in-process alarm clock. It only ticks; the database decides what is due and who does it."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.cron import CronTrigger

from bot.delivery import DeliveryWorker
from bot.deps import Deps
from bot.digests import send_digests
from bot.escalation import escalate_overdue
from bot.retention import purge_expired
from bot.settings import Settings

Job = Callable[[Deps], Awaitable[object]]


class RunningJobs:
    """The job runs in flight, so shutdown can let them end while the store is still open.

    APScheduler's shutdown(wait=False) leaves a running coroutine job behind; cancelled later, by
    the loop's own close, its transaction would wait on a database already closed."""

    def __init__(self) -> None:
        self.tasks: set[asyncio.Task[object]] = set()

    def tracked(self, job: Job) -> Job:
        async def run(deps: Deps) -> object:
            task = asyncio.current_task()
            assert task is not None  # noqa: S101 - APScheduler awaits jobs inside a task
            self.tasks.add(task)
            try:
                return await job(deps)
            finally:
                self.tasks.discard(task)

        return run

    async def finish(self, grace_seconds: float = 10.0) -> None:
        """Waits for them, and cancels only what still runs after the grace period: a cancel that
        lands in a SQLite commit makes SQLAlchemy terminate the connection, which can hang."""
        if not self.tasks:
            return
        _done, late = await asyncio.wait(set(self.tasks), timeout=grace_seconds)
        for task in late:
            task.cancel()
        await asyncio.gather(*late, return_exceptions=True)


def make_scheduler(
    settings: Settings, worker: DeliveryWorker, running: RunningJobs
) -> AsyncIOScheduler:
    # A memory job store on purpose: APScheduler 3 cannot share a store between replicas; every
    # replica ticks, and the rows each tick claims are what make work happen once.
    scheduler = AsyncIOScheduler(timezone="UTC")
    _add_delivery_tick(scheduler, worker, settings.delivery_poll_seconds)
    scheduler.add_job(
        running.tracked(escalate_overdue),
        "interval",
        args=[worker.deps],
        seconds=60,
        id="escalation_tick",
        coalesce=True,
        max_instances=1,
    )
    _add_retention_jobs(scheduler, worker.deps, running)
    add_digest_jobs(scheduler, worker.deps, running)
    return scheduler


def _add_delivery_tick(scheduler: AsyncIOScheduler, worker: DeliveryWorker, seconds: float) -> None:
    async def delivery_tick() -> None:
        # A coroutine, so APScheduler runs it on the loop: a plain function would go to its
        # thread pool, and asyncio.Event.set() is not thread-safe.
        worker.wake()

    scheduler.add_job(
        delivery_tick,
        "interval",
        seconds=seconds,
        id="delivery_tick",
        coalesce=True,
        max_instances=1,
    )


def _add_retention_jobs(scheduler: AsyncIOScheduler, deps: Deps, running: RunningJobs) -> None:
    """Hourly, and once at start-up: the day's run row lets only the first tick of a day purge."""
    scheduler.add_job(
        running.tracked(purge_expired),
        "interval",
        args=[deps],
        hours=1,
        id="retention_tick",
        coalesce=True,
        max_instances=1,
    )
    scheduler.add_job(running.tracked(purge_expired), args=[deps], id="retention_catch_up")


def add_digest_jobs(scheduler: AsyncIOScheduler, deps: Deps, running: RunningJobs) -> None:
    """A cron trigger per distinct digest time and time zone, plus one run at start-up.

    Every replica fires them; send_digests inserts the (team, week) run row, so only one posts.
    The start-up run catches up a digest missed while no replica was running (within a day)."""
    times = {(t.timezone, t.digest) for t in deps.directory.teams if t.digest is not None}
    for tz, when in sorted(times, key=str):
        assert when is not None  # noqa: S101 - filtered above; narrows the type
        scheduler.add_job(
            running.tracked(send_digests),
            CronTrigger(day_of_week=when.weekday, hour=when.hour, minute=when.minute, timezone=tz),
            args=[deps],
            id=f"digest:{tz}:{when.weekday}:{when.hour}:{when.minute}",
            coalesce=True,
            max_instances=1,
            misfire_grace_time=3600,
        )
    if times:
        scheduler.add_job(running.tracked(send_digests), args=[deps], id="digest_catch_up")
