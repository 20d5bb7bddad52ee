"""The teams of `nps.toml`: who they are, what the ITSM tool calls them, where their leads are."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.messages import Benchmark
from bot.model import DEFAULT_DRIVERS, MAX_DRIVERS, DigestTime, Platform, Team


class ConfigError(Exception):
    """`nps.toml` is invalid; the message names the file, the line and the reason."""


_KEY = re.compile(r"[a-z0-9][a-z0-9_-]{0,31}")
_CHANNEL = re.compile(r"[CG][A-Z0-9]{2,}")
_USER = re.compile(r"[UW][A-Z0-9]{2,}")
_AAD = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
_TEAM_KEYS = {
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
_DEFAULT_KEYS = {
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
_WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_DRIVER = re.compile(r"[a-z][a-z0-9_]{0,39}")
_DIGEST = re.compile(r"(mon|tue|wed|thu|fri|sat|sun) ([01][0-9]|2[0-3]):([0-5][0-9])")
MAX_CONFIG_BYTES = 1024 * 1024


@dataclass(frozen=True, slots=True)
class TeamDirectory:
    teams: tuple[Team, ...] = ()
    default_lead_channel: str | None = None
    default_timezone: str = "UTC"
    admins: frozenset[str] = frozenset()  # platform user ids allowed to act on any callback
    escalate_after_hours: float = 4.0  # business hours before an unclaimed callback escalates
    owner_reminder_days: float = (
        2.0  # business days before a claimed, open callback's owner is reminded
    )
    default_escalation_channel: str | None = None
    survey_every_days: float = (
        0.0  # 0: survey every ticket; N: at most one survey per person per N days
    )
    reminder_after_hours: float = 24.0  # 0: never remind; otherwise one reminder after this long
    default_platform: Platform = Platform.SLACK
    default_teams_lead_channel: str | None = None
    benchmark: Benchmark | None = None
    default_min_answers: int = 5  # for figures of no one team: `/nps me`, the organisation
    retention_days: int = 730  # comments and requester e-mails older than this go; 0: kept
    resurvey_after_days: float = 30.0  # a re-closed ticket is not surveyed again sooner
    # [people]: a Jira accountId or a GitHub login → e-mail, for tools that send no e-mail.
    people: dict[str, str] = field(default_factory=dict, compare=False)
    default_drivers: tuple[str, ...] = DEFAULT_DRIVERS
    ask_agent: bool = False  # ask the agent to guess the requester's score
    ask_agent_rate: float = 1.0  # the share of tickets whose agent is asked
    ask_lost_time: bool = False  # the comment form asks how much work time the issue cost
    _index: dict[str, Team] = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        for team in self.teams:
            for label in (team.key, team.name, *team.aliases):
                self._index.setdefault(_fold(label), team)

    def match(self, label: str | None) -> Team | None:
        """The team a ticket's team name, alias or key refers to, ignoring case and spacing."""
        return self._index.get(_fold(label)) if label else None

    def email_of(self, person: str | None) -> str | None:
        """The e-mail `[people]` gives an ITSM account id or login (logins ignore case)."""
        if not person:
            return None
        return self.people.get(person) or self.people.get(person.casefold())

    def platform(self, team_key: str | None) -> Platform:
        team = self.by_key(team_key)
        return team.platform if team else self.default_platform

    def lead_channel(self, team_key: str | None, platform: str = Platform.SLACK) -> str | None:
        team = self.by_key(team_key)
        if platform == Platform.TEAMS:
            return (team.teams_lead_channel if team else None) or self.default_teams_lead_channel
        return (team.slack_lead_channel if team else None) or self.default_lead_channel

    def is_lead_channel(self, team: Team, channel: str) -> bool:
        return channel in (
            self.lead_channel(team.key, Platform.SLACK),
            self.lead_channel(team.key, Platform.TEAMS),
        )

    def digest_channel(self, team: Team) -> str | None:
        if team.platform == Platform.TEAMS:
            return team.teams_digest_channel or self.lead_channel(team.key, Platform.TEAMS)
        return team.slack_digest_channel or self.lead_channel(team.key, Platform.SLACK)

    def kudos_channel(self, team: Team) -> str | None:
        if team.platform == Platform.TEAMS:
            return team.teams_kudos_channel
        return team.slack_kudos_channel

    def escalation_channel(
        self, team_key: str | None, platform: str = Platform.SLACK
    ) -> str | None:
        if platform == Platform.TEAMS:
            # No separate Teams escalation channel yet: the second reminder goes to the leads too.
            return self.lead_channel(team_key, Platform.TEAMS)
        team = self.by_key(team_key)
        return (team.slack_escalation_channel if team else None) or self.default_escalation_channel

    def timezone(self, team_key: str | None) -> str:
        team = self.by_key(team_key)
        return team.timezone if team else self.default_timezone

    def drivers(self, team_key: str | None) -> tuple[str, ...]:
        team = self.by_key(team_key)
        return team.drivers if team else self.default_drivers

    def by_key(self, key: str | None) -> Team | None:
        return next((t for t in self.teams if t.key == key), None)

    # The timing keys: the team's own value wins over [defaults].
    def escalate_hours(self, team_key: str | None) -> float:
        return self._own(team_key, "escalate_after_hours")

    def owner_reminder(self, team_key: str | None) -> float:
        return self._own(team_key, "owner_reminder_days")

    def reminder_hours(self, team_key: str | None) -> float:
        return self._own(team_key, "reminder_after_hours")

    def survey_every(self, team_key: str | None) -> float:
        return self._own(team_key, "survey_every_days")

    def asks_agent(self, team_key: str | None) -> tuple[bool, float]:
        """Whether this team's agents are asked to guess, and for which share of tickets."""
        team = self.by_key(team_key)
        on = team.ask_agent if team and team.ask_agent is not None else self.ask_agent
        rate = team.ask_agent_rate if team and team.ask_agent_rate is not None else None
        return on, self.ask_agent_rate if rate is None else rate

    def asks_lost_time(self, team_key: str | None) -> bool:
        team = self.by_key(team_key)
        return team.ask_lost_time if team and team.ask_lost_time is not None else self.ask_lost_time

    def _own(self, team_key: str | None, name: str) -> float:
        team = self.by_key(team_key)
        value = getattr(team, name) if team else None
        return float(getattr(self, name) if value is None else value)


