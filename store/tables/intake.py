"""What arrives before a survey: webhook deliveries seen, and people who opted out."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from store.tables.columns import when


class WebhookReceiptRow(SQLModel, table=True):
    """One row per delivery id: the replay defence and the idempotency key for senders' retries."""

    __tablename__ = "webhook_receipt"

    source: str = Field(primary_key=True, max_length=40)
    delivery_id: str = Field(primary_key=True, max_length=255)
    body_sha256: str = Field(max_length=64)
    received_at: datetime = when()
    survey_id: str | None = Field(default=None, max_length=32)


class OptOutRow(SQLModel, table=True):
    """People who asked not to be surveyed again, by the e-mail their tickets carry."""

    __tablename__ = "opt_out"

    email: str = Field(primary_key=True, max_length=320)
    opted_out_at: datetime = when()
