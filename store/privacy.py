"""Erasure of one person and the daily retention purge: what is found, then what is removed."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import ColumnElement, Select, delete, false, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from store.db import insert
from store.tables import (
    AgentGuessRow,
    AnswerRow,
    CallbackRow,
    ErasureItemRow,
    OptOutRow,
    OutboxRow,
    RecipientRow,
    RetentionRunRow,
    SurveyRow,
    TeamsConversationRow,
    WebhookReceiptRow,
)

S = SurveyRow.__table__  # type: ignore[attr-defined]
A = AnswerRow.__table__  # type: ignore[attr-defined]
C = CallbackRow.__table__  # type: ignore[attr-defined]
R = RecipientRow.__table__  # type: ignore[attr-defined]
OPT = OptOutRow.__table__  # type: ignore[attr-defined]
OB = OutboxRow.__table__  # type: ignore[attr-defined]
W = WebhookReceiptRow.__table__  # type: ignore[attr-defined]
TC = TeamsConversationRow.__table__  # type: ignore[attr-defined]
EI = ErasureItemRow.__table__  # type: ignore[attr-defined]
G = AgentGuessRow.__table__  # type: ignore[attr-defined]
RR = RetentionRunRow.__table__  # type: ignore[attr-defined]

ERASED = ""  # what a requester e-mail becomes: the column is NOT NULL, and "" names nobody
# An answer without what the person said: the score and week stay, so figures do not move.
UNSAID = {"comment": None, "drivers": None, "responder_id": None, "commented_at": None,
          "share_ok": False}  # fmt: skip
FINISHED_KEPT = timedelta(days=30)  # finished outbox rows and webhook receipts


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
        found = select(R.c.email, R.c.user_id).where(or_(_in(R.c.email, emails),
                                                         R.c.user_id.in_(ids)))  # fmt: skip
        for row in await conn.execute(found):
            emails.add(row.email.lower())
            ids.add(row.user_id)
        talks = select(TC.c.email, TC.c.aad_object_id, TC.c.user_id).where(
            _person_chat(emails, ids)
        )
        for row in await conn.execute(talks):
            emails |= {row.email.lower()} if row.email else set()
            ids |= {i for i in (row.aad_object_id, row.user_id) if i}
        sent = select(S.c.requester_email).where(S.c.recipient_id.in_(ids))
        emails |= {e.lower() for e in (await conn.execute(sent)).scalars() if e}
    emails.discard(ERASED)
    return frozenset(emails), frozenset(ids)


def _in(column: ColumnElement[str], emails: set[str] | frozenset[str]) -> ColumnElement[bool]:
    return func.lower(column).in_(emails) if emails else false()


def _person_chat(emails: set[str] | frozenset[str], ids: set[str] | frozenset[str]):  # type: ignore[no-untyped-def]
    return (TC.c.kind == "personal") & or_(
        _in(TC.c.email, emails), TC.c.aad_object_id.in_(ids), TC.c.user_id.in_(ids)
    )


async def find(conn: AsyncConnection, emails: frozenset[str], ids: frozenset[str]) -> Erasure:
    found = Erasure(emails=emails, user_ids=ids)
    mine = or_(_in(S.c.requester_email, emails), S.c.recipient_id.in_(ids))
    surveys = (await conn.execute(select(S.c.id, S.c.platform, S.c.message_channel,
                                         S.c.message_ts).where(mine))).all()  # fmt: skip
    found.survey_ids = [s.id for s in surveys]
    chats = (await conn.execute(select(TC.c.id, TC.c.aad_object_id, TC.c.user_id)
                                .where(_person_chat(emails, ids)))).all()  # fmt: skip
    found.conversation_ids = [c.id for c in chats]
    chat_of = {i: c.id for c in chats for i in (c.aad_object_id, c.user_id) if i}
    for s in surveys:
        if s.message_ts:  # a Teams DM's channel is the person's id: delete it in their chat
            channel = chat_of.get(s.message_channel, s.message_channel)
            found.items.append(Item(s.platform, "delete", channel, s.message_ts))
    await _find_callbacks(conn, found, {s.id: s.platform for s in surveys})
    found.items += [Item("teams", "forget_chat", c) for c in found.conversation_ids]
    await _count(conn, found)
    return found


async def _find_callbacks(conn: AsyncConnection, found: Erasure, platforms: dict[str, str]) -> None:
    query = select(C.c.id, C.c.survey_id, C.c.alert_channel, C.c.alert_ts, C.c.notes)
    rows = (await conn.execute(query.where(C.c.survey_id.in_(found.survey_ids)))).all()
    found.callback_ids = [c.id for c in rows]
    found.counts["callback notes"] = sum(1 for c in rows if c.notes)
    for c in rows:
        if c.alert_ts:  # the leads' channel keeps a neutral line where the alert was
            found.items.append(Item(platforms[c.survey_id], "replace", c.alert_channel, c.alert_ts))
    # The agent's guess question names the requester: it too becomes the neutral line.
    query = select(G.c.survey_id, G.c.message_channel, G.c.message_ts)
    for g in await conn.execute(query.where(G.c.survey_id.in_(found.survey_ids))):
        if g.message_ts:
            found.items.append(
                Item(platforms[g.survey_id], "replace", g.message_channel, g.message_ts)
            )


async def _count(conn: AsyncConnection, found: Erasure) -> None:
    ids, emails, users = found.survey_ids, found.emails, found.user_ids
    said = A.c.survey_id.in_(ids) & or_(
        A.c.comment.is_not(None), A.c.drivers.is_not(None), A.c.responder_id.is_not(None)
    )
    counts: dict[str, int | Select[int]] = {
        "surveys (requester e-mail and ids)": len(ids),
        "comments and drivers": select(func.count()).where(said),
        "cached platform ids": select(func.count()).where(
            or_(_in(R.c.email, emails), R.c.user_id.in_(users))
        ),
        "opt-outs": select(func.count()).where(_in(OPT.c.email, emails)),
        "webhook receipts (body hash)": select(func.count()).where(
            W.c.survey_id.in_(ids), W.c.body_sha256 != ERASED
        ),
        "outbox jobs": select(func.count()).where(_jobs(found)),
        "teams conversations": len(found.conversation_ids),
    }
    for kind, query in counts.items():
        found.counts[kind] = query if isinstance(query, int) else int(
            (await conn.execute(query)).scalar_one()
        )  # fmt: skip
    found.counts["bot messages to delete"] = sum(1 for i in found.items if i.action == "delete")
    found.counts["alerts to replace"] = sum(1 for i in found.items if i.action == "replace")


def _jobs(found: Erasure) -> ColumnElement[bool]:
    escalations = [OB.c.ref.like(f"{c}:%") for c in found.callback_ids]
    return or_(OB.c.ref.in_(found.survey_ids + found.callback_ids), *escalations)


async def apply(conn: AsyncConnection, found: Erasure, erasure_id: str, now: datetime) -> None:
    """Scores stay (unattributed) so past weeks' figures do not move; the rest goes."""
    ids = found.survey_ids
    await conn.execute(delete(OB).where(_jobs(found)))
    scrubbed = {"requester_email": ERASED, "recipient_id": None}
    await conn.execute(update(S).where(S.c.id.in_(ids))
                       .values(**scrubbed, message_channel=None, message_ts=None))  # fmt: skip
    await conn.execute(update(A).where(A.c.survey_id.in_(ids)).values(**UNSAID))
    await conn.execute(update(C).where(C.c.survey_id.in_(ids))
                       .values(notes=None, alert_channel=None, alert_ts=None))  # fmt: skip
    await conn.execute(update(W).where(W.c.survey_id.in_(ids)).values(body_sha256=ERASED))
    await conn.execute(
        update(G).where(G.c.survey_id.in_(ids)).values(message_channel=None, message_ts=None)
    )
    emails, users = found.emails, found.user_ids
    await conn.execute(delete(R).where(or_(_in(R.c.email, emails), R.c.user_id.in_(users))))
    await conn.execute(delete(OPT).where(_in(OPT.c.email, emails)))
    # Kept (without who it is) until its DM cards are deleted: the reference reaches the chat.
    await conn.execute(update(TC).where(TC.c.id.in_(found.conversation_ids))
                       .values(email=None, aad_object_id=None, user_id=None))  # fmt: skip
    for item in found.items:
        values = {"platform": item.platform, "action": item.action, "channel": item.channel}
        await conn.execute(insert(conn, EI).values(
            **values, ts=item.ts, erasure_id=erasure_id, created_at=now))  # fmt: skip


