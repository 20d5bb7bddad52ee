"""Brief SQLite transactions run on the event loop, and a lock held elsewhere never stalls it:
the call goes to the connection's thread and waits there (store.on_loop)."""

from __future__ import annotations

import asyncio
import sqlite3
import subprocess
import sys
import threading
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import text

from store import Store, open_store, outbox
from tests.databases import SqliteTemplate

NOW = datetime(2026, 3, 2, 9, tzinfo=UTC)


async def _thread_of_statements(store: Store, *, brief: bool) -> int:
    async with store.write(brief=brief) as conn:
        raw = await conn.get_raw_connection()
        await raw.driver_connection.create_function("thread_id", 0, threading.get_ident)
        return int((await conn.execute(text("SELECT thread_id()"))).scalar_one())


async def test_a_brief_transaction_runs_on_the_loop_and_others_on_the_thread(
    tmp_path: Path, sqlite_template: SqliteTemplate
) -> None:
    store = open_store(sqlite_template.fresh(tmp_path))
    try:
        assert await _thread_of_statements(store, brief=True) == threading.get_ident()
        assert await _thread_of_statements(store, brief=False) != threading.get_ident()
    finally:
        await store.close()


async def test_a_lock_held_by_another_process_waits_off_the_loop(
    tmp_path: Path, sqlite_template: SqliteTemplate
) -> None:
    url = sqlite_template.fresh(tmp_path)
    other = sqlite3.connect(url.removeprefix("sqlite:///"), isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # SQLite's one write lock, as another process would hold
    store = open_store(url)
    ticks = 0

    async def tick() -> None:
        nonlocal ticks
        while True:
            await asyncio.sleep(0.01)
            ticks += 1

    async def brief_write() -> None:
        async with store.write(brief=True) as conn:
            await outbox.enqueue(conn, "k", "after-the-lock", "slack", NOW, NOW)

    ticker = asyncio.create_task(tick())
    writing = asyncio.create_task(brief_write())
    try:
        await asyncio.sleep(0.3)
        assert not writing.done()  # waiting for the lock, not failed with "database is locked"
        assert ticks >= 10  # the loop kept serving meanwhile
        other.rollback()
        await asyncio.wait_for(writing, 10)
        async with store.write(brief=True) as conn:
            assert (await conn.execute(text("SELECT ref FROM outbox"))).scalars().all() == [
                "after-the-lock"
            ]
    finally:
        ticker.cancel()
        other.close()
        await store.close()


WRITER = """
import asyncio, sys
from datetime import UTC, datetime, timedelta
from store import open_store, outbox

async def main(url, name):
    store = open_store(url)
    now = datetime.now(UTC)
    for n in range(100):
        async with store.write(brief=True) as conn:
            await outbox.claim_due(conn, now=now, owner=name, lease=timedelta(seconds=1), limit=1,
                                   platforms=["slack"])
            await outbox.enqueue(conn, "k", f"{name}-{n}", "slack", now, now)
    await store.close()

asyncio.run(main(sys.argv[1], sys.argv[2]))
"""


async def test_four_processes_in_brief_transactions_never_lock(
    tmp_path: Path, sqlite_template: SqliteTemplate
) -> None:
    url = sqlite_template.fresh(tmp_path)
    procs = [
        await asyncio.create_subprocess_exec(
            sys.executable, "-c", WRITER, url, f"p{i}", stderr=subprocess.PIPE
        )
        for i in range(4)
    ]
    results = await asyncio.gather(*(p.communicate() for p in procs))
    assert [stderr.decode() for _, stderr in results if stderr] == []
    store = open_store(url)
    try:
        async with store.write() as conn:
            stored = (await conn.execute(text("SELECT count(*) FROM outbox"))).scalar_one()
    finally:
        await store.close()
    assert stored == 400
