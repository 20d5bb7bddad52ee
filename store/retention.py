"""The daily retention purge: old comments and e-mails, finished outbox rows, webhook receipts.

What a purged answer keeps is what an erased one keeps (store.privacy's ERASED and UNSAID)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlmodel import col

from store.db import insert
from store.privacy import ERASED, UNSAID, said
from store.tables import (
    AnswerRow,
    CallbackRow,
    OutboxRow,
    RecipientRow,
    RetentionRunRow,
    SurveyRow,
    WebhookReceiptRow,
)

FINISHED_KEPT = timedelta(days=30)  # finished outbox rows and webhook receipts


async def start_retention(conn: AsyncConnection, day: date, now: datetime) -> bool:
    """True for exactly one caller per UTC day, whichever replica or restart it is."""
    stmt = insert(conn, RetentionRunRow).values(day=day, created_at=now).on_conflict_do_nothing()
    return (await conn.execute(stmt.returning(col(RetentionRunRow.day)))).first() is not None


async def purge_personal(conn: AsyncConnection, before: datetime) -> dict[str, int]:
    """Comments, requester e-mails and cached ids from before `before`; scores stay."""
    comments = update(AnswerRow).where(col(AnswerRow.answered_at) < before, said())
    old = select(col(SurveyRow.id)).where(col(SurveyRow.created_at) < before)
    noted = col(CallbackRow.notes).is_not(None)
    notes = update(CallbackRow).where(col(CallbackRow.survey_id).in_(old), noted)
    named = col(SurveyRow.requester_email) != ERASED
    emails = update(SurveyRow).where(col(SurveyRow.created_at) < before, named)
    cached = delete(RecipientRow).where(col(RecipientRow.resolved_at) < before)
    steps = {
        "comments": comments.values(**UNSAID),
        "callback notes": notes.values(notes=None),
        "requester e-mails": emails.values(requester_email=ERASED, recipient_id=None),
        "cached platform ids": cached,
    }
    return {k: (await conn.execute(stmt)).rowcount for k, stmt in steps.items()}


async def purge_finished(conn: AsyncConnection, now: datetime) -> int:
    """Finished outbox rows older than 30 days: the queue stays the size of its live work."""
    finished = col(OutboxRow.status).in_(("done", "failed"))
    old = finished & (col(OutboxRow.done_at) < now - FINISHED_KEPT)
    return int((await conn.execute(delete(OutboxRow).where(old))).rowcount)


async def purge_receipts(conn: AsyncConnection, now: datetime) -> int:
    """A sender's retry after 30 days finds its ticket's survey by (source, ticket id) instead."""
    old = col(WebhookReceiptRow.received_at) < now - FINISHED_KEPT
    return int((await conn.execute(delete(WebhookReceiptRow).where(old))).rowcount)
