"""Cache of e-mail → platform user and DM conversation."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlmodel import col

from bot.ports import Recipient
from store.db import insert
from store.tables import RecipientRow


async def cached_recipient(conn: AsyncConnection, platform: str, email: str) -> Recipient | None:
    query = select(col(RecipientRow.user_id), col(RecipientRow.address)).where(
        col(RecipientRow.platform) == platform, col(RecipientRow.email) == email
    )
    row = (await conn.execute(query)).first()
    return Recipient(user_id=row.user_id, address=row.address) if row else None


async def email_of(conn: AsyncConnection, platform: str, user_id: str) -> str | None:
    query = (
        select(col(RecipientRow.email))
        .where(col(RecipientRow.platform) == platform, col(RecipientRow.user_id) == user_id)
        .limit(1)
    )
    found: str | None = (await conn.execute(query)).scalar_one_or_none()
    return found


async def remember_recipient(
    conn: AsyncConnection, platform: str, email: str, recipient: Recipient, now: datetime
) -> None:
    values = {"user_id": recipient.user_id, "address": recipient.address, "resolved_at": now}
    stmt = insert(conn, RecipientRow).values(platform=platform, email=email, **values)
    await conn.execute(
        stmt.on_conflict_do_update(index_elements=["platform", "email"], set_=values)
    )
