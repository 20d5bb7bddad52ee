"""The teams as the terminal sees them: every team on the shell, with channels named after it."""

from __future__ import annotations

from dataclasses import replace

from bot.demo import DEFAULT_TEAMS
from bot.directory import TeamDirectory
from bot.model import Platform, Team

DEFAULT_LEADS = "#leads"  # alerts of tickets whose team nps.toml does not know


def lead_channel(key: str) -> str:
    return f"#{key}-leads"


def _on_shell(base: TeamDirectory, team: Team) -> Team:
    # The shell posts to channels of its own, named after the team, so nothing it sends reaches
    # a workspace. It has an escalation or kudos channel where the real directory has one: an
    # escalation step the shell takes for a Slack or Teams callback then still queues its
    # reminder, which `npsbot serve` delivers to the real channel.
    escalates = base.escalation_channel(team.key, team.platform) is not None
    return replace(
        team,
        platform=Platform.SHELL,
        slack_lead_channel=lead_channel(team.key),
        slack_escalation_channel=f"#{team.key}-escalation" if escalates else None,
        slack_kudos_channel=f"#{team.key}-kudos" if base.kudos_channel(team) else None,
        slack_digest_channel=None,
        teams_lead_channel=None,
        teams_digest_channel=None,
        teams_kudos_channel=None,
    )


def sample_directory() -> TeamDirectory:
    """No nps.toml: the teams `npsbot demo` fills when none are configured, so its history shows."""
    return TeamDirectory(teams=tuple(Team(key, name) for key, name in DEFAULT_TEAMS))


def shell_directory(directory: TeamDirectory) -> tuple[TeamDirectory, bool]:
    """The directory to use, and whether it is nps.toml's (False: the demo's sample teams)."""
    configured = bool(directory.teams)
    base = directory if configured else sample_directory()
    teams = tuple(_on_shell(base, t) for t in base.teams)
    escalates = base.escalation_channel(None, base.default_platform) is not None
    shell = replace(
        base,
        teams=teams,
        default_platform=Platform.SHELL,
        admins=frozenset(),
        default_lead_channel=DEFAULT_LEADS,
        default_teams_lead_channel=None,
        default_escalation_channel="#escalation" if escalates else None,
    )
    return shell, configured
