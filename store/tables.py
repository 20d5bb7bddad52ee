"""Table rows. They never leave store/: queries turn them into bot.model values.

Queries name the models (`select(SurveyRow)`, `col(SurveyRow.status) == …`); run on a
connection, as every store query is, they return rows of columns, never model objects."""

from __future__ import annotations

from datetime import date, datetime
from functools import cache
from typing import Any

from sqlalchemy import (
    CheckConstraint,
    Column,
    ForeignKey,
    Index,
    String,
    Table,
    Text,
    UniqueConstraint,
    inspect,
    text,
)
from sqlmodel import Field, SQLModel

from store.types import UTCDateTime


@cache  # every insert asks, the click path's too
def table_of(model: type[SQLModel]) -> Table:
    """The Core Table of a table model, for what only a Table has: columns by name (`.c[name]`),
    its primary key, and statements built without the ORM's per-statement work (an INSERT on
    the model costs some 60 µs more, which every write on the click path would pay)."""
    table = inspect(model).local_table
    if not isinstance(table, Table):
        raise TypeError(f"{model.__name__} is not a table model")
    return table


# Any, as sqlmodel's own Field() is typed: each column's annotation says what it holds.
def _when(nullable: bool = False, index: bool = False) -> Any:
    return Field(sa_column=Column(UTCDateTime(), nullable=nullable, index=index))


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
    closed_at: datetime = _when()
    created_at: datetime = _when()
    delivered_at: datetime | None = _when(nullable=True)
    expires_at: datetime | None = _when(nullable=True)
    failure_reason: str | None = Field(default=None, max_length=200)
    recipient_id: str | None = Field(default=None, max_length=64)
    message_channel: str | None = Field(default=None, max_length=64)
    message_ts: str | None = Field(default=None, max_length=64)
    reminded_at: datetime | None = _when(nullable=True)
    close_seq: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    sla_met: bool | None = None  # what the ticket event said; None: it said nothing
    resolution_minutes: int | None = None


class AnswerRow(SQLModel, table=True):
    """At most one per survey: the primary key is the survey id, so a second click cannot insert."""

    __tablename__ = "answer"
    __table_args__ = (
        CheckConstraint("score BETWEEN 0 AND 10", name="ck_answer_score"),
        # Reports count a team's answers by week straight from this index, without the survey.
        Index("ix_answer_team_week", "team_key", "answered_at", "score"),
    )

    survey_id: str = Field(
        sa_column=Column(String(32), ForeignKey("survey.id", ondelete="CASCADE"), primary_key=True)
    )
    score: int
    answered_at: datetime = _when(index=True)
    responder_id: str | None = Field(default=None, max_length=64)
    comment: str | None = Field(default=None, sa_column=Column(Text))
    drivers: str | None = Field(default=None, max_length=200)
    commented_at: datetime | None = _when(nullable=True)
    share_ok: bool = False  # the requester agreed their comment may be shown to the team
    praised_at: datetime | None = _when(nullable=True)  # set once: praise goes out once
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
    asked_at: datetime = _when()
    score: int | None = None
    guessed_at: datetime | None = _when(nullable=True)
    message_channel: str | None = Field(default=None, max_length=64)
    message_ts: str | None = Field(default=None, max_length=64)


class WebhookReceiptRow(SQLModel, table=True):
    """One row per delivery id: the replay defence and the idempotency key for senders' retries."""

    __tablename__ = "webhook_receipt"

    source: str = Field(primary_key=True, max_length=40)
    delivery_id: str = Field(primary_key=True, max_length=255)
    body_sha256: str = Field(max_length=64)
    received_at: datetime = _when()
    survey_id: str | None = Field(default=None, max_length=32)


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
    next_attempt_at: datetime = _when()
    give_up_at: datetime = _when()
    lease_owner: str | None = Field(default=None, max_length=64)
    lease_until: datetime | None = _when(nullable=True)
    last_error: str | None = Field(default=None, max_length=200)
    created_at: datetime = _when()
    done_at: datetime | None = _when(nullable=True)


