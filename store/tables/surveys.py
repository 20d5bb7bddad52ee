"""The survey of a closed ticket, its requester's answer and its agent's guess."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    CheckConstraint,
    Column,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
)
from sqlmodel import Field, SQLModel

from store.tables.columns import when


class SurveyRow(SQLModel, table=True):
    __tablename__ = "survey"
    __table_args__ = (
        # One survey per close round of a ticket: a re-closed ticket may get a later round.
        UniqueConstraint("source", "ticket_id", "close_seq", name="uq_survey_source_ticket_seq"),
        Index("ix_survey_team_delivered", "team_key", "delivered_at"),
        # A report's undeliverable count: one short range, not every survey the team ever had.
        Index("ix_survey_team_status_created", "team_key", "status", "created_at"),
    )

    id: str = Field(primary_key=True, max_length=32)
    source: str = Field(max_length=40)
    ticket_id: str = Field(max_length=128)
    title: str = Field(sa_column=Column(Text, nullable=False))
    url: str | None = Field(default=None, sa_column=Column(Text))
    requester_email: str = Field(max_length=320, index=True)
    agent_email: str | None = Field(default=None, max_length=320)
    agent_name: str | None = Field(default=None, max_length=200)
    team_key: str | None = Field(default=None, max_length=32, index=True)
    team_name: str | None = Field(default=None, max_length=200)
    platform: str = Field(max_length=16)
    status: str = Field(max_length=16, index=True)
    closed_at: datetime = when()
    created_at: datetime = when()
    delivered_at: datetime | None = when(nullable=True)
    expires_at: datetime | None = when(nullable=True)
    failure_reason: str | None = Field(default=None, max_length=200)
    recipient_id: str | None = Field(default=None, max_length=64)
    message_channel: str | None = Field(default=None, max_length=64)
    message_ts: str | None = Field(default=None, max_length=64)
    reminded_at: datetime | None = when(nullable=True)
    close_seq: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    sla_met: bool | None = None  # what the ticket event said; None: it said nothing
    resolution_minutes: int | None = None


class AnswerRow(SQLModel, table=True):
    """At most one per survey: the primary key is the survey id, so a second click cannot insert."""

    __tablename__ = "answer"
    __table_args__ = (
        CheckConstraint("score BETWEEN 0 AND 10", name="ck_answer_score"),
        # Reports count a team's answers by week straight from this index, without the survey;
        # the perception gap joins them to their guesses by its survey id (migration 0009).
        Index("ix_answer_team_week", "team_key", "answered_at", "score", "survey_id"),
    )

    survey_id: str = Field(
        sa_column=Column(String(32), ForeignKey("survey.id", ondelete="CASCADE"), primary_key=True)
    )
    score: int
    answered_at: datetime = when(index=True)
    responder_id: str | None = Field(default=None, max_length=64)
    comment: str | None = Field(default=None, sa_column=Column(Text))
    drivers: str | None = Field(default=None, max_length=200)
    commented_at: datetime | None = when(nullable=True)
    share_ok: bool = False  # the requester agreed their comment may be shown to the team
    praised_at: datetime | None = when(nullable=True)  # set once: praise goes out once
    team_key: str | None = Field(default=None, max_length=32)  # the survey's, copied for reports
    lost_time: str | None = Field(default=None, max_length=16)  # a bot.lost_time choice key


class AgentGuessRow(SQLModel, table=True):
    """The agent's guess of the requester's score: one per survey, asked once, set once."""

    __tablename__ = "agent_guess"
    __table_args__ = (CheckConstraint("score BETWEEN 0 AND 10", name="ck_agent_guess_score"),)

    survey_id: str = Field(
        sa_column=Column(String(32), ForeignKey("survey.id", ondelete="CASCADE"), primary_key=True)
    )
    agent_id: str = Field(max_length=64)  # only this platform user may guess
    team_key: str | None = Field(default=None, max_length=32, index=True)
    asked_at: datetime = when()
    score: int | None = None
    # Searched by start-up for the guesses of the last days (store.rollup_gaps, migration 0011).
    guessed_at: datetime | None = when(nullable=True, index=True)
    message_channel: str | None = Field(default=None, max_length=64)
    message_ts: str | None = Field(default=None, max_length=64)
