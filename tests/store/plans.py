"""SQLite's EXPLAIN QUERY PLAN of the statements a read runs, for tests that pin a plan."""

from __future__ import annotations

from typing import Any

from sqlalchemy import event

from store import Store


async def query_plans(store: Store, read: Any) -> list[str]:
    """Each SELECT the read ran, as EXPLAIN QUERY PLAN describes its table access."""
    seen: list[tuple[str, Any]] = []

    def capture(_c: Any, _cur: Any, statement: str, params: Any, *_: Any) -> None:
        if statement.lstrip().upper().startswith("SELECT"):
            seen.append((statement, params))

    event.listen(store.engine.sync_engine, "before_cursor_execute", capture)
    try:
        async with store.read() as conn:
            await read(conn)
            return [
                " / ".join(str(row[-1]) for row in await explain(conn, sql, params))
                for sql, params in seen
            ]
    finally:
        event.remove(store.engine.sync_engine, "before_cursor_execute", capture)


async def explain(conn: Any, sql: str, params: Any) -> list[Any]:
    raw = await conn.get_raw_connection()
    cursor = await raw.driver_connection.execute("EXPLAIN QUERY PLAN " + sql, params)
    return list(await cursor.fetchall())
