"""The delivery queue: jobs claimed under a lease, so any number of replicas can share it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Update, and_, exists, or_, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from store.db import insert
from store.tables import OutboxRow

O = OutboxRow.__table__  # type: ignore[attr-defined]  # noqa: E741


@dataclass(frozen=True, slots=True)
class Job:
    id: int
    kind: str
    ref: str
    platform: str
    attempts: int
    give_up_at: datetime


async def enqueue(
    conn: AsyncConnection, kind: str, ref: str, platform: str, now: datetime, give_up_at: datetime
) -> None:
    """Adds a job unless the same (kind, ref) is already waiting: pending updates coalesce."""
    values = {"kind": kind, "ref": ref, "platform": platform, "status": "todo", "attempts": 0}
    times = {"next_attempt_at": now, "give_up_at": give_up_at, "created_at": now}
    await conn.execute(insert(conn, O).values(**values, **times).on_conflict_do_nothing())


async def enqueue_many(
    conn: AsyncConnection,
    kind: str,
    refs: list[tuple[str, str]],
    now: datetime,
    give_up_at: datetime,
) -> None:
    """`enqueue` for several (ref, platform) in one statement."""
    if not refs:
        return
    params = [
        {
            "kind": kind,
            "ref": ref,
            "platform": platform,
            "status": "todo",
            "attempts": 0,
            "next_attempt_at": now,
            "give_up_at": give_up_at,
            "created_at": now,
        }
        for ref, platform in refs
    ]
    await conn.execute(insert(conn, O).on_conflict_do_nothing(), params)


def _due(now: datetime, platforms: list[str]):  # type: ignore[no-untyped-def]
    waiting = and_(O.c.status == "todo", O.c.next_attempt_at <= now)
    # A lease that ran out means its worker died mid-send: the job is taken again.
    abandoned = and_(O.c.status == "sending", O.c.lease_until < now)
    # One job at a time per ref, oldest first: an alert's update never overtakes its post,
    # and two updates of one message cannot land in the wrong order.
    other = O.alias("other")
    busy = exists().where(
        other.c.ref == O.c.ref, other.c.id != O.c.id,
        or_(
            and_(other.c.status == "sending", other.c.lease_until >= now),
            and_(other.c.status == "todo", other.c.id < O.c.id),
        ),
    )  # fmt: skip
    return and_(or_(waiting, abandoned), O.c.platform.in_(platforms), ~busy)


async def claim_due(
    conn: AsyncConnection, *, now: datetime, owner: str, lease: timedelta, limit: int,
    platforms: list[str],
) -> list[Job]:  # fmt: skip
    if not platforms:
        return []
    stmt = claim_statement(now=now, owner=owner, lease=lease, limit=limit, platforms=platforms)
    rows = (await conn.execute(stmt)).all()
    return [Job(r.id, r.kind, r.ref, r.platform, r.attempts, r.give_up_at) for r in rows]


def claim_statement(
    *, now: datetime, owner: str, lease: timedelta, limit: int, platforms: list[str]
) -> Update:
    """The claim's UPDATE, apart so that bench/outbox_claim can EXPLAIN it."""
    due = _due(now, platforms)
    # SKIP LOCKED lets PostgreSQL replicas take different rows; SQLite drops the clause and
    # relies on BEGIN IMMEDIATE. The outer WHERE re-checks, as the SKIP LOCKED caveats advise.
    picked = (
        select(O.c.id).where(due).order_by(O.c.next_attempt_at, O.c.id).limit(limit)
        .with_for_update(skip_locked=True)
    )  # fmt: skip
    values = {"status": "sending", "lease_owner": owner, "lease_until": now + lease}
    return (
        update(O).where(O.c.id.in_(picked.scalar_subquery()), due)
        .values(**values, attempts=O.c.attempts + 1)
        .returning(O.c.id, O.c.kind, O.c.ref, O.c.platform, O.c.attempts, O.c.give_up_at)
    )  # fmt: skip


def _mine(job_id: int, owner: str):  # type: ignore[no-untyped-def]
    return and_(O.c.id == job_id, O.c.status == "sending", O.c.lease_owner == owner)


async def complete(conn: AsyncConnection, job_id: int, owner: str, now: datetime) -> bool:
    stmt = (
        update(O).where(_mine(job_id, owner)).values(status="done", done_at=now, lease_until=None)
    )
    return (await conn.execute(stmt.returning(O.c.id))).scalar_one_or_none() is not None


async def complete_many(
    conn: AsyncConnection, job_ids: list[int], owner: str, now: datetime
) -> set[int]:
    """`complete` for several jobs of one owner in one statement; returns those it completed."""
    mine = and_(O.c.id.in_(job_ids), O.c.status == "sending", O.c.lease_owner == owner)
    stmt = update(O).where(mine).values(status="done", done_at=now, lease_until=None)
    return {int(i) for i in (await conn.execute(stmt.returning(O.c.id))).scalars()}


async def retry_later(
    conn: AsyncConnection, job_id: int, owner: str, at: datetime, error: str
) -> None:
    values = {"status": "todo", "next_attempt_at": at, "last_error": error[:200]}
    await conn.execute(update(O).where(_mine(job_id, owner)).values(**values, lease_until=None))


async def release(conn: AsyncConnection, job_ids: list[int], owner: str, at: datetime) -> None:
    """Hands back jobs claimed but never attempted: due again at `at`, the claim uncounted."""
    mine = and_(O.c.id.in_(job_ids), O.c.status == "sending", O.c.lease_owner == owner)
    values = {"status": "todo", "next_attempt_at": at, "lease_until": None}
    await conn.execute(update(O).where(mine).values(**values, attempts=O.c.attempts - 1))


async def give_up(
    conn: AsyncConnection, job_id: int, owner: str, error: str, now: datetime
) -> None:
    values = {"status": "failed", "last_error": error[:200], "done_at": now, "lease_until": None}
    await conn.execute(update(O).where(_mine(job_id, owner)).values(**values))


async def next_due_at(conn: AsyncConnection, platforms: list[str]) -> datetime | None:
    query = select(O.c.next_attempt_at).where(O.c.status == "todo", O.c.platform.in_(platforms))
    return (await conn.execute(query.order_by(O.c.next_attempt_at).limit(1))).scalar_one_or_none()
