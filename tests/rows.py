"""Row counts of every table the bot owns: what a rejected request must leave unchanged."""

from __future__ import annotations

from sqlalchemy import func, select
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
