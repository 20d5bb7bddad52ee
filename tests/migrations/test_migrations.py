"""Migrations take an empty database to the models' schema, twice without harm, on both backends."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Connection
from sqlmodel import SQLModel

import store.tables  # noqa: F401 - registers the tables
from store.engine import make_engine
from store.migrate import upgrade_to_head
from tests.databases import PostgresTemplate, postgres_url


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
    name = "npsbot_empty_migration"
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
