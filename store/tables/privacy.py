"""Forgetting: the daily retention run, and the messages an erasure still has to remove."""

from __future__ import annotations

from datetime import date, datetime

from sqlmodel import Field, SQLModel

from store.tables.columns import when


class RetentionRunRow(SQLModel, table=True):
    """One row per UTC day: the replica that inserts it is the one that runs the purge."""

    __tablename__ = "retention_run"

    day: date = Field(primary_key=True)
    created_at: datetime = when()


class ErasureItemRow(SQLModel, table=True):
    """A bot message still to delete or neutralise after `npsbot forget`, until the platform
    confirms; the outbox job that does it carries only the erasure's id."""

    __tablename__ = "erasure_item"

    id: int | None = Field(default=None, primary_key=True)
    erasure_id: str = Field(max_length=32, index=True)
    platform: str = Field(max_length=16)
    action: str = Field(max_length=16)  # delete | replace | forget_chat
    channel: str = Field(max_length=200)
    ts: str = Field(default="", max_length=200)
    created_at: datetime = when()
