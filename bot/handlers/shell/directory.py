"""The teams as the terminal sees them: every team on the shell, with channels named after it."""

from __future__ import annotations

from dataclasses import replace

from bot.demo import DEFAULT_TEAMS
from bot.directory import TeamDirectory
from bot.model import Platform, Team

DEFAULT_LEADS = "#leads"  # alerts of tickets whose team nps.toml does not know


def lead_channel(key: str) -> str:
    return f"#{key}-leads"


def _on_shell(team: Team) -> Team:
    # The team's own Slack or Teams channels stay theirs: the shell posts to its own, so a
    # survey answered here never reaches a real workspace, and real ones never come here.
    kudos = team.slack_kudos_channel or team.teams_kudos_channel
    return replace(
        team,
        platform=Platform.SHELL,
        slack_lead_channel=lead_channel(team.key),
        slack_escalation_channel=f"#{team.key}-escalation"
        if team.slack_escalation_channel
        else None,
        slack_kudos_channel=f"#{team.key}-kudos" if kudos else None,
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
    teams = tuple(_on_shell(t) for t in base.teams)
    # A fresh _index: `replace` would hand the old one, which maps names to the old teams.
    shell = replace(
        base,
        teams=teams,
        _index={},
        default_platform=Platform.SHELL,
        admins=frozenset(),
        default_lead_channel=DEFAULT_LEADS,
        default_teams_lead_channel=None,
        default_escalation_channel=None,
    )
    return shell, configured
