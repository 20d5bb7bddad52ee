"""Survey, answer and webhook-receipt queries."""

from __future__ import annotations

import json
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Row, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.model import Answer, Platform, Survey, SurveyState, Ticket
from bot.ports import MessageRef, Recipient
from store.db import insert
from store.tables import AnswerRow, SurveyRow, WebhookReceiptRow

S = SurveyRow.__table__  # type: ignore[attr-defined]
A = AnswerRow.__table__  # type: ignore[attr-defined]
R = WebhookReceiptRow.__table__  # type: ignore[attr-defined]


class ReceiptConflict(Exception):
    """A delivery id seen before arrived with a different body."""


@dataclass(frozen=True, slots=True)
class Accepted:
    survey_id: str
    new: bool


@dataclass(frozen=True, slots=True)
class NewSurvey:
    id: str
    ticket: Ticket
    team_key: str | None
    platform: Platform
    created_at: datetime
    skip_reason: str | None = None  # set: stored as skipped, and no DM is queued
    # A ticket closed again this soon after its last survey is a duplicate; later, a new round.
    resurvey_after: timedelta = timedelta(days=30)


async def insert_survey(
    conn: AsyncConnection, survey: NewSurvey, delivery_id: str, body_sha256: str
) -> Accepted:
    """Receipt and survey in the caller's transaction; constraints, not reads, stop duplicates."""
    known = await _insert_receipt(conn, survey, delivery_id, body_sha256)
    if known is not None:
        return known
    t = survey.ticket
    seq = await _close_round(conn, survey)
    if isinstance(seq, str):
        await _link_receipt(conn, t.source, delivery_id, seq)
        return Accepted(survey_id=seq, new=False)
    values = survey_row(survey, seq)
    stmt = insert(conn, S).values(**values).on_conflict_do_nothing().returning(S.c.id)
    created = (await conn.execute(stmt)).scalar_one_or_none()
    # A concurrent delivery of the same close won the round: the constraint decided, not a read.
    survey_id = created or await _existing_survey_id(conn, t, seq)
    await _link_receipt(conn, t.source, delivery_id, survey_id)
    return Accepted(survey_id=survey_id, new=created is not None)


def survey_row(survey: NewSurvey, close_seq: int) -> dict[str, object]:
    """The survey table's row for a new survey, the `close_seq`-th round of its ticket."""
    t = survey.ticket
    skipped = survey.skip_reason is not None
    return {
        "id": survey.id,
        "source": t.source,
        "ticket_id": t.ticket_id,
        "title": t.title,
        "url": t.url,
        "requester_email": t.requester_email,
        "agent_email": t.agent_email,
        "agent_name": t.agent_name,
        "team_key": survey.team_key,
        "team_name": t.team_name,
        "platform": survey.platform.value,
        "status": SurveyState.SKIPPED.value if skipped else SurveyState.PENDING.value,
        "failure_reason": survey.skip_reason,
        "closed_at": t.closed_at,
        "created_at": survey.created_at,
        "close_seq": close_seq,
        "sla_met": t.sla_met,
        "resolution_minutes": t.resolution_minutes,
    }


async def _close_round(conn: AsyncConnection, survey: NewSurvey) -> int | str:
    """The round number to insert, or the id of the ticket's recent survey (a duplicate)."""
    t = survey.ticket
    query = (
        select(S.c.id, S.c.close_seq, S.c.created_at)
        .where((S.c.source == t.source) & (S.c.ticket_id == t.ticket_id))
        .order_by(S.c.close_seq.desc())
        .limit(1)
    )
    latest = (await conn.execute(query)).first()
    if latest is None:
        return 0
    if latest.created_at > survey.created_at - survey.resurvey_after:
        return str(latest.id)
    return int(latest.close_seq) + 1


async def _link_receipt(
    conn: AsyncConnection, source: str, delivery_id: str, survey_id: str
) -> None:
    receipt_key = (R.c.source == source) & (R.c.delivery_id == delivery_id)
    await conn.execute(update(R).where(receipt_key).values(survey_id=survey_id))


async def _insert_receipt(
    conn: AsyncConnection, survey: NewSurvey, delivery_id: str, body_sha256: str
) -> Accepted | None:
    source = survey.ticket.source
    values = {"source": source, "delivery_id": delivery_id, "body_sha256": body_sha256}
    stmt = insert(conn, R).values(**values, received_at=survey.created_at)
    inserted = await conn.execute(stmt.on_conflict_do_nothing().returning(R.c.delivery_id))
    if inserted.scalar_one_or_none() is not None:
        return None
    query = select(R.c.body_sha256, R.c.survey_id).where(
        (R.c.source == source) & (R.c.delivery_id == delivery_id)
    )
    row = (await conn.execute(query)).one()
    if row.body_sha256 != body_sha256:
        raise ReceiptConflict(delivery_id)
    return Accepted(survey_id=row.survey_id, new=False)