async def pending_items(
    conn: AsyncConnection, erasure_id: str, platform: str
) -> list[tuple[int, Item]]:
    query = select(EI).where(EI.c.erasure_id == erasure_id, EI.c.platform == platform)
    rows = await conn.execute(query.order_by(EI.c.id))
    return [(r.id, Item(r.platform, r.action, r.channel, r.ts)) for r in rows]


async def stalled_erasures(conn: AsyncConnection) -> list[tuple[str, str]]:
    """(erasure id, platform) of messages still to remove whose job gave up (an outage that
    outlasted the delivery give-up time): `npsbot forget` queues them again."""
    live = select(OB.c.ref).where(OB.c.status.in_(("todo", "sending")))
    live_refs = set((await conn.execute(live.where(OB.c.kind == "erase"))).scalars())
    left = select(EI.c.erasure_id, EI.c.platform).distinct()
    found = [(r.erasure_id, r.platform) for r in await conn.execute(left)]
    return [(e, p) for e, p in found if f"{e}:{p}" not in live_refs]


async def item_done(conn: AsyncConnection, item_id: int) -> None:
    await conn.execute(delete(EI).where(EI.c.id == item_id))


async def start_retention(conn: AsyncConnection, day: date, now: datetime) -> bool:
    """True for exactly one caller per UTC day, whichever replica or restart it is."""
    stmt = insert(conn, RR).values(day=day, created_at=now).on_conflict_do_nothing()
    return (await conn.execute(stmt.returning(RR.c.day))).scalar_one_or_none() is not None


