"""Who asked not to be surveyed: kept by e-mail, the key every ticket carries."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlmodel import col

from store.db import insert
from store.tables import OptOutRow


async def opt_out(conn: AsyncConnection, email: str, now: datetime) -> None:
    stmt = insert(conn, OptOutRow).values(email=email, opted_out_at=now).on_conflict_do_nothing()
    await conn.execute(stmt)


async def opt_in(conn: AsyncConnection, email: str) -> bool:
    stmt = delete(OptOutRow).where(col(OptOutRow.email) == email)
    return (await conn.execute(stmt.returning(col(OptOutRow.email)))).first() is not None


async def is_opted_out(conn: AsyncConnection, email: str) -> bool:
    query = select(col(OptOutRow.email)).where(col(OptOutRow.email) == email)
    return (await conn.execute(query)).first() is not None
