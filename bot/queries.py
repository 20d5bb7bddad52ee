"""Answers a parsed /nps command (Slack) or chat command (Teams) with a neutral reply."""

from __future__ import annotations

from bot import callbacks, commands, surveys
from bot.deps import Deps
from bot.messages import CallbackList, Notice

Reply = Notice | CallbackList

OPT_IN = {
    True: "Welcome back: you'll be asked about your closed tickets again.",
    False: "You are not opted out: you are asked about your closed tickets already.",
    None: "I haven't surveyed you yet, so there is nothing to undo.",
}
NOT_A_LEAD_CHANNEL = (
    "Type `/nps callbacks` in a team's lead channel (as set in nps.toml) to see its open "
    "callbacks; admins listed in nps.toml see every team's from anywhere."
)


async def answer(
    deps: Deps, query: commands.Query, channel: str, user_id: str, *, platform: str
) -> Reply:
    if isinstance(query, commands.OptIn):
        return Notice(OPT_IN[await surveys.opt_in(deps, platform, user_id)])
    if isinstance(query, commands.ListCallbacks):
        found = await callbacks.list_callbacks(deps, channel, user_id)
        return found if found is not None else Notice(NOT_A_LEAD_CHANNEL)
    return Notice(commands.help_text(query))
