"""The in-process alarm clock. It only ticks; the database decides what is due and who does it."""

from __future__ import annotations

from apscheduler.schedulers.asyncio import AsyncIOScheduler

from bot.delivery import DeliveryWorker
from bot.escalation import escalate_overdue
from bot.settings import Settings


def make_scheduler(settings: Settings, worker: DeliveryWorker) -> AsyncIOScheduler:
    # A memory job store on purpose: APScheduler 3 cannot share a store between replicas; every
    # replica ticks, and the rows each tick claims are what make work happen once.
    scheduler = AsyncIOScheduler(timezone="UTC")

    async def delivery_tick() -> None:
        # A coroutine, so APScheduler runs it on the loop: a plain function would go to its
        # thread pool, and asyncio.Event.set() is not thread-safe.
        worker.wake()

    scheduler.add_job(
        delivery_tick, "interval", seconds=settings.delivery_poll_seconds, id="delivery_tick",
        coalesce=True, max_instances=1,
    )  # fmt: skip
    scheduler.add_job(
        escalate_overdue, "interval", args=[worker.deps], seconds=60, id="escalation_tick",
        coalesce=True, max_instances=1,
    )  # fmt: skip
    return scheduler
