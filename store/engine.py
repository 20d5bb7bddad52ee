"""Turns a user's DATABASE_URL into an async engine with the settings each database needs."""

from __future__ import annotations

from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

IMMEDIATE = "npsbot_immediate"


def async_url(url: str) -> str:
    """`sqlite:///x` and `postgresql://…` as users write them, mapped to the async drivers."""
    parsed = make_url(url)
    backend = parsed.get_backend_name()
    if backend == "sqlite":
        return parsed.set(drivername="sqlite+aiosqlite").render_as_string(hide_password=False)
    if backend in ("postgresql", "postgres"):
        return parsed.set(drivername="postgresql+asyncpg").render_as_string(hide_password=False)
    raise ValueError("DATABASE_URL: only sqlite:/// and postgresql:// URLs are supported")


def make_engine(url: str, *, pool_size: int = 5) -> AsyncEngine:
    full = async_url(url)
    if full.startswith("sqlite"):
        # hide_parameters: a database error in a traceback never carries an e-mail or a comment.
        engine = create_async_engine(full, connect_args={"timeout": 10}, hide_parameters=True)
        _configure_sqlite(engine)
        return engine
    return create_async_engine(
        full,
        pool_size=pool_size,
        max_overflow=pool_size,
        pool_pre_ping=True,
        hide_parameters=True,
        # Short timeouts so a database outage becomes a fast 503, well within senders' timeouts.
        connect_args={"timeout": 3, "command_timeout": 10},
    )


def _configure_sqlite(engine: AsyncEngine) -> None:
    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Take BEGIN out of the driver's hands so we can say BEGIN IMMEDIATE where we write.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=10000")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine.sync_engine, "begin")
    def _on_begin(conn: Connection) -> None:
        # A deferred BEGIN that later writes fails with "database is locked" under concurrency
        # (reliability.md §0.9); IMMEDIATE takes the write lock up front and waits for it.
        immediate = conn.get_execution_options().get(IMMEDIATE, False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")
