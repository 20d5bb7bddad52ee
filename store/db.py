"""The Store: one engine; transactions shaped for SQLite's one writer and PostgreSQL's many."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager, nullcontext
from typing import Any, TypeVar, overload

from sqlalchemy import text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine
from sqlmodel import SQLModel

from store.engine import IMMEDIATE, make_engine
from store.on_loop import on_loop
from store.straight import STRAIGHT
from store.tables import table_of

# What use cases hold while they call store functions inside one transaction.
Conn = AsyncConnection
A = TypeVar("A")
B = TypeVar("B")
C = TypeVar("C")
Read = Callable[[AsyncConnection], Awaitable[A]]
# Of the pool's five connections (and five more overflow) on PostgreSQL.
BATCHES_AT_ONCE = 3


class Store:
    def __init__(self, engine: AsyncEngine) -> None:
        self.engine = engine
        # SQLite has one writer. Queueing our own writers here is fair (FIFO); left to SQLite's
        # busy handler, which sleeps between retries, some waited seconds (bench B1 p99).
        self._sqlite_writer = asyncio.Lock() if engine.dialect.name == "sqlite" else None
        self._brief: dict[str, Any] = {STRAIGHT: True}
        if self._sqlite_writer is None:
            self._brief["isolation_level"] = "AUTOCOMMIT"

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
        """`brief`: a few short statements. A transaction on PostgreSQL too, though at READ
        COMMITTED each statement has its own snapshot anyway: asyncpg's server-side cursors
        (`npsbot export`) need one. A brief read goes without: its BEGIN and COMMIT were two
        round trips more beside a report's few statements. Its fetches may go straight to the
        driver (store.straight)."""
        with on_loop(brief):
            async with self.engine.connect() as conn:
                if brief:
                    await conn.execution_options(**self._brief)
                if brief and self._sqlite_writer is None:
                    yield conn
                else:
                    async with conn.begin():
                        yield conn

    @overload
    async def read_apart(self, a: Read[A], b: Read[B], /) -> tuple[A, B]: ...
    @overload
    async def read_apart(self, a: Read[A], b: Read[B], c: Read[C], /) -> tuple[A, B, C]: ...
    async def read_apart(self, *reads: Read[Any]) -> tuple[Any, ...]:
        """Brief reads that need not share a snapshot (at READ COMMITTED no two statements
        do): on PostgreSQL each on a pooled connection of its own, all at once, so the caller
        waits for the slowest instead of the sum of their round trips; on SQLite, whose brief
        calls run on the loop anyway, one after the other in one transaction. Every read has
        ended when this returns or raises (the first error, as it was raised)."""
        if self._sqlite_writer is not None:
            async with self.read(brief=True) as conn:
                return tuple([await read(conn) for read in reads])
        found = await asyncio.gather(*(self._read_alone(r) for r in reads), return_exceptions=True)
        if failed := next((x for x in found if isinstance(x, BaseException)), None):
            raise failed
        return tuple(found)

    async def _read_alone(self, read: Read[A]) -> A:
        async with self.read(brief=True) as conn:
            return await read(conn)

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