class RecipientRow(SQLModel, table=True):
    """E-mail → platform user and DM conversation, so repeat requesters cost no directory calls."""

    __tablename__ = "recipient"

    platform: str = Field(primary_key=True, max_length=16)
    email: str = Field(primary_key=True, max_length=320)
    user_id: str = Field(max_length=64)
    address: str = Field(max_length=128)
    resolved_at: datetime = _when()


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
    created_at: datetime = _when()
    claimed_at: datetime | None = _when(nullable=True)
    closed_at: datetime | None = _when(nullable=True)
    outcome: str | None = Field(default=None, max_length=32)
    notes: str | None = Field(default=None, sa_column=Column(Text))
    alert_channel: str | None = Field(default=None, max_length=64)
    alert_ts: str | None = Field(default=None, max_length=64)
    # Escalation steps are taken by compare-and-set on the level, so each fires once.
    escalation_level: int = 0
    next_escalation_at: datetime | None = _when(nullable=True, index=True)
    owner_reminded_at: datetime | None = _when(nullable=True)


class OptOutRow(SQLModel, table=True):
    """People who asked not to be surveyed again, by the e-mail their tickets carry."""

    __tablename__ = "opt_out"

    email: str = Field(primary_key=True, max_length=320)
    opted_out_at: datetime = _when()


class DigestRunRow(SQLModel, table=True):
    """One row per team and week: the replica that inserts it is the one that posts the digest."""

    __tablename__ = "digest_run"

    team_key: str = Field(primary_key=True, max_length=32)
    week_start: date = Field(primary_key=True)  # the Monday, in the team's time zone
    created_at: datetime = _when()


class TeamsConversationRow(SQLModel, table=True):
    """A Teams conversation the bot may write to later: a user's 1:1 chat or a team's channel."""

    __tablename__ = "teams_conversation"

    id: str = Field(primary_key=True, max_length=200)  # conversation.id
    kind: str = Field(max_length=16)  # personal | channel | groupChat
    user_id: str | None = Field(default=None, max_length=200)  # 29:… (personal only)
    aad_object_id: str | None = Field(default=None, max_length=64, index=True)
    email: str | None = Field(default=None, max_length=320, index=True)  # lower-cased
    reference: str = Field(sa_column=Column(Text, nullable=False))  # ConversationReference JSON
    updated_at: datetime = _when()


class RetentionRunRow(SQLModel, table=True):
    """One row per UTC day: the replica that inserts it is the one that runs the purge."""

    __tablename__ = "retention_run"

    day: date = Field(primary_key=True)
    created_at: datetime = _when()


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
    created_at: datetime = _when()


def _count() -> Any:
    return Field(default=0, sa_column_kwargs={"server_default": "0"})


class TallySlotRow(SQLModel, table=True):
    """The organisation's figures per 15 minutes (UTC), kept in the transaction of each answer
    and delivery: every time zone's midnight falls on a slot edge, so any week is whole slots.
    Answers count at answered_at; delivered and answered (deliveries answered by now) at
    delivered_at."""

    __tablename__ = "tally_slot"

    slot_start: datetime = Field(sa_column=Column(UTCDateTime(), primary_key=True))
    promoters: int = _count()
    passives: int = _count()
    detractors: int = _count()
    delivered: int = _count()
    answered: int = _count()


class TallyDayRow(SQLModel, table=True):
    """A team's figures per local day in the time zone its tally_zone row names (days starting
    at day_start, a UTC instant), so a team's week is seven rows whatever DST does."""

    __tablename__ = "tally_day"

    team_key: str = Field(primary_key=True, max_length=32)
    day_start: datetime = Field(sa_column=Column(UTCDateTime(), primary_key=True))
    promoters: int = _count()
    passives: int = _count()
    detractors: int = _count()
    delivered: int = _count()
    answered: int = _count()


class TallyZoneRow(SQLModel, table=True):
    """A team whose tally_day rows are complete, and the time zone their days are in: written
    when they are rebuilt from the answers (at start-up, when nps.toml's zone differs)."""

    __tablename__ = "tally_zone"

    team_key: str = Field(primary_key=True, max_length=32)
    zone: str = Field(max_length=64)
