"""Store.read_apart, which `/nps team` reads through: each read's result in its place, on
PostgreSQL all at once on connections of their own, and never a read left running."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import text

from store import Conn, Store


async def _value(sql: str, conn: Conn) -> int:
    return int((await conn.execute(text(sql))).scalar_one())


async def test_each_read_gives_its_own_result_in_its_place(store: Store) -> None:
    found = await store.read_apart(
        lambda conn: _value("SELECT 1", conn),
        lambda conn: _value("SELECT 2", conn),
        lambda conn: _value("SELECT 3", conn),
    )
    assert found == (1, 2, 3)


async def test_a_failed_read_raises_its_own_error_once_every_read_has_ended(store: Store) -> None:
    ended: list[str] = []

    async def slow(conn: Conn) -> int:
        await asyncio.sleep(0.05)
        ended.append("slow")
        return await _value("SELECT 1", conn)

    async def broken(conn: Conn) -> int:
        return await _value("SELECT * FROM no_such_table", conn)

    with pytest.raises(Exception, match="no_such_table"):
        await store.read_apart(slow, broken)
    assert ended == ["slow"]
    assert store.engine.sync_engine.pool.checkedout() == 0  # type: ignore[attr-defined]


async def test_postgresql_runs_the_reads_at_once_outside_any_transaction(store: Store) -> None:
    if store.dialect != "postgresql":
        pytest.skip("SQLite runs brief reads one after the other on its event loop")
    meeting = asyncio.Barrier(2)  # each read waits until the other has started: at once, or never

    async def read(conn: Conn) -> tuple[int, int, int]:
        pid = await _value("SELECT pg_backend_pid()", conn)
        await asyncio.wait_for(meeting.wait(), timeout=5)
        # Two statements, two transactions: a brief read sends no BEGIN (see Store.read).
        first = await _value("SELECT txid_current()", conn)
        return pid, first, await _value("SELECT txid_current()", conn)

    (pid_a, a1, a2), (pid_b, b1, b2) = await store.read_apart(read, read)
    assert pid_a != pid_b
    assert a1 != a2
    assert b1 != b2
