"""The batch reads of webhook intake search the key: a full-table scan per batch made every
webhook slower as the history grew (SQLite scans for a row value `(a, b) IN (VALUES …)`)."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import event, text

from bot.import_rows import ImportedAnswer
from bot.model import Platform
from store import Store, intake, open_store
from store import imports as import_rows

TABLE_SCAN = re.compile(r"\bSCAN (?!\d+ CONSTANT ROWS)")
KEYS = [("jira", "SD-1"), ("jira", "SD-2"), ("zendesk", "77")]
IMPORTED = [
    ImportedAnswer(
        source,
        ticket,
        "title",
        None,
        None,
        Platform.SLACK,
        9,
        datetime(2026, 1, 5, tzinfo=UTC),
        None,
        None,
        "ana@example.com",
        None,
        (),
    )
    for source, ticket in KEYS
]


@pytest.fixture
async def store(db_url: str) -> AsyncIterator[Store]:
    opened = open_store(db_url)
    yield opened
    await opened.close()


async def _plans(store: Store, read: Any) -> list[str]:
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
                " / ".join(str(row[-1]) for row in await _explain(conn, sql, params))
                for sql, params in seen
            ]
    finally:
        event.remove(store.engine.sync_engine, "before_cursor_execute", capture)


async def _explain(conn: Any, sql: str, params: Any) -> list[Any]:
    raw = await conn.get_raw_connection()
    cursor = await raw.driver_connection.execute("EXPLAIN QUERY PLAN " + sql, params)
    return list(await cursor.fetchall())


@pytest.mark.parametrize(
    "read",
    [
        lambda conn: intake.receipts_among(conn, KEYS),
        lambda conn: intake.latest_rounds(conn, KEYS),
        lambda conn: import_rows.count_present(conn, IMPORTED),
    ],
    ids=["receipts", "rounds", "import-dry-run"],
)
async def test_batch_reads_search_the_primary_or_unique_key(store: Store, read: Any) -> None:
    if store.dialect != "sqlite":
        pytest.skip("the plans checked are SQLite's; PostgreSQL searches either form")
    plans = await _plans(store, read)
    assert plans
    # The pairs' own VALUES list is scanned ("SCAN 2 CONSTANT ROWS"); no table ever is.
    assert all("SEARCH" in plan and not TABLE_SCAN.search(plan) for plan in plans), plans


async def test_the_reads_return_only_the_pairs_asked_for(store: Store) -> None:
    """Two IN lists also match mixed pairs (jira/77, zendesk/SD-1): those are dropped."""
    async with store.write() as conn:
        for source, delivery in [("jira", "77"), ("zendesk", "SD-1"), ("jira", "SD-2")]:
            await conn.execute(
                text(
                    "INSERT INTO webhook_receipt (source, delivery_id, body_sha256, received_at)"
                    " VALUES (:s, :d, 'h', '2026-12-01 00:00:00.000000')"
                ),
                {"s": source, "d": delivery},
            )
    async with store.read() as conn:
        found = await intake.receipts_among(conn, KEYS)
    assert set(found) == {("jira", "SD-2")}
