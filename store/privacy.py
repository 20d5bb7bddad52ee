"""Erasure of one person (`npsbot forget`): what is found, then what is removed."""

from __future__ import annotations

from collections.abc import Sequence, Set
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import ColumnElement, Select, delete, false, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlalchemy.orm import Mapped
from sqlmodel import col

from store.db import insert
from store.tables import (
    AgentGuessRow,
    AnswerRow,
    CallbackRow,
    ErasureItemRow,
    OptOutRow,
    OutboxRow,
    RecipientRow,
    SurveyRow,
    TeamsConversationRow,
    WebhookReceiptRow,
)

ERASED = ""  # what a requester e-mail becomes: the column is NOT NULL, and "" names nobody
# An answer without what the person said: the score and week stay, so figures do not move.
UNSAID = {
    "comment": None,
    "drivers": None,
    "responder_id": None,
    "commented_at": None,
    "share_ok": False,
}


@dataclass(frozen=True, slots=True)
class Item:
    """A bot message to delete or neutralise, or a Teams chat to forget once that is done."""

    platform: str
    action: str  # delete | replace | forget_chat
    channel: str
    ts: str = ""


@dataclass
class Erasure:
    """What `npsbot forget` found for one person; `apply` removes exactly this."""

    survey_ids: list[str] = field(default_factory=list)
    callback_ids: list[str] = field(default_factory=list)
    conversation_ids: list[str] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    items: list[Item] = field(default_factory=list)
    emails: frozenset[str] = frozenset()
    user_ids: frozenset[str] = frozenset()


async def who(
    conn: AsyncConnection, email: str | None, slack_user: str | None, teams_user: str | None
) -> tuple[frozenset[str], frozenset[str]]:
    """Every e-mail and platform id the bot holds for the person named by one of them."""
    emails = {email.strip().lower()} if email else set()
    ids = {i for i in (slack_user, teams_user) if i}
    for _ in range(2):  # an e-mail leads to ids and ids to e-mails; twice reaches both
        found = select(col(RecipientRow.email), col(RecipientRow.user_id))
        for cached_email, user_id in await conn.execute(found.where(_cached(emails, ids))):
            emails.add(cached_email.lower())
            ids.add(user_id)
        talks = select(
            col(TeamsConversationRow.email),
            col(TeamsConversationRow.aad_object_id),
            col(TeamsConversationRow.user_id),
        ).where(_person_chat(emails, ids))
        for chat_email, *chat_ids in await conn.execute(talks):
            emails |= {chat_email.lower()} if chat_email else set()
            ids |= {i for i in chat_ids if i}
        sent = select(col(SurveyRow.requester_email)).where(col(SurveyRow.recipient_id).in_(ids))
        emails |= {e.lower() for e in (await conn.execute(sent)).scalars() if e}
    emails.discard(ERASED)
    return frozenset(emails), frozenset(ids)


def _in(column: Mapped[str | None], emails: Set[str]) -> ColumnElement[bool]:
    return func.lower(column).in_(emails) if emails else false()


def _cached(emails: Set[str], ids: Set[str]) -> ColumnElement[bool]:
    return or_(_in(col(RecipientRow.email), emails), col(RecipientRow.user_id).in_(ids))


def _person_chat(emails: Set[str], ids: Set[str]) -> ColumnElement[bool]:
    return (col(TeamsConversationRow.kind) == "personal") & or_(
        _in(col(TeamsConversationRow.email), emails),
        col(TeamsConversationRow.aad_object_id).in_(ids),
        col(TeamsConversationRow.user_id).in_(ids),
    )


