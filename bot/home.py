"""A person's home page in the chat app: the surveys waiting for them, their opt-out, and for a
lead their teams' scores and the callbacks they can act on. Neutral values; no platform words.

Who counts as a lead here: Slack names a channel's members only through `conversations.members`,
which needs scopes npsbot does not ask for (channels:read, groups:read). So the rules the
callbacks already follow decide, and nothing new: an admin (nps.toml `admins`) may claim any
callback from anywhere, so sees every open one and every team; anyone sees the callbacks they
own (they may close or release them) and the scores of those callbacks' teams.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from datetime import timedelta

from bot import access, callbacks, reports
from bot.callbacks_model import Callback
from bot.deps import Deps
from bot.messages import SurveyPrompt, prompt_for
from bot.model import Survey
from bot.ports import DeliveryError
from bot.report_messages import TeamsOverview
from store import Conn, optouts, recipients
from store import callbacks as callback_rows
from store import surveys as survey_rows

log = logging.getLogger(__name__)

HOME_WEEKS = 4  # the teams' scores: as `/nps teams`, the last four weeks and the four before
MAX_PENDING = 10


@dataclass(frozen=True, slots=True)
class HomeCallback:
    """An open callback as its viewer may act on it."""

    callback_id: str
    ticket_id: str
    title: str
    score: int
    team_label: str
    owner_id: str | None
    waited: timedelta
    may_claim: bool  # unclaimed, and the viewer may claim it from here (no channel)
    may_close: bool  # the viewer may close or release it: its owner, or an admin
    requester_email: str | None  # told to the callback's owner only


@dataclass(frozen=True, slots=True)
class HomePage:
    user_id: str
    pending: tuple[SurveyPrompt, ...]
    opted_out: bool | None  # None: no e-mail known for this person, so no switch
    lead: bool
    teams: TeamsOverview | None  # None: no team to show
    callbacks: tuple[HomeCallback, ...]


async def home_page(deps: Deps, platform: str, user_id: str) -> HomePage:
    email = await _email(deps, platform, user_id)
    admin = bool(user_id) and user_id in deps.directory.admins
    async with deps.store.read() as conn:
        pending: list[Survey] = []
        opted_out = None
        if email is not None:
            now = deps.clock.now()
            pending = await survey_rows.pending_for(
                conn, email, (platform, user_id), now, MAX_PENDING
            )
            opted_out = await optouts.is_opted_out(conn, email)
        found = await (
            callback_rows.open_callbacks(conn, None)
            if admin
            else callback_rows.owned_open(conn, user_id)
        )
        lines = [await _line(deps, conn, c, sid, user_id) for c, sid in found]
    shown = tuple(line for line in lines if line is not None)
    teams = await _teams(deps, admin, {c.team_key for c, _ in found})
    prompts = tuple(prompt_for(s) for s in pending)
    return HomePage(user_id, prompts, opted_out, admin or bool(shown), teams, shown)


async def _line(
    deps: Deps, conn: Conn, callback: Callback, survey_id: str, viewer: str
) -> HomeCallback | None:
    survey = await survey_rows.get_survey(conn, survey_id)
    if survey is None or survey.answer is None:
        return None
    admins = deps.directory.admins
    owner = callback.owner_id
    t = survey.ticket
    return HomeCallback(
        callback.id,
        t.ticket_id,
        t.title,
        survey.answer.score,
        survey.team_label,
        owner,
        callbacks.age(callback.created_at, deps.clock.now()),
        may_claim=owner is None and access.may_claim(viewer, "", (), admins),
        may_close=owner is not None and access.may_manage(viewer, owner, admins),
        requester_email=t.requester_email if owner == viewer else None,
    )


async def _teams(deps: Deps, admin: bool, keys: set[str | None]) -> TeamsOverview | None:
    """Every team for an admin; else the teams of the callbacks one owns (maybe none)."""
    if not admin and not keys:
        return None
    overview = await reports.teams_overview(deps, HOME_WEEKS)
    if admin:
        return overview
    return replace(overview, lines=tuple(ln for ln in overview.lines if ln.team_key in keys))


async def _email(deps: Deps, platform: str, user_id: str) -> str | None:
    """The e-mail the person's tickets carry: the one we surveyed them at, else their profile's."""
    if not user_id:
        return None
    async with deps.store.read() as conn:
        known = await recipients.email_of(conn, platform, user_id)
    if known is not None:
        return known
    messenger = deps.messengers.get(platform)
    try:
        found = await messenger.email_of(user_id) if messenger else None
    except DeliveryError:
        return None
    return found.lower() if found else None


async def set_opt_out(deps: Deps, platform: str, user_id: str, out: bool) -> bool | None:
    """The Home switch, for oneself only: True if it changed, None if we can't tell who it is."""
    email = await _email(deps, platform, user_id)
    if email is None:
        return None
    async with deps.store.write() as conn:
        was_out = await optouts.is_opted_out(conn, email)
        if out and not was_out:
            await optouts.opt_out(conn, email, deps.clock.now())
        elif not out and was_out:
            await optouts.opt_in(conn, email)
    log.info("opt_out_switched", extra={"platform": platform, "out": out})
    return was_out != out
