"""Neutral outbound messages: what to say, not how a platform draws it."""

from __future__ import annotations

from dataclasses import dataclass

from bot.model import Driver


@dataclass(frozen=True, slots=True)
class SurveyPrompt:
    """The 0–10 question sent when a ticket closes."""

    survey_id: str
    ticket_id: str
    title: str
    url: str | None
    agent_name: str | None
    team_label: str


@dataclass(frozen=True, slots=True)
class ScoreThanks:
    """Replaces the prompt once a score is stored; offers the comment form."""

    survey_id: str
    ticket_id: str
    title: str
    score: int
    comment: str | None = None
    drivers: tuple[Driver, ...] = ()
    can_comment: bool = True


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
    drivers: tuple[Driver, ...] = ()


@dataclass(frozen=True, slots=True)
class Notice:
    """A short private reply to one person (Slack: ephemeral)."""

    text: str


OutboundMessage = SurveyPrompt | ScoreThanks | SurveyClosed
