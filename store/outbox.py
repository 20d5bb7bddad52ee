"""The delivery queue: jobs claimed under a lease, so any number of replicas can share it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, Update, and_, exists, or_, select, update
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlalchemy.orm import aliased
from sqlmodel import col

from store import bulk
from store.db import insert
from store.tables import OutboxRow


@dataclass(frozen=True, slots=True)
class Job:
    id: int
    kind: str
    ref: str
    platform: str
    attempts: int
    give_up_at: datetime
    # When it was due: a job that waits on its platform's limit keeps its place in the queue.
    due_at: datetime | None = None


async def enqueue(
    conn: AsyncConnection, kind: str, ref: str, platform: str, now: datetime, give_up_at: datetime
) -> None:
    """Adds a job unless the same (kind, ref) is already waiting: pending updates coalesce."""
    values = {"kind": kind, "ref": ref, "platform": platform, "status": "todo", "attempts": 0}
    times = {"next_attempt_at": now, "give_up_at": give_up_at, "created_at": now}
    await conn.execute(insert(conn, OutboxRow).values(**values, **times).on_conflict_do_nothing())


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
    await bulk.insert_new(conn, OutboxRow, params)


def _due(now: datetime, platforms: list[str]) -> ColumnElement[bool]:
    status, job_id = col(OutboxRow.status), col(OutboxRow.id)
    waiting = and_(status == "todo", col(OutboxRow.next_attempt_at) <= now)
    # A lease that ran out means its worker died mid-send: the job is taken again.
    abandoned = and_(status == "sending", col(OutboxRow.lease_until) < now)
    # One job at a time per ref, oldest first: an alert's update never overtakes its post,
    # and two updates of one message cannot land in the wrong order.
    other = aliased(OutboxRow, name="other")
    busy = exists().where(
        col(other.ref) == col(OutboxRow.ref),
        col(other.id) != job_id,
        or_(
            and_(col(other.status) == "sending", col(other.lease_until) >= now),
            and_(col(other.status) == "todo", col(other.id) < job_id),
        ),
    )
    return and_(or_(waiting, abandoned), col(OutboxRow.platform).in_(platforms), ~busy)


async def claim_due(
    conn: AsyncConnection,
    *,
    now: datetime,
    owner: str,
    lease: timedelta,
    limit: int,
    platforms: list[str],
) -> list[Job]:
    if not platforms:
        return []
    stmt = claim_statement(now=now, owner=owner, lease=lease, limit=limit, platforms=platforms)
    rows = (await conn.execute(stmt)).all()
    return [
        Job(r.id, r.kind, r.ref, r.platform, r.attempts, r.give_up_at, r.next_attempt_at)
        for r in rows
    ]


# What a claim hands the worker besides the id, in Job's order.
_JOB_COLUMNS = (
    col(OutboxRow.kind),
    col(OutboxRow.ref),
    col(OutboxRow.platform),
    col(OutboxRow.attempts),
    col(OutboxRow.give_up_at),
    col(OutboxRow.next_attempt_at),
)


def claim_statement(
    *, now: datetime, owner: str, lease: timedelta, limit: int, platforms: list[str]
) -> Update:
    """The claim's UPDATE, apart so that bench/outbox_claim can EXPLAIN it."""
    due = _due(now, platforms)
    job_id, attempts = col(OutboxRow.id), col(OutboxRow.attempts)
    # SKIP LOCKED lets PostgreSQL replicas take different rows; SQLite drops the clause and
    # relies on BEGIN IMMEDIATE. The outer WHERE re-checks, as the SKIP LOCKED caveats advise.
    picked = (
        select(job_id)
        .where(due)
        .order_by(col(OutboxRow.next_attempt_at), job_id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    values = {"status": "sending", "lease_owner": owner, "lease_until": now + lease}
    return (
        update(OutboxRow)
        .where(job_id.in_(picked.scalar_subquery()), due)
        .values(**values, attempts=attempts + 1)
        .returning(job_id, *_JOB_COLUMNS)
    )


def _mine(job_id: int, owner: str) -> ColumnElement[bool]:
    return and_(
        col(OutboxRow.id) == job_id,
        col(OutboxRow.status) == "sending",
        col(OutboxRow.lease_owner) == owner,
    )


def _all_mine(job_ids: list[int], owner: str) -> ColumnElement[bool]:
    return and_(
        col(OutboxRow.id).in_(job_ids),
        col(OutboxRow.status) == "sending",
        col(OutboxRow.lease_owner) == owner,
    )


async def complete(conn: AsyncConnection, job_id: int, owner: str, now: datetime) -> bool:
    values = {"status": "done", "done_at": now, "lease_until": None}
    stmt = update(OutboxRow).where(_mine(job_id, owner)).values(**values)
    result = await conn.execute(stmt.returning(col(OutboxRow.id)))
    return result.scalar_one_or_none() is not None


async def complete_many(
    conn: AsyncConnection, job_ids: list[int], owner: str, now: datetime
) -> set[int]:
    """`complete` for several jobs of one owner in one statement; returns those it completed."""
    values = {"status": "done", "done_at": now, "lease_until": None}
    stmt = update(OutboxRow).where(_all_mine(job_ids, owner)).values(**values)
    done = (await conn.execute(stmt.returning(col(OutboxRow.id)))).scalars()
    return {i for i in done if i is not None}  # the model types id optional: unset before insert


async def retry_later(
    conn: AsyncConnection, job_id: int, owner: str, at: datetime, error: str
) -> None:
    values = {"status": "todo", "next_attempt_at": at, "last_error": error[:200]}
    stmt = update(OutboxRow).where(_mine(job_id, owner)).values(**values, lease_until=None)
    await conn.execute(stmt)


async def release(conn: AsyncConnection, job_ids: list[int], owner: str, at: datetime) -> None:
    """Hands back jobs claimed but never attempted: due again at `at`, the claim uncounted."""
    values = {"status": "todo", "next_attempt_at": at, "lease_until": None}
    uncounted = col(OutboxRow.attempts) - 1
    await conn.execute(
        update(OutboxRow).where(_all_mine(job_ids, owner)).values(**values, attempts=uncounted)
    )


async def give_up(
    conn: AsyncConnection, job_id: int, owner: str, error: str, now: datetime
) -> None:
    values = {"status": "failed", "last_error": error[:200], "done_at": now, "lease_until": None}
    await conn.execute(update(OutboxRow).where(_mine(job_id, owner)).values(**values))


async def next_due_at(conn: AsyncConnection, platforms: list[str]) -> datetime | None:
    due_at = col(OutboxRow.next_attempt_at)
    query = select(due_at).where(
        col(OutboxRow.status) == "todo", col(OutboxRow.platform).in_(platforms)
    )
    return (await conn.execute(query.order_by(due_at).limit(1))).scalar_one_or_none()
