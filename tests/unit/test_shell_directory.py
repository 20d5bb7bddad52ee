"""The teams as the shell sees them: its own channels, nps.toml's rules, the demo's teams."""

from __future__ import annotations

import tomllib

from bot.demo import DEFAULT_TEAMS
from bot.directory import TeamDirectory, parse_directory
from bot.handlers.shell.directory import shell_directory
from bot.model import Platform

TOML = """\
[defaults]
slack_lead_channel = "C0DEFAULT"
reminder_after_hours = 8

[[team]]
key = "eus"
name = "End User Services"
aliases = ["Service Desk"]
slack_lead_channel = "C0LEADS"
slack_escalation_channel = "C0ITMGMT"
slack_kudos_channel = "C0KUDOS"

[[team]]
key = "net"
name = "Network"
platform = "teams"
teams_lead_channel = "19:abc@thread.tacv2"

[[team]]
key = "apps"
name = "Business Apps"
"""


def _directory() -> TeamDirectory:
    return parse_directory(tomllib.loads(TOML), TOML, "nps.toml")


def test_every_team_is_on_the_shell_with_channels_named_after_it() -> None:
    shell, configured = shell_directory(_directory())
    assert configured
    assert {t.platform for t in shell.teams} == {Platform.SHELL}
    assert shell.lead_channel("eus", Platform.SHELL) == "#eus-leads"
    assert shell.lead_channel("net", Platform.SHELL) == "#net-leads"  # a Teams team too
    assert shell.lead_channel(None, Platform.SHELL) == "#leads"
    channels = [c for t in shell.teams for c in (t.slack_lead_channel, t.teams_lead_channel)]
    assert not any(c and (c.startswith("C0") or c.startswith("19:")) for c in channels)


def test_names_and_aliases_find_the_shell_team_and_the_rules_stay() -> None:
    shell, _ = shell_directory(_directory())
    found = shell.match("service desk")
    assert found is not None
    assert found.platform is Platform.SHELL
    assert shell.reminder_hours("eus") == 8


def test_escalation_and_kudos_only_where_the_real_directory_has_them() -> None:
    """So an escalation step the shell takes for a real callback still queues its reminder."""
    real, (shell, _) = _directory(), shell_directory(_directory())
    for key in ("eus", "net", "apps"):
        team = real.by_key(key)
        assert team is not None
        has = real.escalation_channel(key, team.platform) is not None
        assert (shell.escalation_channel(key, Platform.SHELL) is not None) == has, key
    assert shell.escalation_channel("eus", Platform.SHELL) == "#eus-escalation"
    assert shell.escalation_channel("apps", Platform.SHELL) is None
    eus = shell.by_key("eus")
    assert eus is not None
    assert shell.kudos_channel(eus) == "#eus-kudos"


def test_without_nps_toml_the_demos_sample_teams() -> None:
    shell, configured = shell_directory(TeamDirectory())
    assert not configured
    assert [(t.key, t.name) for t in shell.teams] == list(DEFAULT_TEAMS)
    assert shell.match("eus") is not None
