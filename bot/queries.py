"""Answers a parsed /nps command (Slack) or chat command (Teams) with a neutral reply."""

from __future__ import annotations

from typing import assert_never

from bot import callbacks, commands, drivers, perception, reports, surveys, themes
from bot.deps import Deps
from bot.messages import Notice, Reply
from bot.model import Team
from bot.ports import DeliveryError

OPT_IN = {
    True: "Welcome back: you'll be asked about your closed tickets again.",
    False: "You are not opted out: you are asked about your closed tickets already.",
    None: "I haven't surveyed you yet, so there is nothing to undo.",
}
NOT_A_LEAD_CHANNEL = (
    "Type `/nps callbacks` in a team's lead channel (as set in nps.toml) to see its open "
    "callbacks; admins listed in nps.toml see every team's from anywhere."
)
NO_EMAIL = (
    "I couldn't read your e-mail address from your profile, so I can't find your tickets. "
    "Ask your admin to check that npsbot may read e-mail addresses."
)


TeamQuery = commands.TeamScores | commands.TeamDrivers | commands.TeamGap | commands.TeamThemes


async def answer(
    deps: Deps, query: commands.Query, channel: str, user_id: str, *, platform: str
) -> Reply:
    match query:
        case commands.OptIn():
            return Notice(OPT_IN[await surveys.opt_in(deps, platform, user_id)])
        case commands.ListCallbacks():
            found = await callbacks.list_callbacks(deps, channel, user_id)
            return found if found is not None else Notice(NOT_A_LEAD_CHANNEL)
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
        return Notice(NO_EMAIL)
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
        return Notice("No teams are configured yet: your admin lists them in nps.toml.")
    if name is None:
        mine = [t for t in directory.teams if directory.is_lead_channel(t, channel)]
        if len(mine) == 1:
            return mine[0]
        return Notice(
            f"Which team? For example `/nps team {directory.teams[0].key}`.\n{_known(deps)}"
        )
    team = directory.match(name)
    if team is None:
        return Notice(f"I don't know a team called “{_echo(name)}”.\n{_known(deps)}")
    return team


def _echo(text: str) -> str:
    # Said back inside formatted text: without markup characters it can only read as words.
    return "".join(c for c in text[:60] if c not in "<>&*_~`")


def _known(deps: Deps) -> str:
    names = [
        f"`{t.key}` ({t.name})" if t.name != t.key else f"`{t.key}`" for t in deps.directory.teams
    ]
    return "Known teams: " + ", ".join(names) + "."


async def _email_of(deps: Deps, platform: str, user_id: str) -> str | None:
    messenger = deps.messengers.get(platform)
    if messenger is None:
        return None
    try:
        return await messenger.email_of(user_id)
    except DeliveryError:
        return None