async def find(conn: AsyncConnection, emails: frozenset[str], ids: frozenset[str]) -> Erasure:
    found = Erasure(emails=emails, user_ids=ids)
    mine = or_(_in(col(SurveyRow.requester_email), emails), col(SurveyRow.recipient_id).in_(ids))
    query = select(
        col(SurveyRow.id),
        col(SurveyRow.platform),
        col(SurveyRow.message_channel),
        col(SurveyRow.message_ts),
    )
    surveys = (await conn.execute(query.where(mine))).all()
    found.survey_ids = [s.id for s in surveys]
    chat_of = await _find_chats(conn, found)
    for s in surveys:
        if s.message_ts:  # a Teams DM's channel is the person's id: delete it in their chat
            channel = chat_of.get(s.message_channel, s.message_channel)
            found.items.append(Item(s.platform, "delete", channel, s.message_ts))
    await _find_callbacks(conn, found, {s.id: s.platform for s in surveys})
    found.items += [Item("teams", "forget_chat", c) for c in found.conversation_ids]
    await _count(conn, found)
    return found


async def _find_chats(conn: AsyncConnection, found: Erasure) -> dict[str, str]:
    """The person's Teams conversations, by each id a card may name them with."""
    talks = select(
        col(TeamsConversationRow.id),
        col(TeamsConversationRow.aad_object_id),
        col(TeamsConversationRow.user_id),
    )
    where = _person_chat(found.emails, found.user_ids)
    chats = (await conn.execute(talks.where(where))).all()
    found.conversation_ids = [c.id for c in chats]
    return {i: c.id for c in chats for i in (c.aad_object_id, c.user_id) if i}


async def _find_callbacks(conn: AsyncConnection, found: Erasure, platforms: dict[str, str]) -> None:
    query = select(
        col(CallbackRow.id),
        col(CallbackRow.survey_id),
        col(CallbackRow.alert_channel),
        col(CallbackRow.alert_ts),
        col(CallbackRow.notes),
    )
    rows = (await conn.execute(query.where(col(CallbackRow.survey_id).in_(found.survey_ids)))).all()
    found.callback_ids = [c.id for c in rows]
    found.counts["callback notes"] = sum(1 for c in rows if c.notes)
    for c in rows:
        if c.alert_ts:  # the leads' channel keeps a neutral line where the alert was
            found.items.append(Item(platforms[c.survey_id], "replace", c.alert_channel, c.alert_ts))
    # The agent's guess question names the requester: it too becomes the neutral line.
    survey_id = col(AgentGuessRow.survey_id)
    guesses = select(survey_id, col(AgentGuessRow.message_channel), col(AgentGuessRow.message_ts))
    for g in await conn.execute(guesses.where(survey_id.in_(found.survey_ids))):
        if g.message_ts:
            found.items.append(
                Item(platforms[g.survey_id], "replace", g.message_channel, g.message_ts)
            )


def said() -> ColumnElement[bool]:
    """An answer that still holds something its requester said."""
    return or_(
        col(AnswerRow.comment).is_not(None),
        col(AnswerRow.drivers).is_not(None),
        col(AnswerRow.responder_id).is_not(None),
    )


async def _count(conn: AsyncConnection, found: Erasure) -> None:
    ids, emails, users = found.survey_ids, found.emails, found.user_ids
    receipts = col(WebhookReceiptRow.survey_id).in_(ids)
    counts: dict[str, int | Select[int]] = {
        "surveys (requester e-mail and ids)": len(ids),
        "comments and drivers": select(func.count()).where(
            col(AnswerRow.survey_id).in_(ids) & said()
        ),
        "cached platform ids": select(func.count()).where(_cached(emails, users)),
        "opt-outs": select(func.count()).where(_in(col(OptOutRow.email), emails)),
        "webhook receipts (body hash)": select(func.count()).where(
            receipts, col(WebhookReceiptRow.body_sha256) != ERASED
        ),
        "outbox jobs": select(func.count()).where(_jobs(found)),
        "teams conversations": len(found.conversation_ids),
    }
    for kind, query in counts.items():
        found.counts[kind] = (
            query if isinstance(query, int) else int((await conn.execute(query)).scalar_one())
        )
    found.counts["bot messages to delete"] = sum(1 for i in found.items if i.action == "delete")
    found.counts["alerts to replace"] = sum(1 for i in found.items if i.action == "replace")


