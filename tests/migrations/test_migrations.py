"""Migrations take an empty database to the models' schema, twice without harm, on both backends."""

from __future__ import annotations

import asyncio
import random
from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Connection, text
from sqlmodel import SQLModel

import store.tables  # noqa: F401 - registers the tables
from store import open_store, rollup_rebuild
from store.engine import make_engine
from store.migrate import alembic_config, upgrade_to_head
from store.rollups import GAP
from tests.databases import PostgresTemplate, postgres_url
from tests.store.test_rollups import ZONES, history, write


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'empty.db'}"
        return
    url = postgres_url()
    if url is None:
        pytest.skip("TEST_DATABASE_URL is not set")
    template = PostgresTemplate.__new__(PostgresTemplate)  # only its admin helpers
    from sqlalchemy.engine import make_url

    template.base = make_url(url)
    # One database per test: two of them on two xdist workers dropped each other's.
    name = f"npsbot_empty_migration_{request.node.name.split('[')[0][-30:]}".lower()
    template._admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    template._admin(f'CREATE DATABASE "{name}"')
    yield template._url(name)
    template._admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _diff(connection: Connection) -> list[object]:
    context = MigrationContext.configure(connection)
    return list(compare_metadata(context, SQLModel.metadata))


async def _schema_diff(url: str) -> list[object]:
    engine = make_engine(url)
    try:
        async with engine.connect() as conn:
            return await conn.run_sync(_diff)
    finally:
        await engine.dispose()


def test_upgrade_from_empty_matches_the_models_and_is_idempotent(empty_db: str) -> None:
    # Synchronous on purpose: `npsbot migrate` runs Alembic outside any event loop.
    upgrade_to_head(empty_db)
    upgrade_to_head(empty_db)  # `npsbot serve` migrates on every start
    assert asyncio.run(_schema_diff(empty_db)) == []


async def _write_history(url: str) -> None:
    store = open_store(url)
    try:
        await rollup_rebuild.reconcile(store, ZONES)
        await write(store, history(random.Random(3), 300), ZONES)
    finally:
        await store.close()


async def _new_rollups(url: str) -> list[list[tuple[object, ...]]]:
    store = open_store(url)
    try:
        async with store.read() as conn:
            days = await conn.execute(text("SELECT * FROM tally_org_day ORDER BY day_start"))
            weeks = await conn.execute(text("SELECT * FROM tally_week ORDER BY 1, 2"))
            return [[tuple(r) for r in days], [tuple(r) for r in weeks]]
    finally:
        await store.close()


def test_0010_fills_the_weeks_and_organisation_days_as_the_bot_keeps_them(empty_db: str) -> None:
    upgrade_to_head(empty_db)
    asyncio.run(_write_history(empty_db))
    kept = asyncio.run(_new_rollups(empty_db))
    assert all(kept)
    command.downgrade(alembic_config(empty_db), "0009")
    upgrade_to_head(empty_db)
    assert asyncio.run(_new_rollups(empty_db)) == kept


async def _gap_rollups(url: str) -> list[list[tuple[object, ...]]]:
    store = open_store(url)
    try:
        async with store.read() as conn:
            found = []
            for table, start in (("tally_day", "day_start"), ("tally_week", "week_start")):
                rows = await conn.execute(
                    text(f"SELECT team_key, {start}, {', '.join(GAP)} FROM {table} ORDER BY 1, 2")  # noqa: S608 - ours
                )
                found.append([tuple(r) for r in rows])
            return found
    finally:
        await store.close()


def test_0011_fills_the_gap_of_the_guesses_already_stored_as_the_bot_keeps_it(
    empty_db: str,
) -> None:
    upgrade_to_head(empty_db)
    asyncio.run(_write_history(empty_db))  # answers, and guesses on a third of the tickets
    kept = asyncio.run(_gap_rollups(empty_db))
    assert sum(row[2] + row[3] + row[4] for row in kept[0]) > 20  # pairs in the days
    command.downgrade(alembic_config(empty_db), "0010")
    upgrade_to_head(empty_db)
    assert asyncio.run(_gap_rollups(empty_db)) == kept
