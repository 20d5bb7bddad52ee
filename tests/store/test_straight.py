"""store.straight: a brief read's fetches go straight to the driver and give the rows the usual
way gives; anything that goes wrong there goes the usual way, so callers see SQLAlchemy's errors
and a lost PostgreSQL connection still renews the pool."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from sqlalchemy import event, text
from sqlalchemy.exc import DBAPIError

from store import Store, open_store
from store.driver_sql import Params, fetch
from tests.databases import terminate_other_backends

ZONES = [("eus", "Europe/Paris"), ("net", "UTC"), ("ops", "America/New_York")]


@contextmanager
def statements_seen(store: Store) -> Iterator[list[str]]:
    """What SQLAlchemy executed while inside: the straight way goes around it."""
    seen: list[str] = []

    def before(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        seen.append(statement)

    event.listen(store.engine.sync_engine, "before_cursor_execute", before)
    try:
        yield seen
    finally:
        event.remove(store.engine.sync_engine, "before_cursor_execute", before)


async def _zones(store: Store) -> None:
    async with store.write() as conn:
        for key, zone in ZONES:
            await conn.execute(
                text("INSERT INTO tally_zone (team_key, zone) VALUES (:k, :z)"),
                {"k": key, "z": zone},
            )


def _select(dialect: str, keys: list[str]) -> tuple[str, Params]:
    p = Params(dialect)
    return f"SELECT team_key, zone FROM tally_zone WHERE {p.among('team_key', keys)}", p  # noqa: S608 - ours


async def test_a_brief_read_goes_straight_and_gets_the_usual_rows(store: Store) -> None:
    await _zones(store)
    sql, p = _select(store.dialect, ["eus", "ops", "nobody"])
    with statements_seen(store) as seen:
        async with store.read() as conn:
            usual = [tuple(r) for r in await fetch(conn, sql, p)]
        assert any("tally_zone" in s for s in seen)
        seen.clear()
        async with store.read(brief=True) as conn:
            straight = [tuple(r) for r in await fetch(conn, sql, p)]
    assert sorted(straight) == sorted(usual) == [ZONES[0], ZONES[2]]
    assert not any("tally_zone" in s for s in seen)


async def test_a_brief_read_on_sqlite_begins_straight_too(store: Store) -> None:
    if store.dialect != "sqlite":
        pytest.skip("a brief read on PostgreSQL sends no BEGIN")
    with statements_seen(store) as seen:
        async with store.read() as conn:
            await conn.execute(text("SELECT 1"))
        assert seen[0] == "BEGIN"
        seen.clear()
        async with store.read(brief=True) as conn:
            await conn.execute(text("SELECT 1"))
            assert conn.sync_connection is not None
            assert conn.sync_connection.connection.driver_connection.in_transaction
    assert seen == ["SELECT 1"]


async def test_a_straight_read_on_sqlite_keeps_its_snapshot(store: Store, db_url: str) -> None:
    if store.dialect != "sqlite":
        pytest.skip("a brief read on PostgreSQL is READ COMMITTED: one snapshot per statement")
    await _zones(store)
    other = open_store(db_url)
    sql, p = _select(store.dialect, ["eus", "net", "ops", "new"])
    try:
        async with store.read(brief=True) as conn:
            before = len(await fetch(conn, sql, p))
            async with other.write() as w:
                await w.execute(
                    text("INSERT INTO tally_zone (team_key, zone) VALUES ('new', 'UTC')")
                )
            assert len(await fetch(conn, sql, p)) == before == 3
    finally:
        await other.close()


async def test_a_failed_straight_read_raises_sqlalchemys_error(store: Store) -> None:
    async with store.read(brief=True) as conn:
        with pytest.raises(DBAPIError, match="no_such_table"):
            await fetch(conn, "SELECT * FROM no_such_table", Params(store.dialect))


async def test_a_postgresql_connection_lost_under_a_straight_read_renews_the_pool(
    store: Store, db_url: str
) -> None:
    if store.dialect != "postgresql":
        pytest.skip("SQLite has no server to lose")
    sql, p = _select(store.dialect, ["eus"])

    async def read(_: object = None) -> list[Any]:
        async with store.read(brief=True) as conn:
            return list(await fetch(conn, sql, p))

    await asyncio.gather(*(read() for _ in range(3)))  # three pooled connections
    await terminate_other_backends(db_url)
    with pytest.raises(DBAPIError):
        await read()  # the first finds its connection gone, and the pool is renewed
    assert await read() == []
    assert await read() == []
