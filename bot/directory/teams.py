"""The TeamDirectory: the teams of `nps.toml` and the lookups the use cases ask of them."""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.model import DEFAULT_DRIVERS, Platform, Team
from bot.report_messages import Benchmark


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
    # Built from `teams` (so `replace` builds them anew): by folded label, and by exact key,
    # which `/nps team` asks for every team's min_answers when it ranks them.
    _index: dict[str, Team] = field(init=False, repr=False, compare=False)
    _keys: dict[str, Team] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        index: dict[str, Team] = {}
        for team in self.teams:
            for label in (team.key, team.name, *team.aliases):
                index.setdefault(fold(label), team)
        object.__setattr__(self, "_index", index)
        object.__setattr__(self, "_keys", {t.key: t for t in reversed(self.teams)})

    def match(self, label: str | None) -> Team | None:
        """The team a ticket's team name, alias or key refers to, ignoring case and spacing."""
        return self._index.get(fold(label)) if label else None

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
        return self._keys.get(key) if key is not None else None

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


def fold(label: str) -> str:
    """A label as matched: case and spacing ignored."""
    return " ".join(label.casefold().split())
