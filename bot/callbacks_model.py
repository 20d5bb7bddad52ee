"""Callbacks to detractors: their states and the pure rules between them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

DETRACTOR_MAX = 6


def is_detractor(score: int) -> bool:
    return score <= DETRACTOR_MAX


def is_promoter(score: int) -> bool:
    return score >= 9


class CallbackStatus(StrEnum):
    OPEN = "open"
    CLAIMED = "claimed"
    CLOSED = "closed"


class Outcome(StrEnum):
    REACHED = "reached"
    NOT_REACHED = "not_reached"
    RESOLVED = "resolved"
    NOT_RESOLVED = "not_resolved"

    @classmethod
    def chosen(cls, value: object) -> Outcome:
        """What a lead picked in the outcome form; a form sent without a choice means reached."""
        return cls(value) if value in {o.value for o in cls} else cls.REACHED


@dataclass(frozen=True, slots=True)
class Callback:
    id: str
    survey_id: str
    team_key: str | None
    channel: str | None
    status: CallbackStatus
    owner_id: str | None
    created_at: datetime
    claimed_at: datetime | None = None
    closed_at: datetime | None = None
    outcome: Outcome | None = None
    notes: str | None = None


@dataclass(frozen=True, slots=True)
class Claimed:
    callback: Callback


@dataclass(frozen=True, slots=True)
class OwnedByOther:
    """The click lost: somebody else owns it (or it is closed); nothing changed."""

    callback: Callback


@dataclass(frozen=True, slots=True)
class NotOwner:
    callback: Callback


@dataclass(frozen=True, slots=True)
class Released:
    callback: Callback


@dataclass(frozen=True, slots=True)
class Closed:
    callback: Callback


@dataclass(frozen=True, slots=True)
class UnknownCallback:
    callback_id: str


@dataclass(frozen=True, slots=True)
class NotLeadChannel:
    """A claim from outside the callback's lead channel by someone who is no admin."""

    callback: Callback


ClaimOutcome = Claimed | OwnedByOther | UnknownCallback | NotLeadChannel
OwnerOutcome = Released | Closed | NotOwner | UnknownCallback
