"""Delivery of detractor alerts: posted once, then redrawn from the database on every change."""

from __future__ import annotations

from bot.callbacks import alert_for
from bot.callbacks_model import Callback, CallbackStatus
from bot.deps import Deps
from bot.escalation import reminder_channel
from bot.jobs import complete_job
from bot.messages import CallbackReminder, OwnerReminder
from bot.model import Survey
from bot.ports import MessageRef, Messenger
from store import callbacks as rows
from store import outbox
from store import surveys as survey_rows
from store.outbox import Job


async def _state(
    deps: Deps, callback_id: str
) -> tuple[Callback | None, Survey | None, MessageRef | None]:
    """The callback, its answered survey, and where its alert was posted (if it was)."""
    async with deps.store.read() as conn:
        callback = await rows.get_callback(conn, callback_id)
        survey = await survey_rows.get_survey(conn, callback.survey_id) if callback else None
        ref = await rows.alert_ref(conn, callback_id)
    return callback, survey, ref


async def post_alert(deps: Deps, messenger: Messenger, job: Job, owner: str) -> None:
    callback, survey, ref = await _state(deps, job.ref)
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
    callback, survey, ref = await _state(deps, job.ref)
    # No ref yet: the pending post will draw the latest state itself.
    if callback is not None and survey is not None and ref is not None:
        await messenger.update(ref, alert_for(callback, survey))
    await complete_job(deps, job, owner)


async def remind_channel(deps: Deps, messenger: Messenger, job: Job, owner: str) -> None:
    callback_id, _, level = job.ref.partition(":")
    callback, survey, _ = await _state(deps, callback_id)
    # Claimed or closed meanwhile: the reminder has nothing left to ask for.
    if callback is not None and survey is not None and callback.status is CallbackStatus.OPEN:
        channel = reminder_channel(deps, callback, int(level))
        if channel is not None:
            await messenger.post(channel, _reminder(callback, survey, int(level)))
    await complete_job(deps, job, owner)


def _reminder(callback: Callback, survey: Survey, level: int) -> CallbackReminder:
    t, score = survey.ticket, survey.answer.score if survey.answer else 0
    return CallbackReminder(
        callback.id, t.ticket_id, t.title, score, survey.team_label, level, callback.created_at
    )


async def remind_owner(deps: Deps, messenger: Messenger, job: Job, owner: str) -> None:
    callback, survey, _ = await _state(deps, job.ref)
    note = _owner_note(callback, survey)
    if note is not None and callback is not None and callback.owner_id:
        # Slack opens the app's DM with a user when the channel is their user id.
        await messenger.post(callback.owner_id, note)
    await complete_job(deps, job, owner)


def _owner_note(callback: Callback | None, survey: Survey | None) -> OwnerReminder | None:
    # Closed or released meanwhile: nothing to remind anyone of.
    if callback is None or survey is None or callback.status is not CallbackStatus.CLAIMED:
        return None
    if callback.claimed_at is None:
        return None
    t = survey.ticket
    return OwnerReminder(callback.id, t.ticket_id, t.title, callback.claimed_at)
