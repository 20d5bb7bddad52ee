"""Delivery of detractor alerts: posted once, then redrawn from the database on every change."""

from __future__ import annotations

from bot.callbacks import alert_for
from bot.deps import Deps
from bot.ports import Messenger
from store import callbacks as rows
from store import outbox
from store import surveys as survey_rows
from store.outbox import Job


async def post_alert(deps: Deps, messenger: Messenger, job: Job, owner: str) -> None:
    async with deps.store.read() as conn:
        callback = await rows.get_callback(conn, job.ref)
        survey = await survey_rows.get_survey(conn, callback.survey_id) if callback else None
        ref = await rows.alert_ref(conn, job.ref)
    if callback is not None and survey is not None and callback.channel is not None:
        alert = alert_for(callback, survey)
        if ref is None:
            ref = await messenger.post(callback.channel, alert)
        else:  # a retried post whose first try was recorded: converge by updating instead
            await messenger.update(ref, alert)
    async with deps.store.write() as conn:
        if ref is not None:
            await rows.set_alert_ref(conn, job.ref, ref)
        await outbox.complete(conn, job.id, owner, deps.clock.now())


async def update_alert(deps: Deps, messenger: Messenger, job: Job, owner: str) -> None:
    async with deps.store.read() as conn:
        callback = await rows.get_callback(conn, job.ref)
        survey = await survey_rows.get_survey(conn, callback.survey_id) if callback else None
        ref = await rows.alert_ref(conn, job.ref)
    # No ref yet: the pending post will draw the latest state itself.
    if callback is not None and survey is not None and ref is not None:
        await messenger.update(ref, alert_for(callback, survey))
    async with deps.store.write() as conn:
        await outbox.complete(conn, job.id, owner, deps.clock.now())
