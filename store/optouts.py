"""Who asked not to be surveyed: kept by e-mail, the key every ticket carries."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncConnection

from store.db import insert
from store.tables import OptOutRow

T = OptOutRow.__table__  # type: ignore[attr-defined]


async def opt_out(conn: AsyncConnection, email: str, now: datetime) -> None:
    stmt = insert(conn, T).values(email=email, opted_out_at=now).on_conflict_do_nothing()
    await conn.execute(stmt)


async def opt_in(conn: AsyncConnection, email: str) -> bool:
    result = await conn.execute(delete(T).where(T.c.email == email).returning(T.c.email))
    return result.first() is not None


async def is_opted_out(conn: AsyncConnection, email: str) -> bool:
    return (await conn.execute(select(T.c.email).where(T.c.email == email))).first() is not None
