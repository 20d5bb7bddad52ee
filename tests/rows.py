"""Row counts of every table the bot owns: what a rejected request must leave unchanged."""

from __future__ import annotations

from typing import Any

from sqlalchemy import event, func, select
from sqlmodel import SQLModel

import store.tables  # noqa: F401 - registers every table in SQLModel.metadata
from store import Store

# Written by the scheduler on its own (the daily purge's and the digest's once-only records),
# whatever requests arrive: a request that changes nothing may still see them appear.
SCHEDULER_TABLES = frozenset({"retention_run", "digest_run"})


async def row_counts(db: Store) -> dict[str, int]:
    """Rows per table, the scheduler's bookkeeping tables aside."""
    async with db.read() as conn:
        return {
            table.name: int(
                (await conn.execute(select(func.count()).select_from(table))).scalar_one()
            )
            for table in SQLModel.metadata.sorted_tables
            if table.name not in SCHEDULER_TABLES
        }


def statements_into(db: Store, table: str) -> list[str]:
    """Every INSERT INTO `table` the store sends from now on (how many rows a statement carries
    is how a test sees that concurrent writes were stored together)."""
    seen: list[str] = []
    prefix = f"INSERT INTO {table.upper()} "

    def before(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if statement.lstrip().upper().startswith(prefix):
            seen.append(statement)

    event.listen(db.engine.sync_engine, "before_cursor_execute", before)
    return seen
