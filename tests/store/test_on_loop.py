"""Brief SQLite transactions run on the event loop, and a lock held elsewhere never stalls it:
the call goes to the connection's thread and waits there (store.on_loop)."""

from __future__ import annotations

import asyncio
import sqlite3
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
