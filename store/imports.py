"""Bulk insert of imported answers: a survey row and its answer, once per source + ticket id."""

from __future__ import annotations

import json
import secrets
from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncConnection
from sqlmodel import col

from bot.import_rows import ImportedAnswer
from bot.model import SurveyState
from store import rollups
from store.db import insert
from store.driver_sql import Params, fetch
from store.tables import AnswerRow, SurveyRow


def _survey(row: ImportedAnswer, survey_id: str) -> dict[str, object]:
    at = row.answered_at
    # Delivered and answered at the same moment: nothing for the delivery worker, reminders
    # or expiry to pick up, and reports count it as a delivered, answered survey.
    return {
        "id": survey_id,
        "source": row.source,
        "ticket_id": row.ticket_id,
        "title": row.title,
        "url": None,
        "requester_email": row.requester_email,
        "agent_email": row.agent_email,
        "agent_name": row.agent_name,
        "team_key": row.team_key,
        "team_name": row.team_name,
        "platform": row.platform.value,
        "status": SurveyState.ANSWERED.value,
        "closed_at": at,
        "created_at": at,
        "delivered_at": at,
        "expires_at": at,
        "close_seq": 0,
        "sla_met": row.sla_met,
    }


def _answer(row: ImportedAnswer, survey_id: str) -> dict[str, object]:
    at = row.answered_at
    return {
        "survey_id": survey_id,
        "score": row.score,
        "answered_at": at,
        "responder_id": None,
        "comment": row.comment,
        "drivers": json.dumps([d.value for d in row.drivers]),
        "commented_at": at if row.comment else None,
        "share_ok": False,
        # Set, so praise (a compare-and-set on praised_at) can never go out for an old answer.
        "praised_at": at,
        "team_key": row.team_key,
        "lost_time": row.lost_time,
    }


async def insert_imported(
    conn: AsyncConnection, rows: Sequence[ImportedAnswer], zones: rollups.Zones
) -> int:
    """Inserts the rows whose (source, ticket_id) is new, counted in the roll-ups (`zones`: each
    team's time zone); returns how many."""
    if not rows:
        return 0
    ids = [secrets.token_hex(8) for _ in rows]
    # executemany: one cached statement, batched by SQLAlchemy's insertmanyvalues (a multi-row
    # .values() is compiled anew for every batch, which cost most of the time).
    stmt = insert(conn, SurveyRow).on_conflict_do_nothing().returning(col(SurveyRow.id))
    surveys = [_survey(r, i) for r, i in zip(rows, ids, strict=True)]
    created = set((await conn.execute(stmt, surveys)).scalars())
    answers = [_answer(r, i) for r, i in zip(rows, ids, strict=True) if i in created]
    if answers:
        await conn.execute(insert(conn, AnswerRow), answers)
    kept = [r for r, i in zip(rows, ids, strict=True) if i in created]
    await rollups.add(conn, zones, (c for r in kept for c in _counts(r)))
    return len(answers)


def _counts(row: ImportedAnswer) -> list[rollups.Count]:
    at, team = row.answered_at, row.team_key
    answer = rollups.answer_counts(team, row.score, at, at, row.sla_met, row.lost_time)
    return [*rollups.delivery_counts(team, at, False), *answer]


async def count_present(conn: AsyncConnection, rows: Sequence[ImportedAnswer]) -> int:
    """How many of these rows are already in the database (for --dry-run)."""
    keys = {(r.source, r.ticket_id) for r in rows}
    if not keys:
        return 0
    p = Params(conn.dialect.name)
    where = p.pairs_among("source", "ticket_id", keys)
    sql = f"SELECT DISTINCT source, ticket_id FROM survey WHERE {where}"
    return len(await fetch(conn, sql, p))