def _jobs(found: Erasure) -> ColumnElement[bool]:
    ref = col(OutboxRow.ref)
    escalations = [ref.like(f"{c}:%") for c in found.callback_ids]
    return or_(ref.in_(found.survey_ids + found.callback_ids), *escalations)


async def apply(conn: AsyncConnection, found: Erasure, erasure_id: str, now: datetime) -> None:
    """Scores stay (unattributed) so past weeks' figures do not move; the rest goes."""
    await conn.execute(delete(OutboxRow).where(_jobs(found)))
    await _scrub_surveys(conn, found.survey_ids)
    await _forget_person(conn, found)
    for item in found.items:
        values = {"platform": item.platform, "action": item.action, "channel": item.channel}
        await conn.execute(
            insert(conn, ErasureItemRow).values(
                **values, ts=item.ts, erasure_id=erasure_id, created_at=now
            )
        )


async def _scrub_surveys(conn: AsyncConnection, ids: Sequence[str]) -> None:
    """Their surveys, answers, callbacks, receipts and guesses keep no trace of the person."""
    scrubbed = {"requester_email": ERASED, "recipient_id": None}
    await conn.execute(
        update(SurveyRow)
        .where(col(SurveyRow.id).in_(ids))
        .values(**scrubbed, message_channel=None, message_ts=None)
    )
    await conn.execute(update(AnswerRow).where(col(AnswerRow.survey_id).in_(ids)).values(**UNSAID))
    await conn.execute(
        update(CallbackRow)
        .where(col(CallbackRow.survey_id).in_(ids))
        .values(notes=None, alert_channel=None, alert_ts=None)
    )
    receipts = update(WebhookReceiptRow).where(col(WebhookReceiptRow.survey_id).in_(ids))
    await conn.execute(receipts.values(body_sha256=ERASED))
    guesses = update(AgentGuessRow).where(col(AgentGuessRow.survey_id).in_(ids))
    await conn.execute(guesses.values(message_channel=None, message_ts=None))


async def _forget_person(conn: AsyncConnection, found: Erasure) -> None:
    await conn.execute(delete(RecipientRow).where(_cached(found.emails, found.user_ids)))
    await conn.execute(delete(OptOutRow).where(_in(col(OptOutRow.email), found.emails)))
    # Kept (without who it is) until its DM cards are deleted: the reference reaches the chat.
    chats = col(TeamsConversationRow.id).in_(found.conversation_ids)
    await conn.execute(
        update(TeamsConversationRow)
        .where(chats)
        .values(email=None, aad_object_id=None, user_id=None)
    )


async def pending_items(
    conn: AsyncConnection, erasure_id: str, platform: str
) -> list[tuple[int, Item]]:
    query = select(ErasureItemRow).where(
        col(ErasureItemRow.erasure_id) == erasure_id, col(ErasureItemRow.platform) == platform
    )
    rows = await conn.execute(query.order_by(col(ErasureItemRow.id)))
    return [(r.id, Item(r.platform, r.action, r.channel, r.ts)) for r in rows]


async def stalled_erasures(conn: AsyncConnection) -> list[tuple[str, str]]:
    """(erasure id, platform) of messages still to remove whose job gave up (an outage that
    outlasted the delivery give-up time): `npsbot forget` queues them again."""
    live = select(col(OutboxRow.ref)).where(col(OutboxRow.status).in_(("todo", "sending")))
    live_refs = set((await conn.execute(live.where(col(OutboxRow.kind) == "erase"))).scalars())
    left = select(col(ErasureItemRow.erasure_id), col(ErasureItemRow.platform)).distinct()
    found = (await conn.execute(left)).all()
    return [(e, p) for e, p in found if f"{e}:{p}" not in live_refs]


async def item_done(conn: AsyncConnection, item_id: int) -> None:
    await conn.execute(delete(ErasureItemRow).where(col(ErasureItemRow.id) == item_id))
