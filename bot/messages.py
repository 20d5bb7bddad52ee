"""Neutral outbound messages: what to say, not how a platform draws it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from bot.callbacks_model import CallbackStatus, Outcome
from bot.gap_messages import GapReport
from bot.guess_messages import GuessPrompt, GuessThanks
from bot.model import DEFAULT_DRIVERS, Survey
from bot.report_messages import (
    AgentReport,
    DriverReport,
    TeamReport,
    TeamsOverview,
    ThemeReport,
    WeeklyDigest,
)
from bot.texts import say


@dataclass(frozen=True, slots=True)
class SurveyPrompt:
    """The 0–10 question sent when a ticket closes."""

    survey_id: str
    ticket_id: str
    title: str
    url: str | None
    agent_name: str | None
    team_label: str
    reminder: bool = False


@dataclass(frozen=True, slots=True)
class SurveyOptedOut:
    """Replaces a survey whose requester asked not to be asked again."""

    ticket_id: str
    title: str


@dataclass(frozen=True, slots=True)
class MessageRemoved:
    """Stands where an alert was after `npsbot forget`: the channel keeps no trace of who."""

    text: str = field(default_factory=lambda: say("removed"))


@dataclass(frozen=True, slots=True)
class ScoreThanks:
    """Replaces the prompt once a score is stored; offers the comment form."""

    survey_id: str
    ticket_id: str
    title: str
    score: int
    comment: str | None = None
    drivers: tuple[str, ...] = ()
    can_comment: bool = True
    offered: tuple[str, ...] = DEFAULT_DRIVERS  # the form's drivers, in this survey's order
    ask_lost_time: bool = False  # the form asks how much work time the issue cost
    lost_time: str | None = None


@dataclass(frozen=True, slots=True)
class SurveyClosed:
    """Replaces a prompt that can no longer be answered."""

    ticket_id: str
    title: str


@dataclass(frozen=True, slots=True)
class CommentForm:
    survey_id: str
    ticket_id: str
    score: int
    comment: str | None = None
    drivers: tuple[str, ...] = ()
    offered: tuple[str, ...] = DEFAULT_DRIVERS  # the form's drivers, in this survey's order
    ask_lost_time: bool = False
    lost_time: str | None = None


# The comment form asks what fits the score (as HappySignals does), over the same drivers.
DRIVER_QUESTIONS = ((9, "form.went_well"), (7, "form.make_it_a_10"), (0, "form.went_wrong"))


def driver_question(score: int) -> str:
    return say(next(key for low, key in DRIVER_QUESTIONS if score >= low))


@dataclass(frozen=True, slots=True)
class Notice:
    """A short private reply to one person (Slack: ephemeral)."""

    text: str


@dataclass(frozen=True, slots=True)
class DetractorAlert:
    """Posted to the team leads' channel for a 0–6 answer; redrawn as the callback moves on."""

    callback_id: str
    ticket_id: str
    title: str
    url: str | None
    requester_id: str | None
    agent_name: str | None
    team_label: str
    score: int
    comment: str | None
    drivers: tuple[str, ...]
    status: CallbackStatus
    owner_id: str | None
    claimed_at: datetime | None
    closed_at: datetime | None
    outcome: Outcome | None
    created_at: datetime


@dataclass(frozen=True, slots=True)
class RequesterDetails:
    """Told privately to the lead who claimed a callback, never posted in the channel."""

    ticket_id: str
    requester_id: str | None
    requester_email: str


@dataclass(frozen=True, slots=True)
class OutcomeForm:
    callback_id: str
    ticket_id: str


@dataclass(frozen=True, slots=True)
class CallbackReminder:
    """Nobody has claimed a detractor's callback in time; posted again with a Call back button."""

    callback_id: str
    ticket_id: str
    title: str
    score: int
    team_label: str
    level: int
    answered_at: datetime


@dataclass(frozen=True, slots=True)
class OwnerReminder:
    """A DM to the lead who claimed a callback and has not closed it."""

    callback_id: str
    ticket_id: str
    title: str
    claimed_at: datetime


@dataclass(frozen=True, slots=True)
class CallbackLine:
    ticket_id: str
    title: str
    score: int
    team_label: str
    owner_id: str | None
    waited: timedelta


@dataclass(frozen=True, slots=True)
class CallbackList:
    lines: tuple[CallbackLine, ...]
    scope: str  # what the list covers, e.g. "End User Services" or "all teams"


@dataclass(frozen=True, slots=True)
class Praise:
    """A promoter's words, for the agent who earned them (DM) or the team (kudos)."""

    ticket_id: str
    title: str
    score: int
    comment: str
    agent_id: str | None
    agent_name: str | None
    for_team: bool


# What a `/nps` command (Slack) or a chat command (Teams) is answered with.
Reply = (
    Notice
    | CallbackList
    | TeamReport
    | TeamsOverview
    | AgentReport
    | DriverReport
    | ThemeReport
    | GapReport
)

OutboundMessage = (
    SurveyPrompt
    | ScoreThanks
    | SurveyClosed
    | SurveyOptedOut
    | MessageRemoved
    | DetractorAlert
    | CallbackReminder
    | OwnerReminder
    | Praise
    | WeeklyDigest
    | GuessPrompt
    | GuessThanks
)


def prompt_for(survey: Survey) -> SurveyPrompt:
    """The survey's question, as first sent and as a reminder."""
    t = survey.ticket
    return SurveyPrompt(survey.id, t.ticket_id, t.title, t.url, t.agent_name, survey.team_label)


def current_message(
    survey: Survey,
    now: datetime,
    drivers: tuple[str, ...] = DEFAULT_DRIVERS,
    ask_lost_time: bool = False,
) -> OutboundMessage:
    """What the survey's DM shows now: the question, the thank-you, or closed."""
    t = survey.ticket
    if survey.answer is None:
        if survey.is_expired(now):
            return SurveyClosed(t.ticket_id, t.title)
        return prompt_for(survey)
    a = survey.answer
    return ScoreThanks(
        survey.id,
        t.ticket_id,
        t.title,
        a.score,
        a.comment,
        a.drivers,
        offered=drivers,
        ask_lost_time=ask_lost_time,
        lost_time=a.lost_time,
    )
