"""The ActivityHandler: remember conversations, answer commands, run card actions. No rules here."""

from __future__ import annotations

import logging
from typing import Any

from botbuilder.core import ActivityHandler, InvokeResponse, TurnContext
from botbuilder.schema import Activity, ActivityTypes, ChannelAccount

from bot import commands, queries
from bot.deps import Deps
from bot.handlers.teams import actions, render, replies
from bot.handlers.teams.conversations import (
    conversation_key,
    forget,
    kind_of,
    remember,
    user_id,
)
from bot.handlers.teams.messenger import TeamsMessenger, card_activity
from bot.messages import Notice
from store.teams import CHANNEL, PERSONAL

log = logging.getLogger(__name__)

# The activities that say where the bot is and who with; card clicks add nothing new.
REMEMBERED = frozenset(
    {
        ActivityTypes.message,
        ActivityTypes.conversation_update,
        ActivityTypes.installation_update,
    }
)
UNINSTALLED = frozenset({"remove", "remove-upgrade"})
CARD_ACTION = "adaptiveCard/action"


class NpsBot(ActivityHandler):  # type: ignore[misc]  # botbuilder ships no types
    def __init__(self, deps: Deps, messenger: TeamsMessenger) -> None:
        self.deps = deps
        self.messenger = messenger

    async def on_turn(self, turn_context: TurnContext) -> None:
        activity = turn_context.activity
        await super().on_turn(turn_context)
        # After the turn: one that fails is answered 400 and must have changed nothing (the
        # fuzz suite found a malformed message whose conversation was kept all the same).
        if activity.type in REMEMBERED and activity.action not in UNINSTALLED:
            await remember(self.deps, turn_context)

    async def on_installation_update_remove(self, turn_context: TurnContext) -> None:
        await forget(self.deps, turn_context)

    async def on_message_activity(self, turn_context: TurnContext) -> None:
        activity = turn_context.activity
        value: Any = activity.value
        if isinstance(value, dict) and value.get("verb"):  # an Action.Submit fallback
            verb, who = str(value["verb"]), _clicker(activity)
            answer = await actions.run(self.deps, self.messenger, verb, value, who)
            await replies.answer_submit(turn_context, answer)
            return
        await self._command(turn_context)

    async def _command(self, turn_context: TurnContext) -> None:
        activity = turn_context.activity
        query = commands.parse(TurnContext.remove_recipient_mention(activity) or "")
        channel = conversation_key(activity)
        try:
            reply = await queries.answer(
                self.deps, query, channel, user_id(activity), platform="teams"
            )
        except Exception:
            log.exception("command_failed", extra={"command": type(query).__name__})
            reply = Notice(replies.COMMAND_FAILED)
        in_channel = channel if kind_of(activity) != PERSONAL else None
        summary, card = await replies.reply_card(reply, self.messenger, in_channel)
        await turn_context.send_activity(card_activity(summary, card))

    async def on_members_added_activity(
        self, members_added: list[ChannelAccount], turn_context: TurnContext
    ) -> None:
        activity = turn_context.activity
        bot_added = any(m.id == activity.recipient.id for m in members_added)
        if bot_added and kind_of(activity) == CHANNEL:
            notice = Notice(replies.WELCOME_TEAM)
            rendered = render.notice(notice, conversation_key(activity))
            await turn_context.send_activity(card_activity(*rendered))

    async def on_invoke_activity(self, turn_context: TurnContext) -> InvokeResponse:
        activity = turn_context.activity
        if activity.name != CARD_ACTION:
            return await super().on_invoke_activity(turn_context)
        value: Any = activity.value if isinstance(activity.value, dict) else {}
        action = value.get("action") or {}
        data: dict[str, Any] = action["data"] if isinstance(action.get("data"), dict) else {}
        verb = str(action.get("verb") or "")
        answer = await actions.run(self.deps, self.messenger, verb, data, _clicker(activity))
        return replies.invoke_response(answer)


def _clicker(activity: Activity) -> actions.Clicker:
    return actions.Clicker(user_id(activity), conversation_key(activity))
