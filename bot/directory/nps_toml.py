"""Reads `nps.toml` into a TeamDirectory: its sections, its [[team]] tables, and where each is."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.directory import values as check
from bot.directory.teams import TeamDirectory, fold
from bot.directory.values import ConfigError
from bot.model import DEFAULT_DRIVERS, DigestTime, Platform, Team

_KEY = re.compile(r"[a-z0-9][a-z0-9_-]{0,31}")
TEAM_KEYS = {
    "key",
    "name",
    "aliases",
    "slack_lead_channel",
    "timezone",
    "slack_escalation_channel",
    "slack_kudos_channel",
    "platform",
    "teams_lead_channel",
    "slack_digest_channel",
    "teams_digest_channel",
    "digest",
    "teams_kudos_channel",
    "min_answers",
    "drivers",
    "escalate_after_hours",
    "owner_reminder_days",
    "reminder_after_hours",
    "survey_every_days",
    "ask_agent",
    "ask_agent_rate",
    "ask_lost_time",
}
DEFAULT_KEYS = {
    "slack_lead_channel",
    "timezone",
    "admins",
    "escalate_after_hours",
    "owner_reminder_days",
    "slack_escalation_channel",
    "survey_every_days",
    "reminder_after_hours",
    "platform",
    "teams_lead_channel",
    "digest",
    "min_answers",
    "retention_days",
    "resurvey_after_days",
    "drivers",
    "ask_agent",
    "ask_agent_rate",
    "ask_lost_time",
}
MAX_CONFIG_BYTES = 1024 * 1024


def load_directory(path: Path, *, required: bool) -> TeamDirectory:
    if not path.exists():
        if required:
            raise ConfigError(f"{path}: file not found")
        return TeamDirectory()
    raw = path.read_bytes()
    if len(raw) > MAX_CONFIG_BYTES:
        raise ConfigError(f"{path}: larger than 1 MiB")
    try:
        text = raw.decode("utf-8")
        data = tomllib.loads(text)
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: not UTF-8 text") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: {exc}") from None
    return parse_directory(data, text, str(path))


def parse_directory(data: dict[str, Any], text: str, name: str) -> TeamDirectory:
    unknown = set(data) - {"defaults", "team", "benchmark", "people"}
    if unknown:
        raise ConfigError(f"{name}: unknown section {sorted(unknown)[0]!r}")
    where = f"{name}:{_line(text, '[defaults]')}: [defaults]"
    defaults = check.section(data.get("defaults", {}), where)
    check.reject_unknown(defaults, DEFAULT_KEYS, where)
    default_tz = check.timezone(defaults.get("timezone", "UTC"), where)
    teams_raw = data.get("team", [])
    if not isinstance(teams_raw, list):
        raise ConfigError(f"{name}: 'team' must be written as [[team]] tables")
    base = _Inherited(
        timezone=default_tz,
        platform=check.platform(defaults.get("platform", "slack"), where),
        digest=check.digest(defaults.get("digest", "mon 09:00"), where),
        min_answers=check.min_answers(defaults.get("min_answers", 5), where),
        drivers=check.drivers(defaults.get("drivers", list(DEFAULT_DRIVERS)), where),
    )
    teams = [
        _team(t, f"{name}:{_line(text, '[[team]]', i)}: [[team]] #{i + 1}", base)
        for i, t in enumerate(teams_raw)
    ]
    _check_unique(teams, name)
    return _directory(tuple(teams), defaults, where, base, data, text, name)


# long: one entry per [defaults] key, in the order they are checked (the first error is named)
def _directory(
    teams: tuple[Team, ...],
    defaults: dict[str, Any],
    where: str,
    base: _Inherited,
    data: dict[str, Any],
    text: str,
    name: str,
) -> TeamDirectory:
    return TeamDirectory(
        teams=teams,
        default_lead_channel=check.channel(defaults.get("slack_lead_channel"), where),
        default_timezone=base.timezone,
        admins=check.admins(defaults.get("admins", []), where),
        escalate_after_hours=check.positive(
            defaults.get("escalate_after_hours", 4), where, "escalate_after_hours"
        ),
        owner_reminder_days=check.positive(
            defaults.get("owner_reminder_days", 2), where, "owner_reminder_days"
        ),
        survey_every_days=check.non_negative(
            defaults.get("survey_every_days", 0), where, "survey_every_days"
        ),
        reminder_after_hours=check.non_negative(
            defaults.get("reminder_after_hours", 24), where, "reminder_after_hours"
        ),
        default_escalation_channel=check.channel(
            defaults.get("slack_escalation_channel"), where, "slack_escalation_channel"
        ),
        default_platform=base.platform,
        default_teams_lead_channel=check.teams_channel(defaults.get("teams_lead_channel"), where),
        benchmark=check.benchmark(data.get("benchmark"), f"{name}:{_line(text, '[benchmark]')}"),
        default_min_answers=base.min_answers,
        retention_days=check.retention_days(defaults.get("retention_days", 730), where),
        resurvey_after_days=check.non_negative(
            defaults.get("resurvey_after_days", 30), where, "resurvey_after_days"
        ),
        people=check.people(data.get("people", {}), f"{name}:{_line(text, '[people]')}: [people]"),
        default_drivers=base.drivers,
        ask_agent=check.flag(defaults.get("ask_agent", False), where, "ask_agent"),
        ask_agent_rate=check.rate(defaults.get("ask_agent_rate", 1.0), where),
        ask_lost_time=check.flag(defaults.get("ask_lost_time", False), where, "ask_lost_time"),
    )


@dataclass(frozen=True, slots=True)
class _Inherited:
    """What a [[team]] takes from [defaults] unless it says otherwise."""

    timezone: str
    platform: Platform
    digest: DigestTime | None
    drivers: tuple[str, ...]
    min_answers: int = 5


# long: one entry per [[team]] key, in the order they are checked (the first error is named)
def _team(raw: object, where: str, base: _Inherited) -> Team:
    table = check.section(raw, where)
    check.reject_unknown(table, TEAM_KEYS, where)
    key, name, aliases = _identity(table, where)
    return Team(
        key=key,
        name=name,
        aliases=aliases,
        slack_lead_channel=check.channel(table.get("slack_lead_channel"), where),
        timezone=check.timezone(table.get("timezone", base.timezone), where),
        slack_kudos_channel=check.channel(
            table.get("slack_kudos_channel"), where, "slack_kudos_channel"
        ),
        slack_escalation_channel=check.channel(
            table.get("slack_escalation_channel"), where, "slack_escalation_channel"
        ),
        platform=check.platform(table["platform"], where) if "platform" in table else base.platform,
        teams_lead_channel=check.teams_channel(table.get("teams_lead_channel"), where),
        slack_digest_channel=check.channel(
            table.get("slack_digest_channel"), where, "slack_digest_channel"
        ),
        teams_digest_channel=check.teams_channel(
            table.get("teams_digest_channel"), where, "teams_digest_channel"
        ),
        digest=check.digest(table["digest"], where) if "digest" in table else base.digest,
        teams_kudos_channel=check.teams_channel(
            table.get("teams_kudos_channel"), where, "teams_kudos_channel"
        ),
        min_answers=check.min_answers(table.get("min_answers", base.min_answers), where),
        drivers=check.drivers(table["drivers"], where) if "drivers" in table else base.drivers,
        **_timings(table, where),
        **_perception(table, where),
    )


def _identity(table: dict[str, Any], where: str) -> tuple[str, str, tuple[str, ...]]:
    """A [[team]]'s key, its name (the key unless it says) and the aliases it answers to."""
    key = table.get("key")
    if not isinstance(key, str) or not key:
        raise ConfigError(f"{where}: key is required")
    if not _KEY.fullmatch(key):
        raise ConfigError(f"{where}: key {key!r} must be lowercase letters, digits, - or _")
    name = table.get("name", key)
    aliases = table.get("aliases", [])
    if not isinstance(name, str) or not name.strip():
        raise ConfigError(f"{where}: name must be a non-empty string")
    if not isinstance(aliases, list) or not all(isinstance(a, str) and a for a in aliases):
        raise ConfigError(f"{where}: aliases must be a list of strings")
    return key, name.strip(), tuple(aliases)


