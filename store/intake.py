"""Closed tickets in bulk: what a batch needs to know, read in four statements, and its rows
written in two (bot/intake.py decides in between). The one-ticket path is store/surveys.py's."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select, tuple_
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlmodel import col

from bot.model import SurveyState
from store.db import insert
from store.tables import OptOutRow, SurveyRow, WebhookReceiptRow

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
    email = col(OptOutRow.email)
    query = select(email).where(email.in_(list(emails)))
    return set((await conn.execute(query)).scalars())


async def last_surveyed(
    conn: AsyncConnection, emails: Collection[str], since: datetime
) -> dict[str, datetime]:
    """Each person's latest survey since `since` (skipped ones are not surveys)."""
    requester, created = col(SurveyRow.requester_email), col(SurveyRow.created_at)
    query = (
        select(requester, func.max(created))
        .where(
            requester.in_(list(emails)),
            created >= since,
            col(SurveyRow.status) != SurveyState.SKIPPED.value,
        )
        .group_by(requester)
    )
    return dict((await conn.execute(query)).all())


async def receipts_among(conn: AsyncConnection, keys: Collection[Key]) -> dict[Key, Receipt]:
    source, delivery = col(WebhookReceiptRow.source), col(WebhookReceiptRow.delivery_id)
    query = select(
        source, delivery, col(WebhookReceiptRow.body_sha256), col(WebhookReceiptRow.survey_id)
    ).where(tuple_(source, delivery).in_(list(keys)))
    rows = (await conn.execute(query)).all()
    return {(src, delivery_id): Receipt(sha, survey) for src, delivery_id, sha, survey in rows}


async def latest_rounds(conn: AsyncConnection, tickets: Collection[Key]) -> dict[Key, Round]:
    source, ticket_id = col(SurveyRow.source), col(SurveyRow.ticket_id)
    query = select(
        source, ticket_id, col(SurveyRow.id), col(SurveyRow.close_seq), col(SurveyRow.created_at)
    ).where(tuple_(source, ticket_id).in_(list(tickets)))
    latest: dict[Key, Round] = {}
    for src, ticket, survey_id, seq, created in (await conn.execute(query)).all():
        known = latest.get((src, ticket))
        if known is None or seq > known.close_seq:
            latest[src, ticket] = Round(survey_id, seq, created)
    return latest


async def insert_all(
    conn: AsyncConnection,
    survey_rows: list[dict[str, object]],
    receipt_rows: list[dict[str, object]],
) -> bool:
    """False when another writer got there first (a survey round or a delivery id taken since
    the reads): the caller rolls back and takes the one-ticket path, which handles races."""
    if survey_rows:
        stmt = insert(conn, SurveyRow).on_conflict_do_nothing().returning(col(SurveyRow.id))
        if len((await conn.execute(stmt, survey_rows)).all()) != len(survey_rows):
            return False
    returned = col(WebhookReceiptRow.delivery_id)
    stmt = insert(conn, WebhookReceiptRow).on_conflict_do_nothing().returning(returned)
    return len((await conn.execute(stmt, receipt_rows)).all()) == len(receipt_rows)
