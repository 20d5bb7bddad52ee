"""The batch reads of webhook intake search the key: a full-table scan per batch made every
webhook slower as the history grew (SQLite scans for a row value `(a, b) IN (VALUES …)`)."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import text

from bot.import_rows import ImportedAnswer
from bot.model import Platform
from store import Store, intake
from store import imports as import_rows
from tests.store.plans import query_plans

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


@pytest.mark.parametrize(
    "read",
    [
        lambda conn: intake.receipts_among(conn, KEYS),
        lambda conn: intake.latest_rounds(conn, KEYS),
        lambda conn: import_rows.count_present(conn, IMPORTED),
        lambda conn: intake.opted_out_among(conn, ["ana@example.com", "bo@example.com"]),
        lambda conn: intake.last_surveyed(
            conn, ["ana@example.com"], datetime(2026, 1, 1, tzinfo=UTC)
        ),
    ],
    ids=["receipts", "rounds", "import-dry-run", "opted-out", "last-surveyed"],
)
async def test_batch_reads_search_the_primary_or_unique_key(store: Store, read: Any) -> None:
    if store.dialect != "sqlite":
        pytest.skip("the plans checked are SQLite's; PostgreSQL searches either form")
    plans = await query_plans(store, read)
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
