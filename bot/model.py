"""Domain values and the pure rules of a survey's life; no I/O, no clock reads."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


class Platform(StrEnum):
    SLACK = "slack"
    TEAMS = "teams"
    SHELL = "shell"  # `npsbot shell`: never in nps.toml, only the terminal's own surveys


class Driver(StrEnum):
    """The drivers offered when nps.toml sets no `drivers = [...]`. Answers store driver keys
    as plain strings, so a driver an admin adds or removes later is kept in history as written."""

    COMMUNICATION = "communication"
    TIMELINESS = "timeliness"
    KNOWLEDGE = "knowledge"
    COURTESY = "courtesy"
    RESOLUTION_QUALITY = "resolution_quality"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").capitalize()


DEFAULT_DRIVERS: tuple[str, ...] = tuple(d.value for d in Driver)
MAX_DRIVERS = 10  # a Slack checkboxes element holds at most 10 options


def driver_label(key: str) -> str:
    """ "resolution_quality" → "Resolution quality": what people read for a driver key."""
    return key.replace("_", " ").capitalize()


def form_order(drivers: Sequence[str], survey_id: str) -> tuple[str, ...]:
    """The drivers in an order of their own per survey, so the first item does not win by its
    place; the same survey always gets the same order, so a re-opened form does not move."""
    return tuple(
        sorted(drivers, key=lambda d: hashlib.sha256(f"{survey_id}:{d}".encode()).digest())
    )


class SurveyState(StrEnum):
    PENDING = "pending"  # stored, DM not sent yet
    SENT = "sent"  # DM delivered, waiting for an answer
    FAILED = "failed"  # gave up delivering; failure_reason says why
    ANSWERED = "answered"
    EXPIRED = "expired"
    SKIPPED = "skipped"  # recorded but not sent: opted out, or surveyed too recently


MAX_COMMENT_CHARS = 3000


@dataclass(frozen=True, slots=True)
class Ticket:
    source: str
    ticket_id: str
    title: str
    requester_email: str
    agent_email: str | None
    agent_name: str | None
    team_name: str | None
    closed_at: datetime
    url: str | None
    sla_met: bool | None = None  # what the ITSM tool said of its SLA; None: it said nothing
    resolution_minutes: int | None = None


@dataclass(frozen=True, slots=True)
class Team:
    key: str
    name: str
    aliases: tuple[str, ...] = ()
    slack_lead_channel: str | None = None
    timezone: str = "UTC"
    slack_escalation_channel: str | None = None
    slack_kudos_channel: str | None = None  # set: shareable praise is posted there
    platform: Platform = Platform.SLACK  # where this team's requesters and leads are reached
    teams_lead_channel: str | None = None  # a Teams channel's conversation id
    slack_digest_channel: str | None = None  # unset: the lead channel
    teams_digest_channel: str | None = None
    teams_kudos_channel: str | None = None
    digest: DigestTime | None = None  # None: no weekly digest
    min_answers: int = 5  # below this many answers in a period, its score is not shown
    drivers: tuple[str, ...] = DEFAULT_DRIVERS  # offered in the comment form, in nps.toml order
    # The [defaults] timing keys, per team; None: the team takes the [defaults] value.
    escalate_after_hours: float | None = None
    owner_reminder_days: float | None = None
    reminder_after_hours: float | None = None
    survey_every_days: float | None = None
    # Issue 15: the agent's guess and the lost-time question; None: the [defaults] value.
    ask_agent: bool | None = None
    ask_agent_rate: float | None = None
    ask_lost_time: bool | None = None


@dataclass(frozen=True, slots=True)
class DigestTime:
    """When the weekly digest is due, in the team's time zone."""

    weekday: int = 0  # Monday
    hour: int = 9
    minute: int = 0


@dataclass(frozen=True, slots=True)
class Answer:
    survey_id: str
    score: int
    answered_at: datetime
    comment: str | None = None
    drivers: tuple[str, ...] = ()  # driver keys as stored, even ones no longer offered
    lost_time: str | None = None  # a bot.lost_time choice key


@dataclass(frozen=True, slots=True)
class Survey:
    id: str
    ticket: Ticket
    team_key: str | None
    platform: Platform
    state: SurveyState
    created_at: datetime
    delivered_at: datetime | None = None
    expires_at: datetime | None = None
    failure_reason: str | None = None
    recipient_id: str | None = None
    answer: Answer | None = None

    @property
    def team_label(self) -> str:
        return self.ticket.team_name or self.team_key or "Unassigned"

    def is_expired(self, now: datetime) -> bool:
        return self.answer is None and self.expires_at is not None and now >= self.expires_at


class ScoreError(ValueError):
    """A score outside 0–10 or a value that is not a score."""


def check_score(score: int) -> int:
    if not 0 <= score <= 10:
        raise ScoreError("a score is between 0 and 10")
    return score


def check_drivers(
    values: Iterable[str], offered: Sequence[str] = DEFAULT_DRIVERS
) -> tuple[str, ...]:
    """The submitted drivers that the form offered, once each, in the order given."""
    return tuple(v for v in dict.fromkeys(values) if v in offered)


@dataclass(frozen=True, slots=True)
class ScoreRecorded:
    survey: Survey
    score: int


@dataclass(frozen=True, slots=True)
class AlreadyAnswered:
    survey: Survey
    score: int


@dataclass(frozen=True, slots=True)
class SurveyExpired:
    survey: Survey


@dataclass(frozen=True, slots=True)
class UnknownSurvey:
    survey_id: str


@dataclass(frozen=True, slots=True)
class NotRequester:
    """Someone other than the person the survey was sent to acted; nothing changed."""

    survey_id: str


@dataclass(frozen=True, slots=True)
class ScoreClick:
    """A score as clicked, before it is checked against the survey."""

    survey_id: str
    score: int
    actor: str


ScoreOutcome = ScoreRecorded | AlreadyAnswered | SurveyExpired | UnknownSurvey | NotRequester


@dataclass(frozen=True, slots=True)
class TicketArrival:
    """A closed ticket as delivered: the delivery id and body digest make retries idempotent."""

    ticket: Ticket
    delivery_id: str
    body_sha256: str


@dataclass(frozen=True, slots=True)
class CommentRecorded:
    survey: Survey
    comment: str | None
    drivers: tuple[str, ...]


CommentOutcome = CommentRecorded | SurveyExpired | UnknownSurvey | NotRequester


@dataclass(frozen=True, slots=True)
class OptedOut:
    survey: Survey


OptOutOutcome = OptedOut | UnknownSurvey | NotRequester
