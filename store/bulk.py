"""Many rows in one driver call, without SQLAlchemy's work per row and per column.

A batch of 50 webhooks put about 300 rows' worth of values through SQLAlchemy's bind
processing (six datetimes a ticket, each through two layers of converters) and a multi-row
VALUES statement compiled anew for every batch size: a third of a webhook's time in the server
(issue 13, py-spy). Here each value is converted once, by a converter chosen per column when
the statement is first built. On PostgreSQL, one INSERT over `unnest` of one array per column,
whose text does not depend on the batch's size, so asyncpg prepares it once; on SQLite, an
executemany, or one statement of many VALUES where rows must come back (RETURNING). Values are
stored exactly as the Core path stores them (tests/store/test_bulk.py reads both back).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from sqlalchemy import Boolean, DateTime, Integer, String, Table
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlalchemy.types import TypeDecorator, TypeEngine
from sqlmodel import SQLModel

from store.driver_sql import aware_utc, sqlite_datetime
from store.tables import table_of
from store.types import UTCDateTime

Convert = Callable[[Any], Any]


@dataclass(frozen=True, slots=True)
class _Insert:
    sql: str
    columns: tuple[str, ...]
    converted: tuple[tuple[int, Convert], ...]  # the columns with a converter, by position
    one_row: str = ""  # SQLite's VALUES group of one row, as it stands in `sql`


async def insert_new(
    conn: AsyncConnection, model: type[SQLModel], rows: Sequence[dict[str, Any]]
) -> int:
    """INSERT … ON CONFLICT DO NOTHING of `rows` (all with the same keys), in the caller's
    transaction: how many were new. Rows are inserted in the order given."""
    if not rows:
        return 0
    plan = _checked_plan(conn, model, rows)
    if conn.dialect.name == "postgresql":
        result = await conn.exec_driver_sql(plan.sql, _arrays(rows, plan))
    else:
        result = await conn.exec_driver_sql(plan.sql, [_row(row, plan) for row in rows])
    return result.rowcount


async def insert_returning(
    conn: AsyncConnection, model: type[SQLModel], rows: Sequence[dict[str, Any]], column: str
) -> list[Any]:
    """`insert_new`, answering `column` of each row it inserted."""
    if not rows:
        return []
    plan = _checked_plan(conn, model, rows)
    returning = f" RETURNING {column}"
    if conn.dialect.name == "postgresql":
        result = await conn.exec_driver_sql(plan.sql + returning, _arrays(rows, plan))
    else:  # one statement of many VALUES: SQLite cannot return rows from an executemany
        sql = plan.sql.replace(plan.one_row, ", ".join([plan.one_row] * len(rows))) + returning
        flat = [value for row in rows for value in _row(row, plan)]
        result = await conn.exec_driver_sql(sql, tuple(flat))
    return [value for (value,) in result.all()]


def _checked_plan(
    conn: AsyncConnection, model: type[SQLModel], rows: Sequence[dict[str, Any]]
) -> _Insert:
    plan = _plan(conn.dialect.name, model, tuple(rows[0]))
    if any(len(row) != len(plan.columns) for row in rows):  # a missing one fails on its own
        raise ValueError("the rows of one insert must have the same columns")
    return plan


def _arrays(rows: Sequence[dict[str, Any]], plan: _Insert) -> tuple[list[Any], ...]:
    """One array per column, for PostgreSQL's `unnest`."""
    arrays = [[row[name] for row in rows] for name in plan.columns]
    for i, convert in plan.converted:
        arrays[i] = [None if value is None else convert(value) for value in arrays[i]]
    return tuple(arrays)


def _row(row: dict[str, Any], plan: _Insert) -> tuple[Any, ...]:
    values = [row[name] for name in plan.columns]
    for i, convert in plan.converted:
        if values[i] is not None:
            values[i] = convert(values[i])
    return tuple(values)


@cache  # one plan per (dialect, table, columns): built on a batch's first insert only
def _plan(dialect: str, model: type[SQLModel], columns: tuple[str, ...]) -> _Insert:
    table = table_of(model)
    names = ", ".join(columns)
    datetimes = [isinstance(table.c[name].type, UTCDateTime) for name in columns]
    one_row = ""
    if dialect == "postgresql":
        arrays = ", ".join(f"${i}::{_array_type(table, n)}" for i, n in enumerate(columns, 1))
        values = f"SELECT * FROM unnest({arrays})"
        stored: Convert = aware_utc
    else:
        one_row = f"({', '.join('?' for _ in columns)})"
        values = f"VALUES {one_row}"
        stored = sqlite_datetime
    sql = f"INSERT INTO {table.name} ({names}) {values} ON CONFLICT DO NOTHING"
    converted = tuple((i, stored) for i, is_datetime in enumerate(datetimes) if is_datetime)
    return _Insert(sql, columns, converted, one_row)


# The array each column type is sent as; INSERT casts it to the column's own type (varchar(n),
# integer), as it would a single value.
_ARRAY_OF: tuple[tuple[type[TypeEngine[Any]], str], ...] = (
    (Boolean, "boolean[]"),
    (Integer, "bigint[]"),
    (String, "text[]"),
    (DateTime, "timestamptz[]"),  # UTCDateTime's own: every datetime column is aware
)


def _array_type(table: Table, name: str) -> str:
    column_type = table.c[name].type
    if isinstance(column_type, TypeDecorator):  # sqlmodel's AutoString, our UTCDateTime
        column_type = column_type.impl_instance
    return next(array for kind, array in _ARRAY_OF if isinstance(column_type, kind))
