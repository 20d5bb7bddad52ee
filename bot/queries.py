"""Answers a parsed /nps command (Slack) or chat command (Teams) with a neutral reply."""

from __future__ import annotations

from bot import callbacks, commands
from bot.deps import Deps
from bot.messages import CallbackList, Notice

Reply = Notice | CallbackList

NOT_A_LEAD_CHANNEL = (
    "Type `/nps callbacks` in a team's lead channel (as set in nps.toml) to see its open "
    "callbacks; admins listed in nps.toml see every team's from anywhere."
)


async def answer(deps: Deps, query: commands.Query, channel: str, user_id: str) -> Reply:
    if isinstance(query, commands.ListCallbacks):
        found = await callbacks.list_callbacks(deps, channel, user_id)
        return found if found is not None else Notice(NOT_A_LEAD_CHANNEL)
    return Notice(commands.help_text(query))
