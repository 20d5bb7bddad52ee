"""Survey, answer and webhook-receipt queries."""

from __future__ import annotations

import json
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, RowMapping, select, update
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlmodel import col

from bot.model import Answer, Platform, Survey, SurveyState, Ticket
from bot.ports import MessageRef, Recipient
from store.db import insert
from store.tables import AnswerRow, SurveyRow, WebhookReceiptRow


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
    stmt = insert(conn, SurveyRow).values(**values).on_conflict_do_nothing()
    created = (await conn.execute(stmt.returning(col(SurveyRow.id)))).scalar_one_or_none()
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


def _of_ticket(ticket: Ticket) -> ColumnElement[bool]:
    return (col(SurveyRow.source) == ticket.source) & (col(SurveyRow.ticket_id) == ticket.ticket_id)


async def _close_round(conn: AsyncConnection, survey: NewSurvey) -> int | str:
    """The round number to insert, or the id of the ticket's recent survey (a duplicate)."""
    seq = col(SurveyRow.close_seq)
    query = select(col(SurveyRow.id), seq, col(SurveyRow.created_at))
    query = query.where(_of_ticket(survey.ticket)).order_by(seq.desc()).limit(1)
    latest = (await conn.execute(query)).first()
    if latest is None:
        return 0
    survey_id, close_seq, created_at = latest
    if created_at > survey.created_at - survey.resurvey_after:
        return survey_id
    return close_seq + 1


def _receipt(source: str, delivery_id: str) -> ColumnElement[bool]:
    return (col(WebhookReceiptRow.source) == source) & (
        col(WebhookReceiptRow.delivery_id) == delivery_id
    )


async def _link_receipt(
    conn: AsyncConnection, source: str, delivery_id: str, survey_id: str
) -> None:
    stmt = update(WebhookReceiptRow).where(_receipt(source, delivery_id))
    await conn.execute(stmt.values(survey_id=survey_id))


async def _insert_receipt(
    conn: AsyncConnection, survey: NewSurvey, delivery_id: str, body_sha256: str
) -> Accepted | None:
    source = survey.ticket.source
    values = {"source": source, "delivery_id": delivery_id, "body_sha256": body_sha256}
    stmt = insert(conn, WebhookReceiptRow).values(**values, received_at=survey.created_at)
    stmt = stmt.on_conflict_do_nothing().returning(col(WebhookReceiptRow.delivery_id))
    if (await conn.execute(stmt)).scalar_one_or_none() is not None:
        return None
    query = select(col(WebhookReceiptRow.body_sha256), col(WebhookReceiptRow.survey_id))
    row = (await conn.execute(query.where(_receipt(source, delivery_id)))).one()
    if row.body_sha256 != body_sha256:
        raise ReceiptConflict(delivery_id)
    return Accepted(survey_id=row.survey_id, new=False)


async def _existing_survey_id(conn: AsyncConnection, ticket: Ticket, seq: int) -> str:
    query = select(col(SurveyRow.id)).where(_of_ticket(ticket) & (col(SurveyRow.close_seq) == seq))
    return (await conn.execute(query)).scalar_one()


# Every column of both: rows are read by name, so `team_key` is the survey's (the answer's copy
# comes second, as team_key_1).
_WITH_ANSWER = select(SurveyRow, AnswerRow).outerjoin(
    AnswerRow, col(AnswerRow.survey_id) == col(SurveyRow.id)
)


async def get_survey(conn: AsyncConnection, survey_id: str) -> Survey | None:
    query = _WITH_ANSWER.where(col(SurveyRow.id) == survey_id)
    row = (await conn.execute(query)).mappings().first()
    return _survey(row) if row is not None else None


async def get_surveys(conn: AsyncConnection, survey_ids: Collection[str]) -> dict[str, Survey]:
    """Several surveys in one statement, by id; unknown ids are absent."""
    query = _WITH_ANSWER.where(col(SurveyRow.id).in_(list(survey_ids)))
    return {s.id: s for s in map(_survey, (await conn.execute(query)).mappings())}


def _survey(m: RowMapping) -> Survey:
    ticket = Ticket(
        source=m["source"], ticket_id=m["ticket_id"], title=m["title"],
        requester_email=m["requester_email"], agent_email=m["agent_email"],
        agent_name=m["agent_name"], team_name=m["team_name"], closed_at=m["closed_at"],
        url=m["url"], sla_met=m["sla_met"], resolution_minutes=m["resolution_minutes"],
    )  # fmt: skip
    answer = None
    if m["survey_id"] is not None:
        # Every stored key, even one nps.toml no longer offers: history keeps what was said.
        drivers = tuple(str(d) for d in json.loads(m["drivers"])) if m["drivers"] else ()
        answer = Answer(
            m["survey_id"], m["score"], m["answered_at"], m["comment"], drivers, m["lost_time"]
        )
    state = SurveyState.ANSWERED if answer else SurveyState(m["status"])
    return Survey(
        id=m["id"], ticket=ticket, team_key=m["team_key"], platform=Platform(m["platform"]),
        state=state, created_at=m["created_at"], delivered_at=m["delivered_at"],
        expires_at=m["expires_at"], failure_reason=m["failure_reason"],
        recipient_id=m["recipient_id"], answer=answer,
    )  # fmt: skip


def _this(survey_id: str) -> ColumnElement[bool]:
    return col(SurveyRow.id) == survey_id


