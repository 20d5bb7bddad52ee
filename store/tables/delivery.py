"""How messages reach people: the outbox of platform work, and where each person is."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    Column,
    Index,
    Text,
    text,
)
from sqlmodel import Field, SQLModel

from store.tables.columns import when


class OutboxRow(SQLModel, table=True):
    """Work for the chat platforms, committed with the change that caused it (an outbox)."""

    __tablename__ = "outbox"
    __table_args__ = (
        # One waiting job per (kind, ref): a burst of updates to one message coalesces into one.
        Index(
            "uq_outbox_pending",
            "kind",
            "ref",
            unique=True,
            sqlite_where=text("status = 'todo'"),
            postgresql_where=text("status = 'todo'"),
        ),
        Index("ix_outbox_due", "status", "next_attempt_at"),
        # A claim reads only waiting and leased jobs (waiting ones through uq_outbox_pending or
        # ix_outbox_due); leased ones are found by their lease here, so a claim stays an index
        # lookup however many finished rows the table keeps (bench/outbox_claim).
        Index(
            "ix_outbox_sending_lease",
            "lease_until",
            sqlite_where=text("status = 'sending'"),
            postgresql_where=text("status = 'sending'"),
        ),
        # The claim's "another job of this ref is ahead" check, by ref and status.
        Index("ix_outbox_ref_active", "ref", "status"),
    )

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=32)
    ref: str = Field(max_length=64)
    platform: str = Field(max_length=16)
    status: str = Field(max_length=16)
    attempts: int = 0
    next_attempt_at: datetime = when()
    give_up_at: datetime = when()
    lease_owner: str | None = Field(default=None, max_length=64)
    lease_until: datetime | None = when(nullable=True)
    last_error: str | None = Field(default=None, max_length=200)
    created_at: datetime = when()
    done_at: datetime | None = when(nullable=True)


class RecipientRow(SQLModel, table=True):
    """E-mail → platform user and DM conversation, so repeat requesters cost no directory calls."""

    __tablename__ = "recipient"

    platform: str = Field(primary_key=True, max_length=16)
    email: str = Field(primary_key=True, max_length=320)
    user_id: str = Field(max_length=64)
    address: str = Field(max_length=128)
    resolved_at: datetime = when()


class TeamsConversationRow(SQLModel, table=True):
    """A Teams conversation the bot may write to later: a user's 1:1 chat or a team's channel."""

    __tablename__ = "teams_conversation"

    id: str = Field(primary_key=True, max_length=200)  # conversation.id
    kind: str = Field(max_length=16)  # personal | channel | groupChat
    user_id: str | None = Field(default=None, max_length=200)  # 29:… (personal only)
    aad_object_id: str | None = Field(default=None, max_length=64, index=True)
    email: str | None = Field(default=None, max_length=320, index=True)  # lower-cased
    reference: str = Field(sa_column=Column(Text, nullable=False))  # ConversationReference JSON
    updated_at: datetime = when()
