"""Statements in the driver's own SQL, for the few hot ones where SQLAlchemy's work around a
statement cost more than the database's: building, caching and expanding a SELECT with a
50-value IN list took 1.5 to 2.5 ms per batch of webhooks, against 0.1 ms in SQLite itself
(issue 13, cProfile). Values go in and come out as the Core path stores and reads them:
datetimes as naive-UTC text with microseconds on SQLite, aware on PostgreSQL; both read back
aware UTC.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

from sqlalchemy.ext.asyncio import AsyncConnection

from store import straight


class Params:
    """A statement's positional parameters, written as its driver wants them: `?` on SQLite,
    `$n` on PostgreSQL (asyncpg), where a list of keys is one array parameter, so a
    statement's text, and its prepared plan, do not depend on how many keys it was given."""

    def __init__(self, dialect: str) -> None:
        self.postgresql = dialect == "postgresql"
        self.values: list[Any] = []

    def one(self, value: Any) -> str:
        if isinstance(value, datetime):
            value = aware_utc(value) if self.postgresql else sqlite_datetime(value)
        self.values.append(value)
        return f"${len(self.values)}" if self.postgresql else "?"

    def bucket(self, column: str, bounds: Sequence[datetime]) -> str:
        """Index i of the interval [bounds[i], bounds[i + 1]) the column is in, as a CASE that
        tests the newest first (a row outside every interval gets 0: the caller's range
        leaves none out)."""
        whens = [
            f"WHEN {column} >= {self.one(bounds[i])} THEN {i}"
            for i in range(len(bounds) - 2, 0, -1)
        ]
        return f"CASE {' '.join(whens)} ELSE 0 END" if whens else "0"

    def among(self, column: str, values: Collection[str]) -> str:
        """`column` is one of `values` (text), as a condition."""
        if self.postgresql:
            return f"{column} = ANY({self.one(list(values))}::text[])"
        return f"{column} IN ({', '.join(self.one(v) for v in values)})"

    def pairs_among(self, first: str, second: str, pairs: Collection[tuple[str, str]]) -> str:
        """The two text columns are one of `pairs`, as a condition. On SQLite, the two IN lists
        let it search the key: a row value `IN (VALUES …)` alone scans the whole table (SQLite
        3.40, EXPLAIN QUERY PLAN), and the row value then drops the mixed pairs."""
        ordered = sorted(pairs)
        if self.postgresql:
            firsts = self.one([a for a, _ in ordered])
            seconds = self.one([b for _, b in ordered])
            keys = f"SELECT * FROM unnest({firsts}::text[], {seconds}::text[])"
            return f"({first}, {second}) IN ({keys})"
        # Built in the order they appear: each `?` takes the next value.
        in_firsts = self.among(first, sorted({a for a, _ in ordered}))
        in_seconds = self.among(second, sorted({b for _, b in ordered}))
        values = ", ".join(f"({self.one(a)}, {self.one(b)})" for a, b in ordered)
        return f"{in_firsts} AND {in_seconds} AND ({first}, {second}) IN (VALUES {values})"


async def fetch(conn: AsyncConnection, sql: str, params: Params) -> Sequence[Any]:
    """The rows, each a tuple of values as the driver returned them."""
    found = await straight.rows(conn, sql, params.values)
    if found is not None:
        return found
    return (await conn.exec_driver_sql(sql, tuple(params.values))).all()


def aware_utc(value: datetime) -> datetime:
    if value.tzinfo is None:
        raise ValueError("naive datetime given to the store; use aware UTC")
    return value.astimezone(UTC)


@lru_cache(maxsize=256)  # a batch's rows share a handful of instants (its `now`, for one)
def sqlite_datetime(value: datetime) -> str:
    """As SQLAlchemy's SQLite DATETIME stores it: naive UTC, always with microseconds."""
    return aware_utc(value).replace(tzinfo=None).isoformat(" ", "microseconds")


def read_datetime(value: datetime | str) -> datetime:
    """A datetime as the driver returned it (text on SQLite), as the Core path reads it."""
    found = datetime.fromisoformat(value) if isinstance(value, str) else value
    return found.replace(tzinfo=UTC) if found.tzinfo is None else found.astimezone(UTC)
