"""The daily retention purge on real SQLite and PostgreSQL, the clock driven past the period."""

from __future__ import annotations

import asyncio
import tomllib
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import text as sql

from bot.deps import Deps
from bot.directory import ConfigError, parse_directory
from bot.retention import purge_expired
from bot.settings import Settings
from store import Store, open_store
from store.tables import OutboxRow, RecipientRow, WebhookReceiptRow
from tests.harness import FakeClock
from tests.seed import Seeded, seed

NOW = datetime(2026, 12, 1, 12, tzinfo=UTC)
TOML = '[defaults]\nslack_lead_channel = "C0DEFAULT"\n'


@pytest.fixture
async def stores(db_url: str) -> AsyncIterator[tuple[Store, Store]]:
    """Two replicas: two engines on one database."""
    first, second = open_store(db_url), open_store(db_url)
    yield first, second
    await first.close()
    await second.close()


def deps_for(store: Store, clock: FakeClock, toml: str = TOML) -> Deps:
    return Deps(store, parse_directory(tomllib.loads(toml), toml, "nps.toml"), clock, Settings())


async def _history(store: Store) -> None:
    await seed(
        store,
        Seeded("eus", NOW - timedelta(days=800), score=2, comment="old-comment-canary"),
        Seeded("eus", NOW - timedelta(days=10), score=9, comment="new-comment-kept"),
    )
    old, recent = NOW - timedelta(days=40), NOW - timedelta(days=10)
    jobs = [("done", old), ("failed", old), ("done", recent), ("todo", old)]
    rows = [
        {
            "kind": "survey",
            "ref": f"r{i}",
            "platform": "slack",
            "status": status,
            "attempts": 1,
            "next_attempt_at": at,
            "give_up_at": at,
            "created_at": at,
            "done_at": at if status != "todo" else None,
        }
        for i, (status, at) in enumerate(jobs)
    ]
    receipts = [
        {"source": "generic", "delivery_id": name, "body_sha256": "0" * 64, "received_at": at}
        for name, at in (("old-receipt", old), ("new-receipt", recent))
    ]
    cached = [
        {
            "platform": "slack",
            "email": email,
            "user_id": uid,
            "address": "D" + uid,
            "resolved_at": at,
        }
        for email, uid, at in (
            ("old@example.com", "U0OLD", NOW - timedelta(days=800)),
            ("new@example.com", "U0NEW", recent),
        )
    ]
    async with store.write() as conn:
        await conn.execute(OutboxRow.__table__.insert(), rows)  # type: ignore[attr-defined]
        await conn.execute(WebhookReceiptRow.__table__.insert(), receipts)  # type: ignore[attr-defined]
        await conn.execute(RecipientRow.__table__.insert(), cached)  # type: ignore[attr-defined]


async def _column(store: Store, query: str) -> list[object]:
    async with store.read() as conn:
        return sorted((await conn.execute(sql(query))).scalars(), key=str)


async def test_two_replicas_purge_once_a_day_and_keep_what_is_recent(
    stores: tuple[Store, Store],
) -> None:
    await _history(stores[0])
    clock = FakeClock(NOW)
    replicas = [deps_for(s, clock) for s in stores]

    ran = await asyncio.gather(*(purge_expired(d) for d in replicas))
    assert sorted(ran) == [False, True]
    assert await _column(stores[0], "SELECT comment FROM answer") == [None, "new-comment-kept"]
    assert await _column(stores[0], "SELECT score FROM answer") == [2, 9]  # figures stay
    emails = await _column(stores[0], "SELECT requester_email FROM survey")
    assert emails[0] == ""
    assert emails[1].endswith("@example.com")
    assert await _column(stores[0], "SELECT email FROM recipient") == ["new@example.com"]
    assert await _column(stores[0], "SELECT ref FROM outbox") == ["r2", "r3"]  # recent, waiting
    assert await _column(stores[0], "SELECT delivery_id FROM webhook_receipt") == ["new-receipt"]

    assert await asyncio.gather(*(purge_expired(d) for d in replicas)) == [False, False]
    clock.advance(days=1)
    assert sorted(await asyncio.gather(*(purge_expired(d) for d in replicas))) == [False, True]
    assert len(await _column(stores[0], "SELECT day FROM retention_run")) == 2


async def test_retention_days_0_keeps_comments_but_still_trims_the_outbox(
    stores: tuple[Store, Store],
) -> None:
    await _history(stores[0])
    deps = deps_for(stores[0], FakeClock(NOW), TOML + "retention_days = 0\n")
    assert await purge_expired(deps)
    assert await _column(stores[0], "SELECT comment FROM answer") == [
        "new-comment-kept",
        "old-comment-canary",
    ]
    assert await _column(stores[0], "SELECT ref FROM outbox") == ["r2", "r3"]


@pytest.mark.parametrize("value", ["-1", "1.5", '"730"', "true"])
def test_a_bad_retention_days_names_the_setting(value: str) -> None:
    toml = TOML + f"retention_days = {value}\n"
    with pytest.raises(ConfigError, match=r"nps.toml:1: \[defaults\]: retention_days must be"):
        parse_directory(tomllib.loads(toml), toml, "nps.toml")


def test_retention_days_defaults_to_two_years() -> None:
    assert parse_directory(tomllib.loads(TOML), TOML, "nps.toml").retention_days == 730
