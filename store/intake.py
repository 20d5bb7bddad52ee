"""A closed ticket's survey and webhook receipt, one at a time (`insert_survey`: constraints, not
reads, stop duplicates) or in bulk: what a batch needs to know, read in four statements, and its
rows written in two (bot/intake.py decides in between)."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, select, update
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlmodel import col

from bot.model import Platform, SurveyState, Ticket
from store import bulk
from store.db import insert
from store.driver_sql import Params, fetch, read_datetime
from store.tables import SurveyRow, WebhookReceiptRow


class ReceiptConflict(Exception):
    """A delivery id seen before arrived with a different body."""


@dataclass(frozen=True, slots=True)
class Accepted:
    survey_id: str
    new: bool


@dataclass(frozen=True, slots=True)
class NewSurvey:
    id: str
    ticket: Ticket
    team_key: str | None
    platform: Platform
    created_at: datetime
    skip_reason: str | None = None  # set: stored as skipped, and no DM is queued
    # A ticket closed again this soon after its last survey is a duplicate; later, a new round.
    resurvey_after: timedelta = timedelta(days=30)


async def insert_survey(
    conn: AsyncConnection, survey: NewSurvey, delivery_id: str, body_sha256: str
) -> Accepted:
    """Receipt and survey in the caller's transaction; constraints, not reads, stop duplicates."""
    known = await _insert_receipt(conn, survey, delivery_id, body_sha256)
    if known is not None:
        return known
    t = survey.ticket
    seq = await _close_round(conn, survey)
    if isinstance(seq, str):
        await _link_receipt(conn, t.source, delivery_id, seq)
        return Accepted(survey_id=seq, new=False)
    values = survey_row(survey, seq)
    stmt = insert(conn, SurveyRow).values(**values).on_conflict_do_nothing()
    created = (await conn.execute(stmt.returning(col(SurveyRow.id)))).scalar_one_or_none()
    # A concurrent delivery of the same close won the round: the constraint decided, not a read.
    survey_id = created or await _existing_survey_id(conn, t, seq)
    await _link_receipt(conn, t.source, delivery_id, survey_id)
    return Accepted(survey_id=survey_id, new=created is not None)


def survey_row(survey: NewSurvey, close_seq: int) -> dict[str, object]:
    """The survey table's row for a new survey, the `close_seq`-th round of its ticket."""
    t = survey.ticket
    skipped = survey.skip_reason is not None
    return {
        "id": survey.id,
        "source": t.source,
        "ticket_id": t.ticket_id,
        "title": t.title,
        "url": t.url,
        "requester_email": t.requester_email,
        "agent_email": t.agent_email,
        "agent_name": t.agent_name,
        "team_key": survey.team_key,
        "team_name": t.team_name,
        "platform": survey.platform.value,
        "status": SurveyState.SKIPPED.value if skipped else SurveyState.PENDING.value,
        "failure_reason": survey.skip_reason,
        "closed_at": t.closed_at,
        "created_at": survey.created_at,
        "close_seq": close_seq,
        "sla_met": t.sla_met,
        "resolution_minutes": t.resolution_minutes,
    }


def _of_ticket(ticket: Ticket) -> ColumnElement[bool]:
    return (col(SurveyRow.source) == ticket.source) & (col(SurveyRow.ticket_id) == ticket.ticket_id)


async def _close_round(conn: AsyncConnection, survey: NewSurvey) -> int | str:
    """The round number to insert, or the id of the ticket's recent survey (a duplicate)."""
    seq = col(SurveyRow.close_seq)
    query = select(col(SurveyRow.id), seq, col(SurveyRow.created_at))
    query = query.where(_of_ticket(survey.ticket)).order_by(seq.desc()).limit(1)
    latest = (await conn.execute(query)).first()
    if latest is None:
        return 0
    survey_id, close_seq, created_at = latest
    if created_at > survey.created_at - survey.resurvey_after:
        return survey_id
    return close_seq + 1


def _receipt(source: str, delivery_id: str) -> ColumnElement[bool]:
    return (col(WebhookReceiptRow.source) == source) & (
        col(WebhookReceiptRow.delivery_id) == delivery_id
    )


async def _link_receipt(
    conn: AsyncConnection, source: str, delivery_id: str, survey_id: str
) -> None:
    stmt = update(WebhookReceiptRow).where(_receipt(source, delivery_id))
    await conn.execute(stmt.values(survey_id=survey_id))


