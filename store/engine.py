"""Turns a user's DATABASE_URL into an async engine with the settings each database needs."""

from __future__ import annotations

import time
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from store import straight
from store.on_loop import connector

IMMEDIATE = "npsbot_immediate"
# A connection back in the pool for less than this is handed out without a ping: under load
# every checkout's ping was a round trip of its own (6 % of a score click's time on PostgreSQL,
# bench.profile_clicks). A connection that died in that second fails its statement, and that
# disconnect invalidates the whole pool, as pool_pre_ping's own failure would.
PING_AFTER_IDLE_SECONDS = 1.0


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
        engine = create_async_engine(full, async_creator=connector(full), hide_parameters=True)
        _configure_sqlite(engine)
        return engine
    engine = create_async_engine(
        full,
        pool_size=pool_size,
        max_overflow=pool_size,
        hide_parameters=True,
        # Short timeouts so a database outage becomes a fast 503, well within senders' timeouts.
        connect_args={"timeout": 3, "command_timeout": 10},
    )
    _ping_when_idle(engine)
    return engine


def _ping_when_idle(engine: AsyncEngine) -> None:
    """pool_pre_ping, for connections idle a second or more (SQLAlchemy's documented custom
    pessimistic check: a DisconnectionError on checkout makes the pool connect afresh)."""
    pool = engine.sync_engine.pool

    @event.listens_for(pool, "checkin")
    def _checked_in(_dbapi_connection: Any, record: Any) -> None:
        record.info["idle_since"] = time.monotonic()

    @event.listens_for(pool, "checkout")
    def _checked_out(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
        since = record.info.get("idle_since")
        if since is None or time.monotonic() - since < PING_AFTER_IDLE_SECONDS:
            return
        try:
            engine.dialect.do_ping(dbapi_connection)
        except Exception as exc:
            raise DisconnectionError("idle connection failed its ping") from exc


def _configure_sqlite(engine: AsyncEngine) -> None:
    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Take BEGIN out of the driver's hands so we can say BEGIN IMMEDIATE where we write.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        # No busy_timeout here: the connector sets it, and store.on_loop turns it off and on.
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine.sync_engine, "begin")
    def _on_begin(conn: Connection) -> None:
        # A deferred BEGIN that later writes fails with "database is locked" under concurrency
        # (reliability.md §0.9); IMMEDIATE takes the write lock up front and waits for it.
        if conn.get_execution_options().get(IMMEDIATE, False):
            conn.exec_driver_sql("BEGIN IMMEDIATE")
        elif not straight.begin(conn):
            conn.exec_driver_sql("BEGIN")
