"""SQLite calls of brief transactions run on the event loop, not on aiosqlite's thread.

aiosqlite hands every call to a thread of the connection's own: cursor, execute, fetch and
close are four hand-offs per statement, and each waits for a turn of the event loop behind the
HTTP work. A batch of score clicks made about 28 of them, so under load it took 17.5 ms in the
server against 6 ms in process (issue 13), while a synchronous sqlite3 app runs the same
statements on its loop. Inside `on_loop()` the calls run on the loop too, with SQLite's busy
wait off, since the loop must never sleep on a lock: a call that finds the database locked by
another process (SQLITE_BUSY) goes to the thread, where it waits as every other call does.
"""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Awaitable, Callable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from functools import partial
from typing import Any

import aiosqlite
from sqlalchemy.dialects.sqlite.aiosqlite import SQLiteDialect_aiosqlite
from sqlalchemy.engine import make_url

# How long a call on the thread waits for another writer's lock, as SQLite's busy_timeout.
PATIENT_MS = 10_000

ON_LOOP: ContextVar[bool] = ContextVar("npsbot_sqlite_on_loop", default=False)


@contextmanager
def on_loop(brief: bool = True) -> Iterator[None]:
    """Whether the SQLite calls this task makes inside run on the loop: for transactions of a
    few short statements only, as the loop serves nobody else while one runs. Said by every
    transaction, so one that is not brief never inherits it from a brief one around it."""
    token = ON_LOOP.set(brief)
    try:
        yield
    finally:
        ON_LOOP.reset(token)


class OnLoopConnection(aiosqlite.Connection):
    """An aiosqlite connection that runs a call itself when the task asked for `on_loop()`
    and its thread has nothing of this connection's in hand."""

    def __init__(self, connector: Callable[[], sqlite3.Connection]) -> None:
        super().__init__(connector, iter_chunk_size=64)
        self._thread.daemon = True  # as SQLAlchemy makes aiosqlite's: exit never waits on it
        self._in_thread = 0  # calls handed to the thread and not yet finished there
        self._waits = True  # whether the busy wait is on (PATIENT_MS) or off (0)

    def _now(self) -> sqlite3.Connection | None:
        """The sqlite3 connection, when a call may run here and now: the task asked for
        `on_loop()`, and the thread has nothing of this connection's in hand."""
        db = self._connection
        if ON_LOOP.get() and self._running and db is not None and not self._in_thread:
            return db
        return None

    async def _execute(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        db = self._now()
        if db is not None:
            changes = db.total_changes
            try:
                return self._at_once(db, fn, *args, **kwargs)
            except sqlite3.OperationalError as exc:
                # Retried only if it changed nothing: an executemany outside a transaction
                # may have stored some rows before it met the lock.
                if not _is_busy(exc) or db.total_changes != changes:
                    raise
        return await self._handed_over(fn, *args, **kwargs)

    def rows_now(self, sql: str, values: Sequence[Any]) -> list[Any] | None:
        """A read's rows, run here and now where `_execute` would run it at once (store.straight);
        None where it would not, or on an error: the caller then goes the usual way, which hands
        a busy read to the thread and raises others as SQLAlchemy's errors."""
        db = self._now()
        if db is None:
            return None
        try:
            found: list[Any] = self._at_once(db, lambda: db.execute(sql, values).fetchall())
        except sqlite3.Error:
            return None
        return found

    def _at_once(self, db: sqlite3.Connection, fn: Callable[..., Any], *a: Any, **kw: Any) -> Any:
        if self._waits:
            db.execute("PRAGMA busy_timeout=0")
            self._waits = False
        return fn(*a, **kw)

    async def _handed_over(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        if not self._running or self._connection is None:
            raise ValueError("Connection closed")  # aiosqlite's words, which SQLAlchemy maps
        loop = asyncio.get_running_loop()
        self._in_thread += 1
        return await super()._execute(  # type: ignore[no-untyped-call] # aiosqlite's, untyped
            self._patiently, loop, fn, *args, **kwargs
        )

    def _patiently(
        self, loop: asyncio.AbstractEventLoop, fn: Callable[..., Any], *a: Any, **kw: Any
    ) -> Any:
        """On the thread; counted done on the loop only once it has finished here, even when
        the task that handed it over was cancelled meanwhile."""
        try:
            if not self._waits:
                self._conn.execute(f"PRAGMA busy_timeout={PATIENT_MS}")
                self._waits = True
            return fn(*a, **kw)
        finally:
            loop.call_soon_threadsafe(self._finished_in_thread)

    def _finished_in_thread(self) -> None:
        self._in_thread -= 1


def _is_busy(exc: sqlite3.OperationalError) -> bool:
    # The primary code: SQLITE_BUSY, or one of its extended codes (recovery, snapshot).
    return (getattr(exc, "sqlite_errorcode", 0) & 0xFF) == sqlite3.SQLITE_BUSY


def connector(url: str) -> Callable[[], Awaitable[OnLoopConnection]]:
    """`create_async_engine(async_creator=…)` for an aiosqlite URL, with the arguments the
    dialect itself would pass to sqlite3.connect."""
    args, given = SQLiteDialect_aiosqlite().create_connect_args(make_url(url))
    # Calls now come from the loop's thread as well as the connection's own.
    kwargs = {**given, "check_same_thread": False, "timeout": PATIENT_MS / 1000}

    async def connect() -> OnLoopConnection:
        connection = OnLoopConnection(partial(sqlite3.connect, *args, **kwargs))
        await connection
        return connection

    return connect
