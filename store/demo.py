"""Demo history in and out: every row hangs off a survey whose source is 'demo'."""

from __future__ import annotations

import hashlib
import json
import unicodedata
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlmodel import col

from bot.demo import DEMO_SOURCE, DemoHistory, DemoSurvey
from store import rollups
from store.db import Store, insert
from store.tables import AnswerRow, CallbackRow, SurveyRow

BATCH = 2000
DELIVERY_DELAY = timedelta(seconds=20)  # a demo survey's DM, after its ticket closed


def _id(ticket_id: str) -> str:
    return hashlib.sha256(f"demo:{ticket_id}".encode()).hexdigest()[:32]


def _survey_row(s: DemoSurvey, now: datetime) -> dict[str, Any]:
    delivered = s.closed_at + DELIVERY_DELAY
    expires = delivered + timedelta(days=7)
    status = "answered" if s.score is not None else "sent" if expires > now else "expired"
    return {
        "id": _id(s.ticket_id),
        "source": DEMO_SOURCE,
        "ticket_id": s.ticket_id,
        "title": s.title,
        "url": None,
        "agent_name": s.agent_name,
        "requester_email": f"requester{int(_id(s.ticket_id)[:4], 16) % 400}@demo.invalid",
        "agent_email": f"{_ascii(s.agent_name.split()[0].lower())}@demo.invalid",
        "team_key": s.team_key,
        "team_name": s.team_name,
        "platform": "slack",
        "status": status,
        "closed_at": s.closed_at,
        "created_at": s.closed_at,
        "delivered_at": delivered,
        "expires_at": expires,
        # Marked as reminded already: a running bot must never DM anyone about demo surveys.
        "reminded_at": delivered,
    }


def _answer_row(s: DemoSurvey) -> dict[str, Any]:
    return {
        "survey_id": _id(s.ticket_id),
        "score": s.score,
        "answered_at": s.answered_at,
        "comment": s.comment,
        "commented_at": s.answered_at if s.comment else None,
        "drivers": json.dumps([d.value for d in s.drivers]) if s.drivers else None,
        "share_ok": s.share_ok,
        "team_key": s.team_key,
        "praised_at": s.answered_at if s.praised else None,
    }


def _callback_row(s: DemoSurvey) -> dict[str, Any]:
    cb = s.callback
    assert cb is not None  # noqa: S101 - only called for surveys with a callback
    return {
        "id": _id(s.ticket_id)[:16],
        "survey_id": _id(s.ticket_id),
        "team_key": s.team_key,
        "channel": None,
        "status": cb.status.value,
        "owner_id": cb.owner_id,
        "created_at": cb.created_at,
        "claimed_at": cb.claimed_at,
        "closed_at": cb.closed_at,
        "outcome": cb.outcome.value if cb.outcome else None,
        # Escalation and owner reminders done: nobody is paged about demo callbacks.
        "escalation_level": 2,
        "next_escalation_at": None,
        "owner_reminded_at": cb.created_at,
    }


async def insert_demo(
    store: Store, history: DemoHistory, now: datetime, zones: rollups.Zones
) -> int:
    """`zones`: each team's time zone, for the roll-ups the demo's answers are counted in."""
    surveys = history.surveys
    for start in range(0, len(surveys), BATCH):
        chunk = surveys[start : start + BATCH]
        answers = [_answer_row(s) for s in chunk if s.score is not None]
        callbacks = [_callback_row(s) for s in chunk if s.callback is not None]
        async with store.write() as conn:
            await conn.execute(insert(conn, SurveyRow), [_survey_row(s, now) for s in chunk])
            if answers:
                await conn.execute(insert(conn, AnswerRow), answers)
            if callbacks:
                await conn.execute(insert(conn, CallbackRow), callbacks)
            await rollups.add(conn, zones, (c for s in chunk for c in _counts(s, 1)))
    return len(surveys)


def _counts(s: DemoSurvey, by: int) -> list[rollups.Count]:
    delivered = s.closed_at + DELIVERY_DELAY
    found = rollups.delivery_counts(s.team_key, delivered, s.score is not None)
    if s.score is not None and s.answered_at is not None:
        found.append(rollups.Count(s.team_key, s.answered_at, rollups.category(s.score)))
    return [replace(c, by=by) for c in found]


async def delete_demo(store: Store, zones: rollups.Zones) -> int:
    """Removes the demo's surveys and what hangs off them, and their counts; nothing else is
    touched."""
    demo = select(col(SurveyRow.id)).where(col(SurveyRow.source) == DEMO_SOURCE)
    async with store.write() as conn:
        count = (await conn.execute(select(func.count()).select_from(demo.subquery()))).scalar()
        await rollups.add(conn, zones, await _stored_counts(conn))
        await conn.execute(delete(CallbackRow).where(col(CallbackRow.survey_id).in_(demo)))
        await conn.execute(delete(AnswerRow).where(col(AnswerRow.survey_id).in_(demo)))
        await conn.execute(delete(SurveyRow).where(col(SurveyRow.source) == DEMO_SOURCE))
    return int(count or 0)


async def _stored_counts(conn: AsyncConnection) -> list[rollups.Count]:
    """What the demo's rows added to the roll-ups, to take away."""
    query = (
        select(
            col(SurveyRow.team_key),
            col(SurveyRow.delivered_at),
            col(AnswerRow.score),
            col(AnswerRow.answered_at),
        )
        .select_from(SurveyRow)
        .outerjoin(AnswerRow, col(AnswerRow.survey_id) == col(SurveyRow.id))
        .where(col(SurveyRow.source) == DEMO_SOURCE)
    )
    found: list[rollups.Count] = []
    for r in await conn.execute(query):
        if r.delivered_at is not None:
            found += rollups.delivery_counts(r.team_key, r.delivered_at, r.score is not None)
        if r.score is not None:
            found.append(rollups.Count(r.team_key, r.answered_at, rollups.category(r.score)))
    return [replace(c, by=-c.by) for c in found]


def _ascii(name: str) -> str:
    return unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