async def survey_and_ref(
    conn: AsyncConnection, survey_id: str
) -> tuple[Survey | None, MessageRef | None]:
    """The survey and where its message is, in one statement (the delivery worker's read)."""
    row = (await conn.execute(_WITH_ANSWER.where(_this(survey_id)))).mappings().first()
    if row is None:
        return None, None
    channel, ts = row["message_channel"], row["message_ts"]
    return _survey(row), MessageRef(channel=channel, ts=ts) if channel is not None else None


async def message_ref(conn: AsyncConnection, survey_id: str) -> MessageRef | None:
    query = select(col(SurveyRow.message_channel), col(SurveyRow.message_ts))
    row = (await conn.execute(query.where(_this(survey_id)))).first()
    if row is None:
        return None
    channel, ts = row
    return MessageRef(channel=channel, ts=ts) if channel is not None and ts is not None else None


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
    await conn.execute(update(SurveyRow).where(_this(survey_id)).values(**values))


async def mark_failed(conn: AsyncConnection, survey_id: str, reason: str) -> None:
    values = {"status": SurveyState.FAILED.value, "failure_reason": reason[:200]}
    await conn.execute(update(SurveyRow).where(_this(survey_id)).values(**values))


async def insert_answer(
    conn: AsyncConnection, survey: Survey, score: int, responder_id: str | None, now: datetime
) -> bool:
    """True if this call stored the answer; False if one was already there (it stays)."""
    values = {"survey_id": survey.id, "score": score, "responder_id": responder_id}
    values |= {"team_key": survey.team_key}
    stmt = insert(conn, AnswerRow).values(**values, answered_at=now).on_conflict_do_nothing()
    result = await conn.execute(stmt.returning(col(AnswerRow.survey_id)))
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
    stmt = insert(conn, AnswerRow).on_conflict_do_nothing().returning(col(AnswerRow.survey_id))
    return set((await conn.execute(stmt, params)).scalars())


def _answer_of(survey_id: str) -> ColumnElement[bool]:
    return col(AnswerRow.survey_id) == survey_id


async def update_comment(
    conn: AsyncConnection, survey_id: str, comment: str | None, drivers: list[str], now: datetime,
    share_ok: bool = False, lost_time: str | None = None,
) -> bool:  # fmt: skip
    values: dict[str, object] = {"comment": comment, "drivers": json.dumps(drivers)}
    values |= {"commented_at": now, "share_ok": share_ok, "lost_time": lost_time}
    stmt = update(AnswerRow).where(_answer_of(survey_id)).values(**values)
    return (await conn.execute(stmt.returning(col(AnswerRow.survey_id)))).first() is not None


async def surveyed_since(conn: AsyncConnection, email: str, since: datetime) -> bool:
    """Whether this person was surveyed (not merely recorded as skipped) since `since`."""
    query = select(col(SurveyRow.id)).where(
        col(SurveyRow.requester_email) == email, col(SurveyRow.created_at) >= since,
        col(SurveyRow.status) != SurveyState.SKIPPED.value,
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
    survey_id, team = col(SurveyRow.id), col(SurveyRow.team_key)
    answer = col(AnswerRow.survey_id)
    unanswered = ~select(answer).where(answer == survey_id).exists()
    query = select(survey_id).where(
        col(SurveyRow.status) == SurveyState.SENT.value, col(SurveyRow.reminded_at).is_(None),
        col(SurveyRow.delivered_at) <= delivered_before, col(SurveyRow.expires_at) > now,
        unanswered,
    ).limit(limit)  # fmt: skip
    if only is not None:
        query = query.where(team.in_(list(only)))
    if exclude:
        query = query.where(team.is_(None) | team.not_in(list(exclude)))
    return list((await conn.execute(query)).scalars())


async def mark_reminded(conn: AsyncConnection, survey_id: str, now: datetime) -> bool:
    """Compare-and-set: at most one reminder per survey, whatever the number of replicas."""
    where = _this(survey_id) & col(SurveyRow.reminded_at).is_(None)
    stmt = update(SurveyRow).where(where).values(reminded_at=now).returning(col(SurveyRow.id))
    return (await conn.execute(stmt)).first() is not None


async def mark_praised(conn: AsyncConnection, survey_id: str, now: datetime) -> bool:
    """Compare-and-set: an edited comment does not send the praise a second time."""
    where = _answer_of(survey_id) & col(AnswerRow.praised_at).is_(None)
    stmt = update(AnswerRow).where(where).values(praised_at=now)
    return (await conn.execute(stmt.returning(col(AnswerRow.survey_id)))).first() is not None


async def share_ok(conn: AsyncConnection, survey_id: str) -> bool:
    query = select(col(AnswerRow.share_ok)).where(_answer_of(survey_id))
    return bool((await conn.execute(query)).scalar_one_or_none())


async def pending_for(
    conn: AsyncConnection, email: str, recipient: tuple[str, str], now: datetime, limit: int = 10
) -> list[Survey]:
    """Surveys delivered to this person on this platform, unanswered and still open, oldest
    first; by e-mail (indexed), and only those whose DM went to this very user id."""
    platform, user_id = recipient
    query = _WITH_ANSWER.where(
        col(SurveyRow.requester_email) == email, col(SurveyRow.platform) == platform,
        col(SurveyRow.recipient_id) == user_id, col(SurveyRow.status) == SurveyState.SENT.value,
        col(SurveyRow.expires_at) > now, col(AnswerRow.survey_id).is_(None),
    )  # fmt: skip
    order = (col(SurveyRow.delivered_at), col(SurveyRow.id))
    rows = await conn.execute(query.order_by(*order).limit(limit))
    return [_survey(row) for row in rows.mappings()]
