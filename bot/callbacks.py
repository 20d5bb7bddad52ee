"""Callback use cases: open one for a detractor, claim it, release it, record the outcome."""

from __future__ import annotations

import logging
import secrets
from datetime import datetime, timedelta

from bot import access
from bot.business_hours import add_business_hours
from bot.callbacks_model import (
    Callback,
    Claimed,
    ClaimOutcome,
    Closed,
    NotLeadChannel,
    NotOwner,
    Outcome,
    OwnedByOther,
    OwnerOutcome,
    Released,
    UnknownCallback,
)
from bot.deps import Deps
from bot.jobs import JobKind, queue_job
from bot.messages import (
    CallbackLine,
    CallbackList,
    DetractorAlert,
    OutcomeForm,
    RequesterDetails,
)
from bot.model import MAX_COMMENT_CHARS, Survey
from bot.storable import storable
from bot.texts import say
from store import Conn
from store import callbacks as rows
from store import surveys as survey_rows

log = logging.getLogger(__name__)

POST_ALERT = JobKind.POST_ALERT
UPDATE_ALERT = JobKind.UPDATE_ALERT


async def open_callback(deps: Deps, conn: Conn, survey: Survey) -> None:
    """Inside the answer's transaction: the alert exists if and only if the answer does."""
    now = deps.clock.now()
    channel = deps.directory.lead_channel(survey.team_key, survey.platform.value)
    new_id = secrets.token_hex(8)
    tz = deps.directory.timezone(survey.team_key)
    escalate_at = add_business_hours(now, deps.directory.escalate_hours(survey.team_key), tz)
    created = await rows.insert_callback(
        conn, new_id, survey.id, survey.team_key, channel, now, escalate_at
    )
    if created is None:
        return
    if channel is None:
        log.warning("callback_without_channel", extra={"callback": created})
        return
    await queue_job(deps, conn, POST_ALERT, created, survey.platform.value)


async def refresh_alert(deps: Deps, conn: Conn, survey: Survey) -> None:
    """A comment arrived after the alert: redraw it (a no-op when there is no callback)."""
    callback = await rows.callback_for_survey(conn, survey.id)
    if callback is not None and callback.channel is not None:
        await queue_job(deps, conn, UPDATE_ALERT, callback.id, survey.platform.value)


async def claim_callback(deps: Deps, callback_id: str, actor: str, channel: str) -> ClaimOutcome:
    """`channel` is where the click came from: a lead channel the alert or its reminder went to,
    unless the actor is an admin. A copied button clicked in a DM claims nothing."""
    async with deps.store.write() as conn:
        callback = await rows.get_callback(conn, callback_id)
        if callback is None:
            return UnknownCallback(callback_id)
        if not access.may_claim(
            actor, channel, claim_channels(deps, callback), deps.directory.admins
        ):
            log.warning("callback_claim_refused", extra={"callback": callback_id})
            return NotLeadChannel(callback)
        won = await rows.claim(conn, callback_id, actor, deps.clock.now())
        callback = await rows.get_callback(conn, callback_id) or callback
        if not won:
            return OwnedByOther(callback)
        await queue_job(deps, conn, UPDATE_ALERT, callback_id, await platform_of(conn, callback))
    log.info("callback_claimed", extra={"callback": callback_id})
    deps.wake_delivery()
    return Claimed(callback)


async def release_callback(deps: Deps, callback_id: str, user_id: str) -> OwnerOutcome:
    async with deps.store.write() as conn:
        done = await rows.release(conn, callback_id, _owner_filter(deps, user_id))
        result = await _after_owner_action(deps, conn, callback_id, done, Released)
    deps.wake_delivery()  # after the commit, or the worker may look before the job exists
    return result


async def record_outcome(
    deps: Deps, callback_id: str, user_id: str, outcome: Outcome, notes: str | None
) -> OwnerOutcome:
    text = storable(notes or "").strip()[:MAX_COMMENT_CHARS] or None
    async with deps.store.write() as conn:
        owner = _owner_filter(deps, user_id)
        done = await rows.close(conn, callback_id, owner, outcome, text, deps.clock.now())
        result = await _after_owner_action(deps, conn, callback_id, done, Closed)
    deps.wake_delivery()
    return result


def claim_channels(deps: Deps, callback: Callback) -> tuple[str | None, ...]:
    """Where the alert and its reminders carry a Call back button: the lead channel it was
    posted to, the team's lead channel now, and the escalation channel."""
    platform = deps.directory.platform(callback.team_key)
    return (
        callback.channel,
        deps.directory.lead_channel(callback.team_key, platform),
        deps.directory.escalation_channel(callback.team_key, platform),
    )


