"""Callback queries: one per survey, claimed and closed only through guarded UPDATEs."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Row, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.callbacks_model import Callback, CallbackStatus, Outcome
from bot.ports import MessageRef
from store.db import insert
from store.tables import CallbackRow

C = CallbackRow.__table__  # type: ignore[attr-defined]


async def insert_callback(
    conn: AsyncConnection, callback_id: str, survey_id: str, team_key: str | None,
    channel: str | None, now: datetime, escalate_at: datetime,
) -> str | None:  # fmt: skip
    """The new callback's id, or None if the survey already has one."""
    values = {"id": callback_id, "survey_id": survey_id, "team_key": team_key, "channel": channel}
    stmt = insert(conn, C).values(
        **values, status=CallbackStatus.OPEN.value, created_at=now, next_escalation_at=escalate_at
    )
    result = await conn.execute(stmt.on_conflict_do_nothing().returning(C.c.id))
    found: str | None = result.scalar_one_or_none()
    return found


def _callback(row: Row[tuple[object, ...]]) -> Callback:
    m = row._mapping
    return Callback(
        id=m["id"], survey_id=m["survey_id"], team_key=m["team_key"], channel=m["channel"],
        status=CallbackStatus(m["status"]), owner_id=m["owner_id"], created_at=m["created_at"],
        claimed_at=m["claimed_at"], closed_at=m["closed_at"],
        outcome=Outcome(m["outcome"]) if m["outcome"] else None, notes=m["notes"],
    )  # fmt: skip


async def get_callback(conn: AsyncConnection, callback_id: str) -> Callback | None:
    row = (await conn.execute(select(C).where(C.c.id == callback_id))).first()
    return _callback(row) if row else None


async def callback_for_survey(conn: AsyncConnection, survey_id: str) -> Callback | None:
    row = (await conn.execute(select(C).where(C.c.survey_id == survey_id))).first()
    return _callback(row) if row else None


async def claim(conn: AsyncConnection, callback_id: str, owner: str, now: datetime) -> bool:
    """Exactly one concurrent caller gets True: the WHERE is the lock."""
    open_ = (C.c.id == callback_id) & (C.c.status == CallbackStatus.OPEN.value)
    values = {"status": CallbackStatus.CLAIMED.value, "owner_id": owner, "claimed_at": now}
    stmt = update(C).where(open_).values(**values).returning(C.c.id)
    return (await conn.execute(stmt)).scalar_one_or_none() is not None


def _owned_by(callback_id: str, owner: str | None):  # type: ignore[no-untyped-def]
    where = (C.c.id == callback_id) & (C.c.status == CallbackStatus.CLAIMED.value)
    return where if owner is None else where & (C.c.owner_id == owner)


async def release(conn: AsyncConnection, callback_id: str, owner: str | None) -> bool:
    """Back to open. `owner=None` is an admin acting on anyone's callback."""
    values = {"status": CallbackStatus.OPEN.value, "owner_id": None, "claimed_at": None}
    stmt = update(C).where(_owned_by(callback_id, owner)).values(**values).returning(C.c.id)
    return (await conn.execute(stmt)).scalar_one_or_none() is not None


async def close(
    conn: AsyncConnection, callback_id: str, owner: str | None, outcome: Outcome,
    notes: str | None, now: datetime,
) -> bool:  # fmt: skip
    values = {"status": CallbackStatus.CLOSED.value, "outcome": outcome.value, "notes": notes}
    stmt = update(C).where(_owned_by(callback_id, owner)).values(**values, closed_at=now)
    return (await conn.execute(stmt.returning(C.c.id))).scalar_one_or_none() is not None


async def alert_ref(conn: AsyncConnection, callback_id: str) -> MessageRef | None:
    query = select(C.c.alert_channel, C.c.alert_ts).where(C.c.id == callback_id)
    row = (await conn.execute(query)).first()
    if row is None or row.alert_ts is None:
        return None
    return MessageRef(channel=row.alert_channel, ts=row.alert_ts)


async def set_alert_ref(conn: AsyncConnection, callback_id: str, ref: MessageRef) -> None:
    values = {"alert_channel": ref.channel, "alert_ts": ref.ts}
    await conn.execute(update(C).where(C.c.id == callback_id).values(**values))


async def due_escalations(
    conn: AsyncConnection, now: datetime, max_level: int, limit: int = 50
) -> list[tuple[Callback, int]]:
    query = (
        select(C).where(
            C.c.status == CallbackStatus.OPEN.value, C.c.next_escalation_at <= now,
            C.c.escalation_level < max_level,
        ).order_by(C.c.next_escalation_at).limit(limit)
    )  # fmt: skip
    rows = (await conn.execute(query)).all()
    return [(_callback(r), int(r._mapping["escalation_level"])) for r in rows]


async def advance_escalation(
    conn: AsyncConnection, callback_id: str, level: int, next_at: datetime | None
) -> bool:
    """Compare-and-set on the level: of several replicas, one takes each step."""
    where = (C.c.id == callback_id) & (C.c.escalation_level == level)
    values = {"escalation_level": level + 1, "next_escalation_at": next_at}
    stmt = update(C).where(where).values(**values).returning(C.c.id)
    return (await conn.execute(stmt)).scalar_one_or_none() is not None


async def claimed_unreminded(conn: AsyncConnection, limit: int = 200) -> list[Callback]:
    query = select(C).where(
        C.c.status == CallbackStatus.CLAIMED.value, C.c.owner_reminded_at.is_(None)
    )
    return [_callback(r) for r in (await conn.execute(query.limit(limit))).all()]


async def mark_owner_reminded(conn: AsyncConnection, callback_id: str, now: datetime) -> bool:
    where = (C.c.id == callback_id) & C.c.owner_reminded_at.is_(None)
    where &= C.c.status == CallbackStatus.CLAIMED.value
    stmt = update(C).where(where).values(owner_reminded_at=now).returning(C.c.id)
    return (await conn.execute(stmt)).scalar_one_or_none() is not None


async def open_callbacks(
    conn: AsyncConnection, team_keys: list[str | None] | None, limit: int = 50
) -> list[tuple[Callback, str]]:
    """Open and claimed callbacks, oldest first, with their survey ids; None means every team."""
    query = select(C).where(C.c.status != CallbackStatus.CLOSED.value)
    if team_keys is not None:
        named = [k for k in team_keys if k is not None]
        where = C.c.team_key.in_(named)
        query = query.where(where | C.c.team_key.is_(None) if None in team_keys else where)
    rows = (await conn.execute(query.order_by(C.c.created_at).limit(limit))).all()
    return [(_callback(r), str(r._mapping["survey_id"])) for r in rows]


async def owned_open(
    conn: AsyncConnection, owner: str, limit: int = 50
) -> list[tuple[Callback, str]]:
    """The claimed, not yet closed callbacks of one owner, oldest first, with their survey ids."""
    query = select(C).where(C.c.owner_id == owner, C.c.status == CallbackStatus.CLAIMED.value)
    rows = (await conn.execute(query.order_by(C.c.created_at).limit(limit))).all()
    return [(_callback(r), str(r._mapping["survey_id"])) for r in rows]
