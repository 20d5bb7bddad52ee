"""Real databases for tests: a migrated SQLite file, or PostgreSQL cloned from a template."""

from __future__ import annotations

import asyncio
import os
import secrets
import shutil
from pathlib import Path

import asyncpg
from sqlalchemy import text
from sqlalchemy.engine import make_url

from store import open_store
from store.migrate import upgrade_to_head


def postgres_url() -> str | None:
    return os.environ.get("TEST_DATABASE_URL") or None


class SqliteTemplate:
    """Migrating once and copying the file keeps each test's fresh database cheap."""

    def __init__(self, folder: Path) -> None:
        self.path = folder / "template.db"
        upgrade_to_head(f"sqlite:///{self.path}")

    def fresh(self, folder: Path) -> str:
        target = folder / "npsbot.db"
        shutil.copyfile(self.path, target)
        return f"sqlite:///{target}"


class PostgresTemplate:
    """procrastinate's trick: CREATE DATABASE … TEMPLATE is a fast, isolated copy per test."""

    def __init__(self, url: str) -> None:
        self.base = make_url(url)
        self.template = f"npsbot_tmpl_{os.getpid()}"
        self._admin(f'DROP DATABASE IF EXISTS "{self.template}" WITH (FORCE)')
        self._admin(f'CREATE DATABASE "{self.template}"')
        upgrade_to_head(self._url(self.template))
        self.created: list[str] = []

    def _url(self, name: str) -> str:
        return self.base.set(database=name).render_as_string(hide_password=False)

    def _admin(self, sql: str) -> None:
        asyncio.run(_execute(self._url(self.base.database or "postgres"), sql))

    def fresh(self) -> tuple[str, str]:
        name = f"npsbot_t_{secrets.token_hex(5)}"
        self._admin(f'CREATE DATABASE "{name}" TEMPLATE "{self.template}"')
        return self._url(name), name

    def drop(self, name: str) -> None:
        self._admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def close(self) -> None:
        self._admin(f'DROP DATABASE IF EXISTS "{self.template}" WITH (FORCE)')


async def _execute(url: str, sql: str) -> None:
    parsed = make_url(url)
    conn = await asyncpg.connect(
        host=parsed.host,
        port=parsed.port,
        user=parsed.username,
        password=parsed.password,
        database=parsed.database,
    )
    try:
        await conn.execute(sql)
    finally:
        await conn.close()


async def terminate_other_backends(url: str) -> int:
    """What a PostgreSQL restart does to the bot's pooled connections: every other backend of
    the database ends. How many did."""
    admin = open_store(url)
    try:
        async with admin.read() as conn:
            killed = await conn.execute(
                text(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                    " WHERE datname = current_database() AND pid <> pg_backend_pid()"
                )
            )
            return len(killed.all())
    finally:
        await admin.close()
