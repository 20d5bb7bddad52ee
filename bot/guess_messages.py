"""Neutral messages of the agent's guess: the question to the agent, and its answered form."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class GuessPrompt:
    """Asks the ticket's agent how they think the requester will rate it: one click, 0–10."""

    survey_id: str
    ticket_id: str
    requester_name: str | None  # None: the platform did not say; the text says "the requester"


@dataclass(frozen=True, slots=True)
class GuessThanks:
    """Replaces the question once the guess is stored; it never shows the requester's answer."""

    ticket_id: str
    requester_name: str | None
    score: int
