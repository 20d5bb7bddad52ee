"""SQLite with several writers: BEGIN IMMEDIATE means no "database is locked" (reliability §0.9)."""

from __future__ import annotations

import asyncio
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import text

from store import open_store
from tests.databases import SqliteTemplate

WRITER = """
import asyncio, sys
from datetime import UTC, datetime, timedelta
from store import open_store, outbox

async def main(url, name, brief):
    store = open_store(url)
    now = datetime.now(UTC)
    for n in range(100):
        # read-then-write in one transaction: the pattern that fails with a deferred BEGIN
        async with store.write(brief=brief == "brief") as conn:
            await outbox.claim_due(conn, now=now, owner=name, lease=timedelta(seconds=1), limit=1,
                                   platforms=["slack"])
            await outbox.enqueue(conn, "k", f"{name}-{n}", "slack", now, now)
    await store.close()

asyncio.run(main(*sys.argv[1:4]))
"""


# brief: each call runs on the loop without waiting for the lock, and one that finds it taken
# goes to aiosqlite's thread to wait there (store.on_loop).
@pytest.mark.parametrize("transactions", ["thread", "brief"])
async def test_four_processes_writing_one_sqlite_file_never_lock(
    tmp_path: Path, sqlite_template: SqliteTemplate, transactions: str
) -> None:
    url = sqlite_template.fresh(tmp_path)
    procs = [
        await asyncio.create_subprocess_exec(
            sys.executable, "-c", WRITER, url, f"p{i}", transactions, stderr=subprocess.PIPE
        )
        for i in range(4)
    ]
    results = await asyncio.gather(*(p.communicate() for p in procs))
    errors = [stderr.decode() for _, stderr in results if stderr]
    assert errors == []
    assert all(p.returncode == 0 for p in procs)
    store = open_store(url)
    try:
        async with store.read() as conn:
            assert (await conn.execute(text("SELECT count(*) FROM outbox"))).scalar_one() == 400
    finally:
        await store.close()