def _owner_filter(deps: Deps, user_id: str) -> str | None:
    # None lets an admin act on any callback; everyone else only on their own.
    return None if user_id in deps.directory.admins else user_id


async def _after_owner_action(
    deps: Deps, conn: Conn, callback_id: str, done: bool, result: type[Released] | type[Closed]
) -> OwnerOutcome:
    callback = await rows.get_callback(conn, callback_id)
    if callback is None:
        return UnknownCallback(callback_id)
    if not done:
        return NotOwner(callback)
    await queue_job(deps, conn, UPDATE_ALERT, callback_id, await platform_of(conn, callback))
    log.info("callback_changed", extra={"callback": callback_id, "status": callback.status.value})
    return result(callback)


async def platform_of(conn: Conn, callback: Callback) -> str:
    survey = await survey_rows.get_survey(conn, callback.survey_id)
    return survey.platform.value if survey else "slack"


async def requester_details(deps: Deps, callback: Callback, actor: str) -> RequesterDetails | None:
    """The requester's contact, for the callback's owner only (None for anyone else)."""
    if not actor or callback.owner_id != actor:
        return None
    async with deps.store.read() as conn:
        survey = await survey_rows.get_survey(conn, callback.survey_id)
    if survey is None:
        return None
    t = survey.ticket
    return RequesterDetails(t.ticket_id, survey.recipient_id, t.requester_email)


async def outcome_form(
    deps: Deps, callback_id: str, actor: str
) -> OutcomeForm | NotOwner | UnknownCallback:
    """The Done form, for the callback's owner or an admin."""
    async with deps.store.read() as conn:
        callback = await rows.get_callback(conn, callback_id)
        survey = await survey_rows.get_survey(conn, callback.survey_id) if callback else None
    if callback is None or survey is None:
        return UnknownCallback(callback_id)
    if not access.may_manage(actor, callback.owner_id, deps.directory.admins):
        return NotOwner(callback)
    return OutcomeForm(callback_id, survey.ticket.ticket_id)


def alert_for(callback: Callback, survey: Survey) -> DetractorAlert:
    t, a = survey.ticket, survey.answer
    assert a is not None  # noqa: S101 - a callback exists only for an answered survey
    return DetractorAlert(
        callback.id,
        t.ticket_id,
        t.title,
        t.url,
        survey.recipient_id,
        t.agent_name,
        survey.team_label,
        a.score,
        a.comment,
        a.drivers,
        callback.status,
        callback.owner_id,
        callback.claimed_at,
        callback.closed_at,
        callback.outcome,
        callback.created_at,
    )


def age(since: datetime, now: datetime) -> timedelta:
    return max(timedelta(0), now - since)


async def list_callbacks(deps: Deps, channel: str, user_id: str) -> CallbackList | None:
    """None when this is nobody's lead channel and the user is no admin."""
    channel_teams = _teams_of_channel(deps, channel)
    teams: list[str | None] | None = channel_teams
    if user_id in deps.directory.admins:
        teams, scope = None, say("list.all_teams")
    elif not channel_teams:
        return None
    else:
        scope = ", ".join(_team_name(deps, k) for k in channel_teams)
    now = deps.clock.now()
    async with deps.store.read() as conn:
        found = await rows.open_callbacks(conn, teams)
        surveys = [await survey_rows.get_survey(conn, survey_id) for _, survey_id in found]
    lines = [
        CallbackLine(
            s.ticket.ticket_id,
            s.ticket.title,
            s.answer.score if s.answer else 0,
            s.team_label,
            c.owner_id,
            age(c.created_at, now),
        )
        for (c, _), s in zip(found, surveys, strict=True)
        if s is not None
    ]
    return CallbackList(tuple(lines), scope)


def _teams_of_channel(deps: Deps, channel: str) -> list[str | None]:
    keys: list[str | None] = [
        t.key for t in deps.directory.teams if deps.directory.is_lead_channel(t, channel)
    ]
    if channel in (deps.directory.default_lead_channel, deps.directory.default_teams_lead_channel):
        keys.append(None)  # unknown teams' alerts go to the default channel
    return keys


def _team_name(deps: Deps, key: str | None) -> str:
    team = deps.directory.by_key(key)
    return team.name if team else say("list.unknown_teams")