async def _existing_survey_id(conn: AsyncConnection, ticket: Ticket, seq: int) -> str:
    query = select(S.c.id).where(
        (S.c.source == ticket.source) & (S.c.ticket_id == ticket.ticket_id) & (S.c.close_seq == seq)
    )
    return str((await conn.execute(query)).scalar_one())


_WITH_ANSWER = select(S, A).select_from(S.outerjoin(A, A.c.survey_id == S.c.id))


async def get_survey(conn: AsyncConnection, survey_id: str) -> Survey | None:
    row = (await conn.execute(_WITH_ANSWER.where(S.c.id == survey_id))).first()
    return _survey(row) if row is not None else None


async def get_surveys(conn: AsyncConnection, survey_ids: Collection[str]) -> dict[str, Survey]:
    """Several surveys in one statement, by id; unknown ids are absent."""
    query = _WITH_ANSWER.where(S.c.id.in_(list(survey_ids)))
    return {s.id: s for s in map(_survey, (await conn.execute(query)).all())}


def _survey(row: Row[tuple[object, ...]]) -> Survey:
    m = row._mapping
    ticket = Ticket(
        source=m[S.c.source], ticket_id=m[S.c.ticket_id], title=m[S.c.title],
        requester_email=m[S.c.requester_email], agent_email=m[S.c.agent_email],
        agent_name=m[S.c.agent_name], team_name=m[S.c.team_name], closed_at=m[S.c.closed_at],
        url=m[S.c.url], sla_met=m[S.c.sla_met], resolution_minutes=m[S.c.resolution_minutes],
    )  # fmt: skip
    answer = None
    if m[A.c.survey_id] is not None:
        # Every stored key, even one nps.toml no longer offers: history keeps what was said.
        drivers = tuple(str(d) for d in json.loads(m[A.c.drivers])) if m[A.c.drivers] else ()
        answer = Answer(
            m[A.c.survey_id],
            m[A.c.score],
            m[A.c.answered_at],
            m[A.c.comment],
            drivers,
            m[A.c.lost_time],
        )
    state = SurveyState.ANSWERED if answer else SurveyState(m[S.c.status])
    return Survey(
        id=m[S.c.id], ticket=ticket, team_key=m[S.c.team_key], platform=Platform(m[S.c.platform]),
        state=state, created_at=m[S.c.created_at], delivered_at=m[S.c.delivered_at],
        expires_at=m[S.c.expires_at], failure_reason=m[S.c.failure_reason],
        recipient_id=m[S.c.recipient_id], answer=answer,
    )  # fmt: skip


async def survey_and_ref(
    conn: AsyncConnection, survey_id: str
) -> tuple[Survey | None, MessageRef | None]:
    """The survey and where its message is, in one statement (the delivery worker's read)."""
    row = (await conn.execute(_WITH_ANSWER.where(S.c.id == survey_id))).first()
    if row is None:
        return None, None
    channel, ts = row._mapping[S.c.message_channel], row._mapping[S.c.message_ts]
    return _survey(row), MessageRef(channel=channel, ts=ts) if channel is not None else None


async def message_ref(conn: AsyncConnection, survey_id: str) -> MessageRef | None:
    query = select(S.c.message_channel, S.c.message_ts).where(S.c.id == survey_id)
    row = (await conn.execute(query)).first()
    if row is None or row.message_channel is None:
        return None
    return MessageRef(channel=row.message_channel, ts=row.message_ts)


async def mark_sent(
    conn: AsyncConnection,
    survey_id: str,
    recipient: Recipient,
    ref: MessageRef,
    now: datetime,
    expires_at: datetime,
) -> None:
    values = {
        "status": SurveyState.SENT.value, "delivered_at": now, "expires_at": expires_at,
        "recipient_id": recipient.user_id, "message_channel": ref.channel, "message_ts": ref.ts,
        "failure_reason": None,
    }  # fmt: skip
    await conn.execute(update(S).where(S.c.id == survey_id).values(**values))


async def mark_failed(conn: AsyncConnection, survey_id: str, reason: str) -> None:
    values = {"status": SurveyState.FAILED.value, "failure_reason": reason[:200]}
    await conn.execute(update(S).where(S.c.id == survey_id).values(**values))


async def insert_answer(
    conn: AsyncConnection, survey: Survey, score: int, responder_id: str | None, now: datetime
) -> bool:
    """True if this call stored the answer; False if one was already there (it stays)."""
    values = {"survey_id": survey.id, "score": score, "responder_id": responder_id}
    values |= {"team_key": survey.team_key}
    stmt = insert(conn, A).values(**values, answered_at=now).on_conflict_do_nothing()
    result = await conn.execute(stmt.returning(A.c.survey_id))
    return result.scalar_one_or_none() is not None


