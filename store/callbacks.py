"""Callback queries: one per survey, claimed and closed only through guarded UPDATEs."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ColumnElement, RowMapping, select, update
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlmodel import col

from bot.callbacks_model import Callback, CallbackStatus, Outcome
from bot.ports import MessageRef
from store.db import insert
from store.tables import CallbackRow


async def insert_callback(
    conn: AsyncConnection,
    callback_id: str,
    survey_id: str,
    team_key: str | None,
    channel: str | None,
    now: datetime,
    escalate_at: datetime,
) -> str | None:
    """The new callback's id, or None if the survey already has one."""
    values = {"id": callback_id, "survey_id": survey_id, "team_key": team_key, "channel": channel}
    stmt = insert(conn, CallbackRow).values(
        **values, status=CallbackStatus.OPEN.value, created_at=now, next_escalation_at=escalate_at
    )
    result = await conn.execute(stmt.on_conflict_do_nothing().returning(col(CallbackRow.id)))
    found: str | None = result.scalar_one_or_none()
    return found


def _callback(m: RowMapping) -> Callback:
    return Callback(
        id=m["id"],
        survey_id=m["survey_id"],
        team_key=m["team_key"],
        channel=m["channel"],
        status=CallbackStatus(m["status"]),
        owner_id=m["owner_id"],
        created_at=m["created_at"],
        claimed_at=m["claimed_at"],
        closed_at=m["closed_at"],
        outcome=Outcome(m["outcome"]) if m["outcome"] else None,
        notes=m["notes"],
    )


async def get_callback(conn: AsyncConnection, callback_id: str) -> Callback | None:
    query = select(CallbackRow).where(col(CallbackRow.id) == callback_id)
    row = (await conn.execute(query)).mappings().first()
    return _callback(row) if row else None


async def callback_for_survey(conn: AsyncConnection, survey_id: str) -> Callback | None:
    query = select(CallbackRow).where(col(CallbackRow.survey_id) == survey_id)
    row = (await conn.execute(query)).mappings().first()
    return _callback(row) if row else None


def _this(callback_id: str) -> ColumnElement[bool]:
    return col(CallbackRow.id) == callback_id


def _status_is(status: CallbackStatus) -> ColumnElement[bool]:
    return col(CallbackRow.status) == status.value


async def claim(conn: AsyncConnection, callback_id: str, owner: str, now: datetime) -> bool:
    """Exactly one concurrent caller gets True: the WHERE is the lock."""
    open_ = _this(callback_id) & _status_is(CallbackStatus.OPEN)
    values = {"status": CallbackStatus.CLAIMED.value, "owner_id": owner, "claimed_at": now}
    stmt = update(CallbackRow).where(open_).values(**values).returning(col(CallbackRow.id))
    return (await conn.execute(stmt)).scalar_one_or_none() is not None


def _owned_by(callback_id: str, owner: str | None) -> ColumnElement[bool]:
    where = _this(callback_id) & _status_is(CallbackStatus.CLAIMED)
    return where if owner is None else where & (col(CallbackRow.owner_id) == owner)


async def release(conn: AsyncConnection, callback_id: str, owner: str | None) -> bool:
    """Back to open. `owner=None` is an admin acting on anyone's callback."""
    values = {"status": CallbackStatus.OPEN.value, "owner_id": None, "claimed_at": None}
    stmt = update(CallbackRow).where(_owned_by(callback_id, owner)).values(**values)
    return (await conn.execute(stmt.returning(col(CallbackRow.id)))).first() is not None


async def close(
    conn: AsyncConnection,
    callback_id: str,
    owner: str | None,
    outcome: Outcome,
    notes: str | None,
    now: datetime,
) -> bool:
    values = {"status": CallbackStatus.CLOSED.value, "outcome": outcome.value, "notes": notes}
    stmt = update(CallbackRow).where(_owned_by(callback_id, owner)).values(**values, closed_at=now)
    return (await conn.execute(stmt.returning(col(CallbackRow.id)))).first() is not None


async def alert_ref(conn: AsyncConnection, callback_id: str) -> MessageRef | None:
    query = select(col(CallbackRow.alert_channel), col(CallbackRow.alert_ts))
    row = (await conn.execute(query.where(_this(callback_id)))).first()
    if row is None:
        return None
    channel, ts = row
    return MessageRef(channel=channel, ts=ts) if channel is not None and ts is not None else None


async def set_alert_ref(conn: AsyncConnection, callback_id: str, ref: MessageRef) -> None:
    values = {"alert_channel": ref.channel, "alert_ts": ref.ts}
    await conn.execute(update(CallbackRow).where(_this(callback_id)).values(**values))


async def due_escalations(
    conn: AsyncConnection, now: datetime, max_level: int, limit: int = 50
) -> list[tuple[Callback, int]]:
    due_at = col(CallbackRow.next_escalation_at)
    query = select(CallbackRow).where(
        _status_is(CallbackStatus.OPEN),
        due_at <= now,
        col(CallbackRow.escalation_level) < max_level,
    )
    rows = await conn.execute(query.order_by(due_at).limit(limit))
    return [(_callback(r), int(r["escalation_level"])) for r in rows.mappings()]


async def advance_escalation(
    conn: AsyncConnection, callback_id: str, level: int, next_at: datetime | None
) -> bool:
    """Compare-and-set on the level: of several replicas, one takes each step."""
    where = _this(callback_id) & (col(CallbackRow.escalation_level) == level)
    values = {"escalation_level": level + 1, "next_escalation_at": next_at}
    stmt = update(CallbackRow).where(where).values(**values).returning(col(CallbackRow.id))
    return (await conn.execute(stmt)).first() is not None


async def claimed_unreminded(conn: AsyncConnection, limit: int = 200) -> list[Callback]:
    query = select(CallbackRow).where(
        _status_is(CallbackStatus.CLAIMED), col(CallbackRow.owner_reminded_at).is_(None)
    )
    return [_callback(r) for r in (await conn.execute(query.limit(limit))).mappings()]


async def mark_owner_reminded(conn: AsyncConnection, callback_id: str, now: datetime) -> bool:
    where = _this(callback_id) & col(CallbackRow.owner_reminded_at).is_(None)
    where &= _status_is(CallbackStatus.CLAIMED)
    stmt = update(CallbackRow).where(where).values(owner_reminded_at=now)
    return (await conn.execute(stmt.returning(col(CallbackRow.id)))).first() is not None


async def open_callbacks(
    conn: AsyncConnection, team_keys: list[str | None] | None, limit: int = 50
) -> list[tuple[Callback, str]]:
    """Open and claimed callbacks, oldest first, with their survey ids; None means every team."""
    query = select(CallbackRow).where(col(CallbackRow.status) != CallbackStatus.CLOSED.value)
    if team_keys is not None:
        team = col(CallbackRow.team_key)
        named = team.in_([k for k in team_keys if k is not None])
        query = query.where(named | team.is_(None) if None in team_keys else named)
    rows = await conn.execute(query.order_by(col(CallbackRow.created_at)).limit(limit))
    return [(_callback(r), str(r["survey_id"])) for r in rows.mappings()]


async def owned_open(
    conn: AsyncConnection, owner: str, limit: int = 50
) -> list[tuple[Callback, str]]:
    """The claimed, not yet closed callbacks of one owner, oldest first, with their survey ids."""
    mine = (col(CallbackRow.owner_id) == owner) & _status_is(CallbackStatus.CLAIMED)
    query = select(CallbackRow).where(mine).order_by(col(CallbackRow.created_at)).limit(limit)
    return [(_callback(r), str(r["survey_id"])) for r in (await conn.execute(query)).mappings()]