async def purge_personal(conn: AsyncConnection, before: datetime) -> dict[str, int]:
    """Comments, requester e-mails and cached ids from before `before`; scores stay."""
    said = or_(A.c.comment.is_not(None), A.c.drivers.is_not(None), A.c.responder_id.is_not(None))
    comments = update(A).where(A.c.answered_at < before, said).values(**UNSAID)
    old = select(S.c.id).where(S.c.created_at < before)
    notes = update(C).where(C.c.survey_id.in_(old), C.c.notes.is_not(None)).values(notes=None)
    emails = update(S).where(S.c.created_at < before, S.c.requester_email != ERASED).values(
        requester_email=ERASED, recipient_id=None)  # fmt: skip
    cached = delete(R).where(R.c.resolved_at < before)
    steps = {"comments": comments, "callback notes": notes, "requester e-mails": emails,
             "cached platform ids": cached}  # fmt: skip
    return {k: (await conn.execute(stmt)).rowcount for k, stmt in steps.items()}


async def purge_finished(conn: AsyncConnection, now: datetime) -> int:
    """Finished outbox rows older than 30 days: the queue stays the size of its live work."""
    old = OB.c.status.in_(("done", "failed")) & (OB.c.done_at < now - FINISHED_KEPT)
    return int((await conn.execute(delete(OB).where(old))).rowcount)


async def purge_receipts(conn: AsyncConnection, now: datetime) -> int:
    """A sender's retry after 30 days finds its ticket's survey by (source, ticket id) instead."""
    old = W.c.received_at < now - FINISHED_KEPT
    return int((await conn.execute(delete(W).where(old))).rowcount)
