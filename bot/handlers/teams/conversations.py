"""Remembers where the bot may write later: each conversation's reference, and who it is with."""

from __future__ import annotations

import logging

from botbuilder.core import TurnContext
from botbuilder.core.teams import TeamsInfo
from botbuilder.schema import Activity

from bot.deps import Deps
from store import teams as rows
from store.teams import PERSONAL, TeamsConversation

log = logging.getLogger(__name__)


def conversation_key(activity: Activity) -> str:
    """A channel message's conversation id names its thread (`…;messageid=…`): the channel is
    the part before, which is also what nps.toml's teams_lead_channel holds."""
    return str(activity.conversation.id).split(";", 1)[0]


def kind_of(activity: Activity) -> str:
    return str(activity.conversation.conversation_type or PERSONAL)


def user_id(activity: Activity) -> str:
    """Our Teams user id: the AAD object id, or the channel id where Teams gives none."""
    sender = activity.from_property
    return str(sender.aad_object_id or sender.id) if sender else ""


async def remember(deps: Deps, ctx: TurnContext) -> None:
    activity = ctx.activity
    key, kind = conversation_key(activity), kind_of(activity)
    reference = TurnContext.get_conversation_reference(activity)
    # Proactive sends start a new message (or thread), never a reply to this one.
    reference.activity_id = None
    reference.conversation.id = key
    if kind != PERSONAL:
        saved = TeamsConversation(key, kind[:16], reference.serialize())
        await _save(deps, saved)
        return
    sender = activity.from_property
    async with deps.store.read() as conn:
        known = await rows.by_id(conn, key)
    email = known.email if known and known.email else await _roster_email(ctx, sender.id)
    saved = TeamsConversation(
        key, PERSONAL, reference.serialize(), sender.id, sender.aad_object_id, email
    )
    await _save(deps, saved)


async def forget(deps: Deps, ctx: TurnContext) -> None:
    """The app was removed: Teams refuses sends there now, and "not installed" says why."""
    async with deps.store.write() as conn:
        await rows.forget(conn, conversation_key(ctx.activity))
    log.info("teams_conversation_forgotten", extra={"kind": kind_of(ctx.activity)})


async def _save(deps: Deps, conversation: TeamsConversation) -> None:
    async with deps.store.write() as conn:
        await rows.save(conn, conversation, deps.clock.now())
    log.info("teams_conversation_saved", extra={"kind": conversation.kind})


async def _roster_email(ctx: TurnContext, member_id: str) -> str | None:
    """The e-mail the ITSM tool will name this person by, from the Teams roster."""
    try:
        member = await TeamsInfo.get_member(ctx, member_id)
    except Exception as exc:
        # Without it this person cannot be surveyed yet; the next message tries again.
        log.warning("teams_roster_failed", extra={"error": type(exc).__name__})
        return None
    email = member.email or member.user_principal_name
    return str(email).lower() if email else None