def _timings(table: dict[str, Any], where: str) -> dict[str, Any]:
    """The timing keys this [[team]] sets itself, checked as in [defaults]."""
    found: dict[str, Any] = {}  # Any: unpacked into Team beside its bool keys
    for name in ("escalate_after_hours", "owner_reminder_days"):
        if name in table:
            found[name] = check.positive(table[name], where, name)
    for name in ("reminder_after_hours", "survey_every_days"):
        if name in table:
            found[name] = check.non_negative(table[name], where, name)
    return found


def _perception(table: dict[str, Any], where: str) -> dict[str, Any]:
    """The issue-15 keys this [[team]] sets itself, checked as in [defaults]."""
    found: dict[str, Any] = {}
    for name in ("ask_agent", "ask_lost_time"):
        if name in table:
            found[name] = check.flag(table[name], where, name)
    if "ask_agent_rate" in table:
        found["ask_agent_rate"] = check.rate(table["ask_agent_rate"], where)
    return found


def _check_unique(teams: list[Team], name: str) -> None:
    keys = [team.key for team in teams]
    twice = next((k for i, k in enumerate(keys) if k in keys[:i]), None)
    if twice is not None:
        raise ConfigError(f"{name}: key {twice!r} is used by two [[team]] tables")
    seen: dict[str, str] = {}
    for team in teams:
        for label in {fold(x) for x in (team.key, team.name, *team.aliases)}:
            other = seen.setdefault(label, team.key)
            if other != team.key:
                raise ConfigError(f"{name}: {label!r} names both team {other!r} and {team.key!r}")


def _line(text: str, header: str, occurrence: int = 0) -> int:
    """1-based line of the n-th `header`, so errors point where the admin has to look."""
    found = [n for n, line in enumerate(text.splitlines(), 1) if line.strip().startswith(header)]
    return found[occurrence] if occurrence < len(found) else 0
