"""B-outbox: one delivery claim with 200k finished outbox rows, with and without the 0004 index
and the 30-day purge; the plan each backend picks is printed beside the figure.

Run: `.venv/bin/python -m bench.outbox_claim [--pg postgresql://…]`. A fresh SQLite file (and a
fresh PostgreSQL database when --pg is given) is migrated to head; "before" drops the index that
0004 adds, which is main's schema for the claim."""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import text

from store import Store, open_store, outbox
from store.migrate import upgrade_to_head
from store.retention import purge_finished

FINISHED = 200_000
WAITING = 20
RUNS = 200
NOW = datetime(2026, 12, 1, 12, tzinfo=UTC)
INDEXES = ("ix_outbox_sending_lease", "ix_outbox_ref_active")


async def _fill(store: Store) -> None:
    old = NOW - timedelta(days=60)
    rows = [
        {
            "kind": "survey",
            "ref": f"s{i:08d}",
            "platform": "slack",
            "status": "done",
            "attempts": 1,
            "n": old,
            "g": old,
            "c": old,
            "d": old + timedelta(seconds=i % 3600),
        }
        for i in range(FINISHED)
    ]
    insert = text(
        "INSERT INTO outbox (kind, ref, platform, status, attempts, next_attempt_at, give_up_at,"
        " created_at, done_at) VALUES (:kind, :ref, :platform, :status, :attempts, :n, :g, :c, :d)"
    )
    async with store.write() as conn:
        for start in range(0, len(rows), 10_000):
            await conn.execute(insert, rows[start : start + 10_000])


async def _waiting(store: Store) -> None:
    async with store.write() as conn:
        await conn.execute(
            text(
                "UPDATE outbox SET status = 'todo', lease_until = NULL, "
                "attempts = 0 WHERE status = 'sending'"
            )
        )
        for i in range(WAITING - await _count(store, conn)):
            await outbox.enqueue(conn, "survey", f"w{i:04d}", "slack", NOW, NOW + timedelta(days=1))


async def _count(store: Store, conn: object) -> int:
    del store
    found = await conn.execute(text("SELECT count(*) FROM outbox WHERE status = 'todo'"))  # type: ignore[attr-defined]
    return int(found.scalar_one())


async def _claim_ms(store: Store) -> float:
    """Median of RUNS claims of one job each, every job put back between claims."""
    times, taken = [], []
    for _ in range(RUNS):
        await _waiting(store)
        start = time.perf_counter()
        async with store.write() as conn:
            jobs = await outbox.claim_due(
                conn,
                now=NOW,
                owner="bench",
                lease=timedelta(minutes=2),
                limit=1,
                platforms=["slack"],
            )
        times.append((time.perf_counter() - start) * 1000)
        taken.append(len(jobs))
    if max(taken) > 1:  # PostgreSQL may re-run the LIMITed SKIP LOCKED subquery (see docs)
        print(f"  note: a limit=1 claim took up to {max(taken)} jobs")
    return statistics.median(times)


async def _plan(store: Store) -> str:
    explain = "EXPLAIN QUERY PLAN " if store.dialect == "sqlite" else "EXPLAIN "
    async with store.read() as conn:
        stmt = outbox.claim_statement(
            now=NOW, owner="bench", lease=timedelta(minutes=2), limit=1, platforms=["slack"]
        )
        compiled = stmt.compile(conn.sync_connection, compile_kwargs={"literal_binds": True})
        rows = (await conn.execute(text(explain + str(compiled)))).all()
    return "\n".join(" | ".join(str(c) for c in row) for row in rows)


async def _measure(url: str) -> list[str]:
    store = open_store(url)
    lines = []
    try:
        await _fill(store)
        async with store.write() as conn:
            for name in INDEXES:
                await conn.execute(text(f"DROP INDEX {name}"))
        await _analyze(store)
        lines.append(f"before (main's indexes): {await _claim_ms(store):.2f} ms per claim")
        lines.append(await _plan(store))
        async with store.write() as conn:
            await conn.execute(text("DELETE FROM outbox"))
        await _fill(store)
        await _create_indexes(store)
        await _analyze(store)
        lines.append(f"index only, 200k rows kept: {await _claim_ms(store):.2f} ms per claim")
        lines.append(await _plan(store))
        async with store.write() as conn:
            purged = await purge_finished(conn, NOW)
        await _analyze(store)
        lines.append(f"index + purge ({purged} rows deleted): {await _claim_ms(store):.2f} ms")
    finally:
        await store.close()
    return lines


async def _create_indexes(store: Store) -> None:
    from store.tables import OutboxRow

    async with store.engine.begin() as conn:
        for index in OutboxRow.__table__.indexes:  # type: ignore[attr-defined]
            if index.name in INDEXES:
                await conn.run_sync(index.create)


async def _analyze(store: Store) -> None:
    if store.dialect == "postgresql":
        async with store.engine.connect() as conn:
            await conn.execution_options(isolation_level="AUTOCOMMIT")
            await conn.execute(text("VACUUM ANALYZE outbox"))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pg", help="a PostgreSQL URL whose database may be emptied")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        urls = {"SQLite": f"sqlite:///{Path(tmp) / 'bench.db'}"}
        if args.pg:
            urls["PostgreSQL"] = args.pg
        for name, url in urls.items():
            upgrade_to_head(url)
            print(f"## {name}")
            for line in asyncio.run(_measure(url)):
                print(line)


if __name__ == "__main__":
    main()
