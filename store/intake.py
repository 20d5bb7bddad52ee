"""Closed tickets in bulk: what a batch needs to know, read in four statements, and its rows
written in two (bot/intake.py decides in between). The one-ticket path is store/surveys.py's."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select, tuple_
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.model import SurveyState
from store.db import insert
from store.tables import OptOutRow, SurveyRow, WebhookReceiptRow

surveys = SurveyRow.__table__  # type: ignore[attr-defined]
receipts = WebhookReceiptRow.__table__  # type: ignore[attr-defined]
optouts = OptOutRow.__table__  # type: ignore[attr-defined]

Key = tuple[str, str]  # (source, delivery id) or (source, ticket id)


@dataclass(frozen=True, slots=True)
class Receipt:
    body_sha256: str
    survey_id: str | None


@dataclass(frozen=True, slots=True)
class Round:
    """A ticket's latest survey: a close soon after it is a duplicate, later a new round."""

    survey_id: str
    close_seq: int
    created_at: datetime


async def opted_out_among(conn: AsyncConnection, emails: Collection[str]) -> set[str]:
    query = select(optouts.c.email).where(optouts.c.email.in_(list(emails)))
    return set((await conn.execute(query)).scalars())


async def last_surveyed(
    conn: AsyncConnection, emails: Collection[str], since: datetime
) -> dict[str, datetime]:
    """Each person's latest survey since `since` (skipped ones are not surveys)."""
    query = (
        select(surveys.c.requester_email, func.max(surveys.c.created_at))
        .where(
            surveys.c.requester_email.in_(list(emails)),
            surveys.c.created_at >= since,
            surveys.c.status != SurveyState.SKIPPED.value,
        )
        .group_by(surveys.c.requester_email)
    )
    return dict((await conn.execute(query)).all())


async def receipts_among(conn: AsyncConnection, keys: Collection[Key]) -> dict[Key, Receipt]:
    pair = tuple_(receipts.c.source, receipts.c.delivery_id)
    query = select(
        receipts.c.source, receipts.c.delivery_id, receipts.c.body_sha256, receipts.c.survey_id
    ).where(pair.in_(list(keys)))
    rows = (await conn.execute(query)).all()
    return {(source, delivery): Receipt(sha, survey) for source, delivery, sha, survey in rows}


async def latest_rounds(conn: AsyncConnection, tickets: Collection[Key]) -> dict[Key, Round]:
    pair = tuple_(surveys.c.source, surveys.c.ticket_id)
    query = select(
        surveys.c.source,
        surveys.c.ticket_id,
        surveys.c.id,
        surveys.c.close_seq,
        surveys.c.created_at,
    ).where(pair.in_(list(tickets)))
    latest: dict[Key, Round] = {}
    for source, ticket, survey_id, seq, created in (await conn.execute(query)).all():
        known = latest.get((source, ticket))
        if known is None or seq > known.close_seq:
            latest[source, ticket] = Round(survey_id, seq, created)
    return latest


async def insert_all(
    conn: AsyncConnection,
    survey_rows: list[dict[str, object]],
    receipt_rows: list[dict[str, object]],
) -> bool:
    """False when another writer got there first (a survey round or a delivery id taken since
    the reads): the caller rolls back and takes the one-ticket path, which handles races."""
    if survey_rows:
        stmt = insert(conn, surveys).on_conflict_do_nothing().returning(surveys.c.id)
        if len((await conn.execute(stmt, survey_rows)).all()) != len(survey_rows):
            return False
    stmt = insert(conn, receipts).on_conflict_do_nothing().returning(receipts.c.delivery_id)
    return len((await conn.execute(stmt, receipt_rows)).all()) == len(receipt_rows)
