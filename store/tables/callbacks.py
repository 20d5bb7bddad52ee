"""A detractor's callback: who claimed it, how it ended, and when it escalates."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    Column,
    ForeignKey,
    String,
    Text,
)
from sqlmodel import Field, SQLModel

from store.tables.columns import when


class CallbackRow(SQLModel, table=True):
    """A detractor to call back. One per survey; one owner at a time, set by a guarded UPDATE."""

    __tablename__ = "callback"

    id: str = Field(primary_key=True, max_length=32)
    survey_id: str = Field(
        sa_column=Column(
            String(32), ForeignKey("survey.id", ondelete="CASCADE"), nullable=False, unique=True
        )
    )
    team_key: str | None = Field(default=None, max_length=32, index=True)
    channel: str | None = Field(default=None, max_length=64)
    status: str = Field(max_length=16, index=True)
    owner_id: str | None = Field(default=None, max_length=64)
    created_at: datetime = when()
    claimed_at: datetime | None = when(nullable=True)
    closed_at: datetime | None = when(nullable=True)
    outcome: str | None = Field(default=None, max_length=32)
    notes: str | None = Field(default=None, sa_column=Column(Text))
    alert_channel: str | None = Field(default=None, max_length=64)
    alert_ts: str | None = Field(default=None, max_length=64)
    # Escalation steps are taken by compare-and-set on the level, so each fires once.
    escalation_level: int = 0
    next_escalation_at: datetime | None = when(nullable=True, index=True)
    owner_reminded_at: datetime | None = when(nullable=True)