async def insert_answers(
    conn: AsyncConnection, answers: Sequence[tuple[Survey, int, str | None]], now: datetime
) -> set[str]:
    """Several answers in one statement; returns the survey ids this call stored (a survey
    already answered keeps its answer and is absent)."""
    params = [
        {
            "survey_id": survey.id,
            "score": score,
            "responder_id": responder,
            "team_key": survey.team_key,
            "answered_at": now,
        }
        for survey, score, responder in answers
    ]
    stmt = insert(conn, A).on_conflict_do_nothing().returning(A.c.survey_id)
    return {str(r) for r in (await conn.execute(stmt, params)).scalars()}


async def update_comment(
    conn: AsyncConnection, survey_id: str, comment: str | None, drivers: list[str], now: datetime,
    share_ok: bool = False, lost_time: str | None = None,
) -> bool:  # fmt: skip
    values: dict[str, object] = {"comment": comment, "drivers": json.dumps(drivers)}
    values |= {"commented_at": now, "share_ok": share_ok, "lost_time": lost_time}
    stmt = update(A).where(A.c.survey_id == survey_id).values(**values).returning(A.c.survey_id)
    return (await conn.execute(stmt)).scalar_one_or_none() is not None


async def surveyed_since(conn: AsyncConnection, email: str, since: datetime) -> bool:
    """Whether this person was surveyed (not merely recorded as skipped) since `since`."""
    query = select(S.c.id).where(
        S.c.requester_email == email, S.c.created_at >= since,
        S.c.status != SurveyState.SKIPPED.value,
    ).limit(1)  # fmt: skip
    return (await conn.execute(query)).first() is not None


async def due_reminders(
    conn: AsyncConnection,
    delivered_before: datetime,
    now: datetime,
    limit: int = 100,
    *,
    only: Collection[str] | None = None,
    exclude: Collection[str] = (),
) -> list[str]:
    """`only`: these teams' surveys; `exclude`: every survey but these teams' (for [defaults])."""
    unanswered = ~select(A.c.survey_id).where(A.c.survey_id == S.c.id).exists()
    query = select(S.c.id).where(
        S.c.status == SurveyState.SENT.value, S.c.reminded_at.is_(None),
        S.c.delivered_at <= delivered_before, S.c.expires_at > now, unanswered,
    ).limit(limit)  # fmt: skip
    if only is not None:
        query = query.where(S.c.team_key.in_(list(only)))
    if exclude:
        query = query.where(S.c.team_key.is_(None) | S.c.team_key.not_in(list(exclude)))
    return [str(r) for r in (await conn.execute(query)).scalars()]


async def mark_reminded(conn: AsyncConnection, survey_id: str, now: datetime) -> bool:
    """Compare-and-set: at most one reminder per survey, whatever the number of replicas."""
    where = (S.c.id == survey_id) & S.c.reminded_at.is_(None)
    stmt = update(S).where(where).values(reminded_at=now).returning(S.c.id)
    return (await conn.execute(stmt)).scalar_one_or_none() is not None


async def mark_praised(conn: AsyncConnection, survey_id: str, now: datetime) -> bool:
    """Compare-and-set: an edited comment does not send the praise a second time."""
    where = (A.c.survey_id == survey_id) & A.c.praised_at.is_(None)
    stmt = update(A).where(where).values(praised_at=now).returning(A.c.survey_id)
    return (await conn.execute(stmt)).scalar_one_or_none() is not None


async def share_ok(conn: AsyncConnection, survey_id: str) -> bool:
    query = select(A.c.share_ok).where(A.c.survey_id == survey_id)
    return bool((await conn.execute(query)).scalar_one_or_none())


async def pending_for(
    conn: AsyncConnection, email: str, recipient: tuple[str, str], now: datetime, limit: int = 10
) -> list[Survey]:
    """Surveys delivered to this person on this platform, unanswered and still open, oldest
    first; by e-mail (indexed), and only those whose DM went to this very user id."""
    platform, user_id = recipient
    query = select(S, A).select_from(S.outerjoin(A, A.c.survey_id == S.c.id)).where(
        S.c.requester_email == email, S.c.platform == platform, S.c.recipient_id == user_id,
        S.c.status == SurveyState.SENT.value, S.c.expires_at > now, A.c.survey_id.is_(None),
    )  # fmt: skip
    rows = await conn.execute(query.order_by(S.c.delivered_at, S.c.id).limit(limit))
    return [_survey(row) for row in rows]
