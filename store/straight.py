"""Brief reads straight through the driver, around SQLAlchemy's execution.

`/nps team` runs five small SELECTs in the driver's SQL (store.driver_sql). Around each,
SQLAlchemy's execution (greenlet hand-offs, aiosqlite's cursor, execute, fetch and close, a
result object) cost about as much as the database's own work: in process, the report took
1.9 ms on SQLite with it and 1.4 ms without, 3.1–5.3 ms on PostgreSQL against 2.6–3.5
(bench.profile_reports, 1M answers, alternating; issue 13).

Only where nothing else depends on SQLAlchemy seeing the statement: a connection that
Store.read(brief=True) marked STRAIGHT, in its transaction on SQLite (BEGIN already sent, itself
straight, so the statements share one snapshot) or in autocommit on PostgreSQL. Any error goes
the usual way instead, which runs the read again: it changes nothing, and SQLAlchemy then raises
its own error, with its hidden parameters, and on a lost connection invalidates the pool as
before.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncConnection

from store.on_loop import OnLoopConnection

STRAIGHT = "npsbot_straight"  # an execution option: this connection's reads may go straight


async def rows(conn: AsyncConnection, sql: str, values: Sequence[Any]) -> Sequence[Any] | None:
    """The rows, each a tuple of values as the driver returned them; None when the read must
    go the usual way."""
    sync = conn.sync_connection
    driver = _driver(sync)
    if sync is None or driver is None:
        return None
    if isinstance(driver, OnLoopConnection):
        return driver.rows_now(sql, values) if sync.in_transaction() else None
    try:
        return await driver.fetch(sql, *values)  # type: ignore[no-any-return] # asyncpg's
    except TimeoutError:
        raise  # command_timeout: waiting as long again the usual way would help nobody
    except Exception:
        return None


def begin(conn: Connection) -> bool:
    """Sends a brief read's BEGIN on SQLite straight to the driver, as its statements go: through
    SQLAlchemy's execution it was 0.05 ms of `/nps team`'s 1.4 in process (alternating, 1M
    answers). False where it must go the usual way."""
    driver = _driver(conn)
    return isinstance(driver, OnLoopConnection) and driver.rows_now("BEGIN", ()) is not None


def _driver(sync: Connection | None) -> Any:
    """The driver's own connection under `sync`, when a brief read marked it STRAIGHT."""
    if sync is None or not sync.get_execution_options().get(STRAIGHT):
        return None
    return sync.connection.driver_connection
