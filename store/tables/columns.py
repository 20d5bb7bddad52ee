"""What every table module shares: column shorthands, and a model's Core Table for queries."""

from __future__ import annotations

from functools import cache
from typing import Any

from sqlalchemy import Column, Table, inspect
from sqlmodel import Field, SQLModel

from store.types import UTCDateTime


@cache  # every insert asks, the click path's too
def table_of(model: type[SQLModel]) -> Table:
    """The Core Table of a table model, for what only a Table has: columns by name (`.c[name]`),
    its primary key, and statements built without the ORM's per-statement work (an INSERT on
    the model costs some 60 µs more, which every write on the click path would pay)."""
    table = inspect(model).local_table
    if not isinstance(table, Table):
        raise TypeError(f"{model.__name__} is not a table model")
    return table


# Any, as sqlmodel's own Field() is typed: each column's annotation says what it holds.
def when(nullable: bool = False, index: bool = False) -> Any:
    return Field(sa_column=Column(UTCDateTime(), nullable=nullable, index=index))


def count() -> Any:
    return Field(default=0, sa_column_kwargs={"server_default": "0"})
