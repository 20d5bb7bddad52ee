"""The Store: one engine; transactions shaped for SQLite's one writer and PostgreSQL's many."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager, nullcontext
from typing import Any

from sqlalchemy import text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine
from sqlmodel import SQLModel

from store.engine import IMMEDIATE, make_engine
from store.on_loop import on_loop
from store.tables import table_of

# What use cases hold while they call store functions inside one transaction.
Conn = AsyncConnection
# Of the pool's five connections (and five more overflow) on PostgreSQL.
BATCHES_AT_ONCE = 3


class Store:
    def __init__(self, engine: AsyncEngine) -> None:
        self.engine = engine
        # SQLite has one writer. Queueing our own writers here is fair (FIFO); left to SQLite's
        # busy handler, which sleeps between retries, some waited seconds (bench B1 p99).
        self._sqlite_writer = asyncio.Lock() if engine.dialect.name == "sqlite" else None

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @property
    def batches_at_once(self) -> int:
        """Write transactions worth running together: SQLite has one writer, while PostgreSQL
        commits on several pooled connections at once (and keeps some for everyone else)."""
        return 1 if self._sqlite_writer is not None else BATCHES_AT_ONCE

    @asynccontextmanager
    async def write(self, *, brief: bool = False) -> AsyncIterator[AsyncConnection]:
        """A transaction that may write: BEGIN IMMEDIATE on SQLite, a plain one on PostgreSQL.
        `brief`: a few short statements, which SQLite runs on the event loop (store.on_loop)."""
        with on_loop(brief):
            async with self._writer(), self.engine.connect() as conn:
                await conn.execution_options(**{IMMEDIATE: True})
                async with conn.begin():
                    yield conn

    def _writer(self) -> AbstractAsyncContextManager[object]:
        return self._sqlite_writer if self._sqlite_writer is not None else nullcontext()

    @asynccontextmanager
    async def read(self, *, brief: bool = False) -> AsyncIterator[AsyncConnection]:
        # A transaction on PostgreSQL too, though at READ COMMITTED each statement has its own
        # snapshot anyway: asyncpg's server-side cursors (`npsbot export`) need one.
        with on_loop(brief):
            async with self.engine.connect() as conn, conn.begin():
                yield conn

    async def ping(self) -> bool:
        try:
            async with self.read() as conn:
                await conn.execute(text("SELECT 1"))
        except Exception:
            return False
        return True

    async def close(self) -> None:
        await self.engine.dispose()


def open_store(url: str, *, pool_size: int = 5) -> Store:
    return Store(make_engine(url, pool_size=pool_size))


def insert(conn: AsyncConnection, model: type[SQLModel]) -> Any:
    """The dialect's INSERT, which knows ON CONFLICT: duplicates are stopped by constraints.
    Built on the model's Table, so that the click path's inserts stay plain Core."""
    return dialect_insert(conn.dialect.name, model)


def dialect_insert(dialect: str, model: type[SQLModel]) -> Any:
    """`insert`, for a statement built before any connection (once, and cached)."""
    module = postgresql if dialect == "postgresql" else sqlite
    return module.insert(table_of(model))