async def _insert_receipt(
    conn: AsyncConnection, survey: NewSurvey, delivery_id: str, body_sha256: str
) -> Accepted | None:
    source = survey.ticket.source
    values = {"source": source, "delivery_id": delivery_id, "body_sha256": body_sha256}
    stmt = insert(conn, WebhookReceiptRow).values(**values, received_at=survey.created_at)
    stmt = stmt.on_conflict_do_nothing().returning(col(WebhookReceiptRow.delivery_id))
    if (await conn.execute(stmt)).scalar_one_or_none() is not None:
        return None
    query = select(col(WebhookReceiptRow.body_sha256), col(WebhookReceiptRow.survey_id))
    row = (await conn.execute(query.where(_receipt(source, delivery_id)))).one()
    if row.body_sha256 != body_sha256:
        raise ReceiptConflict(delivery_id)
    return Accepted(survey_id=row.survey_id, new=False)


async def _existing_survey_id(conn: AsyncConnection, ticket: Ticket, seq: int) -> str:
    query = select(col(SurveyRow.id)).where(_of_ticket(ticket) & (col(SurveyRow.close_seq) == seq))
    return (await conn.execute(query)).scalar_one()


# Every column of both: rows are read by name, so `team_key` is the survey's (the answer's copy
# comes second, as team_key_1).
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


# The batch's reads, in the driver's SQL (store/driver_sql.py): through SQLAlchemy they cost a
# batch of webhooks more than its inserts did.
async def opted_out_among(conn: AsyncConnection, emails: Collection[str]) -> set[str]:
    p = Params(conn.dialect.name)
    sql = f"SELECT email FROM opt_out WHERE {p.among('email', emails)}"
    return {email for (email,) in await fetch(conn, sql, p)}


async def last_surveyed(
    conn: AsyncConnection, emails: Collection[str], since: datetime
) -> dict[str, datetime]:
    """Each person's latest survey since `since` (skipped ones are not surveys)."""
    p = Params(conn.dialect.name)
    where = f"{p.among('requester_email', emails)} AND created_at >= {p.one(since)}"
    skipped = p.one(SurveyState.SKIPPED.value)
    sql = (
        "SELECT requester_email, max(created_at) FROM survey"
        f" WHERE {where} AND status != {skipped} GROUP BY requester_email"
    )
    return {email: read_datetime(at) for email, at in await fetch(conn, sql, p)}


async def receipts_among(conn: AsyncConnection, keys: Collection[Key]) -> dict[Key, Receipt]:
    p = Params(conn.dialect.name)
    sql = (
        "SELECT source, delivery_id, body_sha256, survey_id FROM webhook_receipt"
        f" WHERE {p.pairs_among('source', 'delivery_id', keys)}"
    )
    rows = await fetch(conn, sql, p)
    return {(src, delivery_id): Receipt(sha, survey) for src, delivery_id, sha, survey in rows}


async def latest_rounds(conn: AsyncConnection, tickets: Collection[Key]) -> dict[Key, Round]:
    p = Params(conn.dialect.name)
    sql = (
        "SELECT source, ticket_id, id, close_seq, created_at FROM survey"
        f" WHERE {p.pairs_among('source', 'ticket_id', tickets)}"
    )
    latest: dict[Key, Round] = {}
    for src, ticket, survey_id, seq, created in await fetch(conn, sql, p):
        known = latest.get((src, ticket))
        if known is None or seq > known.close_seq:
            latest[src, ticket] = Round(survey_id, seq, read_datetime(created))
    return latest


async def insert_all(
    conn: AsyncConnection,
    survey_rows: list[dict[str, object]],
    receipt_rows: list[dict[str, object]],
) -> bool:
    """False when another writer got there first (a survey round or a delivery id taken since
    the reads): the caller rolls back and takes the one-ticket path, which handles races."""
    surveys = _by(survey_rows, "ticket_id")
    if await bulk.insert_new(conn, SurveyRow, surveys) != len(survey_rows):
        return False
    receipts = _by(receipt_rows, "delivery_id")
    return await bulk.insert_new(conn, WebhookReceiptRow, receipts) == len(receipt_rows)


def _by(rows: list[dict[str, object]], key: str) -> list[dict[str, object]]:
    """In key order, as every batch inserts: two batches at once on PostgreSQL, each waiting
    for a key the other inserted first, would deadlock."""
    return sorted(rows, key=lambda r: (str(r["source"]), str(r[key])))
