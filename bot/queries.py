"""Answers a parsed /nps command (Slack) or chat command (Teams) with a neutral reply."""

from __future__ import annotations

from typing import assert_never

from bot import callbacks, commands, drivers, perception, reports, surveys, themes
from bot.deps import Deps
from bot.messages import Notice, Reply
from bot.model import Team
from bot.ports import DeliveryError
from bot.texts import say

# What `/nps optin` says, by what surveys.opt_in found: opted out, not opted out, never surveyed.
OPT_IN = {True: "optin.welcome_back", False: "optin.not_opted_out", None: "optin.never_surveyed"}


TeamQuery = commands.TeamScores | commands.TeamDrivers | commands.TeamGap | commands.TeamThemes


async def answer(
    deps: Deps, query: commands.Query, channel: str, user_id: str, *, platform: str
) -> Reply:
    match query:
        case commands.OptIn():
            return Notice(say(OPT_IN[await surveys.opt_in(deps, platform, user_id)]))
        case commands.ListCallbacks():
            found = await callbacks.list_callbacks(deps, channel, user_id)
            return found if found is not None else Notice(say("callbacks.not_lead_channel"))
        case (
            commands.TeamScores()
            | commands.TeamDrivers()
            | commands.TeamGap()
            | commands.TeamThemes()
        ):
            return await _about_team(deps, query, channel)
        case commands.AllTeams():
            return await reports.teams_overview(deps, query.weeks)
        case commands.MyScores():
            return await _my_scores(deps, platform, user_id, query.weeks)
        case commands.Help():
            return Notice(commands.help_text(query))
        case _:
            assert_never(query)


async def _my_scores(deps: Deps, platform: str, user_id: str, weeks: int) -> Reply:
    email = await _email_of(deps, platform, user_id)
    if email is None:
        return Notice(say("me.no_email"))
    return await reports.agent_report(deps, email, "you", weeks)


async def _about_team(deps: Deps, query: TeamQuery, channel: str) -> Reply:
    team = find_team(deps, query.team, channel)
    if isinstance(team, Notice):
        return team
    match query:
        case commands.TeamScores():
            return await reports.team_report(deps, team, query.weeks)
        case commands.TeamDrivers():
            return await drivers.driver_report(deps, team, query.weeks)
        case commands.TeamGap():
            return await perception.gap_report(deps, team, query.weeks)
        case commands.TeamThemes():
            return await themes.theme_report(deps, team, query.weeks)
        case _:
            assert_never(query)


def find_team(deps: Deps, name: str | None, channel: str) -> Team | Notice:
    directory = deps.directory
    if not directory.teams:
        return Notice(say("team.none"))
    if name is None:
        mine = [t for t in directory.teams if directory.is_lead_channel(t, channel)]
        if len(mine) == 1:
            return mine[0]
        return Notice(say("team.which", key=directory.teams[0].key, known=_known(deps)))
    team = directory.match(name)
    if team is None:
        return Notice(say("team.unknown", name=_echo(name), known=_known(deps)))
    return team


def _echo(text: str) -> str:
    # Said back inside formatted text: without markup characters it can only read as words.
    return "".join(c for c in text[:60] if c not in "<>&*_~`")


def _known(deps: Deps) -> str:
    names = [
        f"`{t.key}` ({t.name})" if t.name != t.key else f"`{t.key}`" for t in deps.directory.teams
    ]
    return say("team.known", teams=", ".join(names))


async def _email_of(deps: Deps, platform: str, user_id: str) -> str | None:
    messenger = deps.messengers.get(platform)
    if messenger is None:
        return None
    try:
        return await messenger.email_of(user_id)
    except DeliveryError:
        return None