def _fold(label: str) -> str:
    return " ".join(label.casefold().split())


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
    defaults = _table(data.get("defaults", {}), where)
    _reject_unknown(defaults, _DEFAULT_KEYS, where)
    default_tz = _timezone(defaults.get("timezone", "UTC"), where)
    teams_raw = data.get("team", [])
    if not isinstance(teams_raw, list):
        raise ConfigError(f"{name}: 'team' must be written as [[team]] tables")
    base = _Inherited(
        timezone=default_tz,
        platform=_platform(defaults.get("platform", "slack"), where),
        digest=_digest(defaults.get("digest", "mon 09:00"), where),
        min_answers=_min_answers(defaults.get("min_answers", 5), where),
        drivers=_drivers(defaults.get("drivers", list(DEFAULT_DRIVERS)), where),
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
        default_lead_channel=_channel(defaults.get("slack_lead_channel"), where),
        default_timezone=base.timezone,
        admins=_admins(defaults.get("admins", []), where),
        escalate_after_hours=_positive(
            defaults.get("escalate_after_hours", 4), where, "escalate_after_hours"
        ),
        owner_reminder_days=_positive(
            defaults.get("owner_reminder_days", 2), where, "owner_reminder_days"
        ),
        survey_every_days=_non_negative(
            defaults.get("survey_every_days", 0), where, "survey_every_days"
        ),
        reminder_after_hours=_non_negative(
            defaults.get("reminder_after_hours", 24), where, "reminder_after_hours"
        ),
        default_escalation_channel=_channel(
            defaults.get("slack_escalation_channel"), where, "slack_escalation_channel"
        ),
        default_platform=base.platform,
        default_teams_lead_channel=_teams_channel(defaults.get("teams_lead_channel"), where),
        benchmark=_benchmark(data.get("benchmark"), f"{name}:{_line(text, '[benchmark]')}"),
        default_min_answers=base.min_answers,
        retention_days=_retention_days(defaults.get("retention_days", 730), where),
        resurvey_after_days=_non_negative(
            defaults.get("resurvey_after_days", 30), where, "resurvey_after_days"
        ),
        people=_people(data.get("people", {}), f"{name}:{_line(text, '[people]')}: [people]"),
        default_drivers=base.drivers,
        ask_agent=_flag(defaults.get("ask_agent", False), where, "ask_agent"),
        ask_agent_rate=_rate(defaults.get("ask_agent_rate", 1.0), where),
        ask_lost_time=_flag(defaults.get("ask_lost_time", False), where, "ask_lost_time"),
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
    table = _table(raw, where)
    _reject_unknown(table, _TEAM_KEYS, where)
    key, name, aliases = _identity(table, where)
    return Team(
        key=key,
        name=name,
        aliases=aliases,
        slack_lead_channel=_channel(table.get("slack_lead_channel"), where),
        timezone=_timezone(table.get("timezone", base.timezone), where),
        slack_kudos_channel=_channel(
            table.get("slack_kudos_channel"), where, "slack_kudos_channel"
        ),
        slack_escalation_channel=_channel(
            table.get("slack_escalation_channel"), where, "slack_escalation_channel"
        ),
        platform=_platform(table["platform"], where) if "platform" in table else base.platform,
        teams_lead_channel=_teams_channel(table.get("teams_lead_channel"), where),
        slack_digest_channel=_channel(
            table.get("slack_digest_channel"), where, "slack_digest_channel"
        ),
        teams_digest_channel=_teams_channel(
            table.get("teams_digest_channel"), where, "teams_digest_channel"
        ),
        digest=_digest(table["digest"], where) if "digest" in table else base.digest,
        teams_kudos_channel=_teams_channel(
            table.get("teams_kudos_channel"), where, "teams_kudos_channel"
        ),
        min_answers=_min_answers(table.get("min_answers", base.min_answers), where),
        drivers=_drivers(table["drivers"], where) if "drivers" in table else base.drivers,
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
            found[name] = _positive(table[name], where, name)
    for name in ("reminder_after_hours", "survey_every_days"):
        if name in table:
            found[name] = _non_negative(table[name], where, name)
    return found


def _perception(table: dict[str, Any], where: str) -> dict[str, Any]:
    """The issue-15 keys this [[team]] sets itself, checked as in [defaults]."""
    found: dict[str, Any] = {}
    for name in ("ask_agent", "ask_lost_time"):
        if name in table:
            found[name] = _flag(table[name], where, name)
    if "ask_agent_rate" in table:
        found["ask_agent_rate"] = _rate(table["ask_agent_rate"], where)
    return found


def _flag(value: object, where: str, name: str) -> bool:
    if not isinstance(value, bool):
        raise ConfigError(f"{where}: {name} must be true or false")
    return value


def _rate(value: object, where: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 < value <= 1:
        raise ConfigError(
            f"{where}: ask_agent_rate must be a share above 0 and at most 1, e.g. 0.25"
        )
    return float(value)


def _platform(value: object, where: str) -> Platform:
    if value not in ("slack", "teams"):
        raise ConfigError(f'{where}: platform must be "slack" or "teams"')
    return Platform(str(value))


def _teams_channel(value: object, where: str, name: str = "teams_lead_channel") -> str | None:
    # Teams conversation ids look like 19:abc…@thread.tacv2; the bot tells admins which to paste.
    if value is None:
        return None
    if not isinstance(value, str) or not value.startswith("19:") or len(value) > 200:
        raise ConfigError(
            f"{where}: {name} must be a Teams channel id like 19:…@thread.tacv2 "
            "(add the bot to the team: it replies in the channel with the id to paste)"
        )
    return value


def _digest(value: object, where: str) -> DigestTime | None:
    if value == "off":
        return None
    match = _DIGEST.fullmatch(value) if isinstance(value, str) else None
    if match is None:
        raise ConfigError(f'{where}: digest must be "off" or a day and time like "mon 09:00"')
    day, hour, minute = match.groups()
    return DigestTime(_WEEKDAYS.index(day), int(hour), int(minute))


def _drivers(value: object, where: str) -> tuple[str, ...]:
    """Driver keys such as "communication" or "remote_access", shown as "Remote access"."""
    if not isinstance(value, list) or not 1 <= len(value) <= MAX_DRIVERS:
        raise ConfigError(f"{where}: drivers must be a list of 1 to {MAX_DRIVERS} driver keys")
    for item in value:
        if not isinstance(item, str) or not _DRIVER.fullmatch(item):
            raise ConfigError(
                f"{where}: driver {item!r} must be lowercase letters, digits or _, "
                'starting with a letter, e.g. "remote_access"'
            )
    if len(set(value)) != len(value):
        raise ConfigError(f"{where}: drivers lists a driver twice")
    return tuple(value)


def _benchmark(value: object, where: str) -> Benchmark | None:
    if value is None:
        return None
    table = _table(value, f"{where}: [benchmark]")
    _reject_unknown(table, {"name", "nps"}, f"{where}: [benchmark]")
    name, nps = table.get("name"), table.get("nps")
    if not isinstance(name, str) or not name.strip() or len(name) > 80:
        raise ConfigError(f'{where}: [benchmark] name must be a short text, e.g. "IT support"')
    if isinstance(nps, bool) or not isinstance(nps, int) or not -100 <= nps <= 100:
        raise ConfigError(f"{where}: [benchmark] nps must be a whole number from -100 to 100")
    return Benchmark(name.strip(), nps)


_PERSON_EMAIL = re.compile(r"[^@\s]{1,64}@[^@\s]{1,255}")


def _people(value: object, where: str) -> dict[str, str]:
    table = _table(value, where)
    people: dict[str, str] = {}
    for person, email in table.items():
        if not isinstance(email, str) or not _PERSON_EMAIL.fullmatch(email):
            raise ConfigError(f'{where}: {person!r} must map to an e-mail, e.g. "ana@example.com"')
        # Account ids are case-sensitive opaque strings; GitHub logins are not: keep both forms.
        people[person] = email.lower()
        people.setdefault(person.casefold(), email.lower())
    return people


def _check_unique(teams: list[Team], name: str) -> None:
    keys = [team.key for team in teams]
    twice = next((k for i, k in enumerate(keys) if k in keys[:i]), None)
    if twice is not None:
        raise ConfigError(f"{name}: key {twice!r} is used by two [[team]] tables")
    seen: dict[str, str] = {}
    for team in teams:
        for label in {_fold(x) for x in (team.key, team.name, *team.aliases)}:
            other = seen.setdefault(label, team.key)
            if other != team.key:
                raise ConfigError(f"{name}: {label!r} names both team {other!r} and {team.key!r}")


def _table(raw: object, where: str) -> dict[str, Any]:
    if not isinstance(raw, dict):
        raise ConfigError(f"{where}: must be a table")
    return raw


def _reject_unknown(table: dict[str, Any], allowed: set[str], where: str) -> None:
    unknown = sorted(set(table) - allowed)
    if unknown:
        raise ConfigError(f"{where}: unknown setting {unknown[0]!r}")


def _channel(value: object, where: str, name: str = "slack_lead_channel") -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or not _CHANNEL.fullmatch(value):
        raise ConfigError(f"{where}: {name} must be a Slack channel id like C0123ABCD")
    return value


def _positive(value: object, where: str, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 < value <= 1000:
        raise ConfigError(f"{where}: {name} must be a number of hours or days above 0")
    return float(value)


def _non_negative(value: object, where: str, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 3650:
        raise ConfigError(f"{where}: {name} must be a number, 0 or more")
    return float(value)


def _min_answers(value: object, where: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 1000:
        raise ConfigError(f"{where}: min_answers must be a whole number from 1 to 1000")
    return value


def _retention_days(value: object, where: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 36500:
        raise ConfigError(f"{where}: retention_days must be a whole number of days, 0 or more")
    return value


def _admins(value: object, where: str) -> frozenset[str]:
    if not isinstance(value, list) or not all(
        isinstance(v, str) and (_USER.fullmatch(v) or _AAD.fullmatch(v)) for v in value
    ):
        raise ConfigError(
            f"{where}: admins must be a list of Slack user ids like U0123ABCD "
            "or Teams (Entra) object ids like 6f1c5e2a-0001-4a2b-9c3d-0123456789ab"
        )
    return frozenset(value)


def _timezone(value: object, where: str) -> str:
    if not isinstance(value, str):
        raise ConfigError(f"{where}: timezone must be a string such as 'Europe/Paris'")
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError(f"{where}: unknown timezone {value!r}") from None
    return value


def _line(text: str, header: str, occurrence: int = 0) -> int:
    """1-based line of the n-th `header`, so errors point where the admin has to look."""
    found = [n for n, line in enumerate(text.splitlines(), 1) if line.strip().startswith(header)]
    return found[occurrence] if occurrence < len(found) else 0
