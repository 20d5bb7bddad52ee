"""Teams conversations the bot may write to later: users' 1:1 chats and team channels."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, delete, select
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlmodel import col

from store.db import insert
from store.tables import TeamsConversationRow

PERSONAL = "personal"
CHANNEL = "channel"


@dataclass(frozen=True, slots=True)
class TeamsConversation:
    """One stored conversation; `reference` is Bot Framework's ConversationReference as JSON."""

    id: str
    kind: str
    reference: dict[str, Any]
    user_id: str | None = None
    aad_object_id: str | None = None
    email: str | None = None

    @property
    def user_name(self) -> str | None:
        name = (self.reference.get("user") or {}).get("name")
        return str(name) if name else None


def _conversation(row: Any) -> TeamsConversation:
    return TeamsConversation(
        id=row.id,
        kind=row.kind,
        reference=json.loads(row.reference),
        user_id=row.user_id,
        aad_object_id=row.aad_object_id,
        email=row.email,
    )


async def save(conn: AsyncConnection, conversation: TeamsConversation, now: datetime) -> None:
    """Insert or refresh; a known e-mail is kept when this sighting did not learn one."""
    values: dict[str, Any] = {
        "kind": conversation.kind,
        "user_id": conversation.user_id,
        "aad_object_id": conversation.aad_object_id,
        "reference": json.dumps(conversation.reference, separators=(",", ":")),
        "updated_at": now,
    }
    email = conversation.email.lower() if conversation.email else None
    if email:
        values["email"] = email
    row = {"id": conversation.id, "email": email, **values}  # values may hold the e-mail too
    stmt = insert(conn, TeamsConversationRow).values(**row)
    await conn.execute(stmt.on_conflict_do_update(index_elements=["id"], set_=values))


async def forget(conn: AsyncConnection, conversation_id: str) -> None:
    await conn.execute(delete(TeamsConversationRow).where(_this(conversation_id)))


def _this(conversation_id: str) -> ColumnElement[bool]:
    return col(TeamsConversationRow.id) == conversation_id


async def by_id(conn: AsyncConnection, conversation_id: str) -> TeamsConversation | None:
    row = (await conn.execute(select(TeamsConversationRow).where(_this(conversation_id)))).first()
    return _conversation(row) if row else None


async def personal_by_email(conn: AsyncConnection, email: str) -> TeamsConversation | None:
    query = _personal().where(col(TeamsConversationRow.email) == email.lower())
    row = (await conn.execute(query)).first()
    return _conversation(row) if row else None


async def personal_by_user(conn: AsyncConnection, user_id: str) -> TeamsConversation | None:
    """By AAD object id (our Teams user id) or by the 29:… channel user id."""
    query = _personal().where(
        (col(TeamsConversationRow.aad_object_id) == user_id)
        | (col(TeamsConversationRow.user_id) == user_id)
    )
    row = (await conn.execute(query)).first()
    return _conversation(row) if row else None


async def personal_by_users(
    conn: AsyncConnection, user_ids: list[str]
) -> dict[str, TeamsConversation]:
    """Keyed by AAD object id: how the cards name the people they mention."""
    if not user_ids:
        return {}
    query = select(TeamsConversationRow).where(
        col(TeamsConversationRow.kind) == PERSONAL,
        col(TeamsConversationRow.aad_object_id).in_(user_ids),
    )
    rows = await conn.execute(query.order_by(col(TeamsConversationRow.updated_at)))
    found = [_conversation(row) for row in rows]
    return {c.aad_object_id: c for c in found if c.aad_object_id}  # the newest wins


async def latest_channel(conn: AsyncConnection) -> TeamsConversation | None:
    row = (await conn.execute(_newest(CHANNEL))).first()
    return _conversation(row) if row else None


def _personal() -> Select[TeamsConversationRow]:
    # Newest first: a person who reinstalled the app has a new chat, and the old one is dead.
    return _newest(PERSONAL)


def _newest(kind: str) -> Select[TeamsConversationRow]:
    newest = col(TeamsConversationRow.updated_at).desc()
    query = select(TeamsConversationRow).where(col(TeamsConversationRow.kind) == kind)
    return query.order_by(newest).limit(1)
