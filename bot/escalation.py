"""Escalation: unclaimed callbacks are re-posted, then escalated; slow owners are reminded."""

from __future__ import annotations

import logging
from datetime import datetime

from bot.business_hours import DAY_END, DAY_START, add_business_hours
from bot.callbacks import platform_of
from bot.callbacks_model import Callback
from bot.deps import Deps
from bot.jobs import JobKind, queue_job
from bot.reminders import remind_unanswered
from store import callbacks as rows

log = logging.getLogger(__name__)

REMIND_CHANNEL = JobKind.REMIND_CHANNEL
REMIND_OWNER = JobKind.REMIND_OWNER
LEVELS = 2  # 1: reminder in the leads' channel; 2: the escalation channel
HOURS_PER_DAY = (DAY_END.hour - DAY_START.hour) + (DAY_END.minute - DAY_START.minute) / 60


def reminder_channel(deps: Deps, callback: Callback, level: int) -> str | None:
    """Level 1 reminds the leads' channel; level 2 goes to the escalation channel, if any."""
    if level == 1:
        return callback.channel
    platform = deps.directory.platform(callback.team_key)
    return deps.directory.escalation_channel(callback.team_key, platform)


async def escalate_overdue(deps: Deps) -> int:
    """Takes every escalation step that is due; safe to run on every replica at once."""
    now = deps.clock.now()
    async with deps.store.read() as conn:
        due = await rows.due_escalations(conn, now, LEVELS)
    taken = 0
    for callback, level in due:
        taken += await _escalate(deps, callback, level, now)
    taken += await _remind_owners(deps, now)
    taken += await remind_unanswered(deps)
    if taken:
        deps.wake_delivery()
    return taken


async def _escalate(deps: Deps, callback: Callback, level: int, now: datetime) -> int:
    tz = deps.directory.timezone(callback.team_key)
    later = add_business_hours(now, deps.directory.escalate_hours(callback.team_key), tz)
    next_at = later if level + 1 < LEVELS else None
    channel = reminder_channel(deps, callback, level + 1)
    async with deps.store.write() as conn:
        if not await rows.advance_escalation(conn, callback.id, level, next_at):
            return 0  # another replica took this step
        if channel is not None:
            platform = await platform_of(conn, callback)
            await queue_job(deps, conn, REMIND_CHANNEL, f"{callback.id}:{level + 1}", platform)
    log.info("callback_escalated", extra={"callback": callback.id, "level": level + 1})
    return 1


async def _remind_owners(deps: Deps, now: datetime) -> int:
    async with deps.store.read() as conn:
        claimed = await rows.claimed_unreminded(conn)
    sent = 0
    for callback in claimed:
        tz = deps.directory.timezone(callback.team_key)
        hours = deps.directory.owner_reminder(callback.team_key) * HOURS_PER_DAY
        if callback.claimed_at is None or add_business_hours(callback.claimed_at, hours, tz) > now:
            continue
        async with deps.store.write() as conn:
            if await rows.mark_owner_reminded(conn, callback.id, now):
                await queue_job(
                    deps, conn, REMIND_OWNER, callback.id, await platform_of(conn, callback)
                )
                sent += 1
    return sent
