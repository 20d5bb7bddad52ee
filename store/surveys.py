"""Survey and answer queries (a closed ticket's survey is written by store/intake.py)."""

from __future__ import annotations

import json
from collections.abc import Collection, Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, select, update
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlmodel import col

from bot.model import Answer, Platform, Survey, SurveyState, Ticket
from bot.ports import MessageRef, Recipient
from store import bulk
from store.db import insert
from store.driver_sql import Params, fetch, read_datetime
from store.tables import AnswerRow, SurveyRow

_WITH_ANSWER = select(SurveyRow, AnswerRow).outerjoin(
    AnswerRow, col(AnswerRow.survey_id) == col(SurveyRow.id)
)


async def get_survey(conn: AsyncConnection, survey_id: str) -> Survey | None:
    query = _WITH_ANSWER.where(col(SurveyRow.id) == survey_id)
    row = (await conn.execute(query)).mappings().first()
    return _survey(row) if row is not None else None


# What `_survey` reads, for the driver SQL of `get_surveys`.
_SURVEY_COLUMNS = (  # noqa: SIM905 - 20 names read better on 3 lines than on 20
    "id source ticket_id title requester_email agent_email agent_name team_name closed_at url"
    " sla_met resolution_minutes team_key platform status created_at delivered_at expires_at"
    " failure_reason recipient_id"
).split()
_ANSWER_COLUMNS = ["survey_id", "score", "answered_at", "comment", "drivers", "lost_time"]
_DATETIMES = {"closed_at", "created_at", "delivered_at", "expires_at", "answered_at"}
_SELECT_SURVEYS = (
    f"SELECT {', '.join('s.' + c for c in _SURVEY_COLUMNS)},"
    f" {', '.join('a.' + c for c in _ANSWER_COLUMNS)}"
    " FROM survey s LEFT OUTER JOIN answer a ON a.survey_id = s.id WHERE "
)


async def get_surveys(conn: AsyncConnection, survey_ids: Collection[str]) -> dict[str, Survey]:
    """Several surveys in one statement, by id; unknown ids are absent. In the driver's SQL
    (store/driver_sql.py): the score clicks' batch read, where SQLAlchemy's statement and row
    work cost more than the read (issue 13)."""
    p = Params(conn.dialect.name)
    found = await fetch(conn, _SELECT_SURVEYS + p.among("s.id", survey_ids), p)
    surveys = map(_survey, map(_stored, found))
    return {survey.id: survey for survey in surveys}


def _stored(row: Sequence[Any]) -> dict[str, Any]:
    """A row of `_SELECT_SURVEYS` by column name, its values as the Core path reads them."""
    m = dict(zip(_SURVEY_COLUMNS + _ANSWER_COLUMNS, row, strict=True))
    for name in _DATETIMES:
        if m[name] is not None:
            m[name] = read_datetime(m[name])
    if m["sla_met"] is not None:
        m["sla_met"] = bool(m["sla_met"])  # SQLite's 0 or 1
    return m


# long: one row mapped to one Survey, field by field; a split would only scatter the fields
def _survey(m: Mapping[Any, Any]) -> Survey:
    ticket = Ticket(
        source=m["source"],
        ticket_id=m["ticket_id"],
        title=m["title"],
        requester_email=m["requester_email"],
        agent_email=m["agent_email"],
        agent_name=m["agent_name"],
        team_name=m["team_name"],
        closed_at=m["closed_at"],
        url=m["url"],
        sla_met=m["sla_met"],
        resolution_minutes=m["resolution_minutes"],
    )
    answer = None
    if m["survey_id"] is not None:
        # Every stored key, even one nps.toml no longer offers: history keeps what was said.
        drivers = tuple(str(d) for d in json.loads(m["drivers"])) if m["drivers"] else ()
        answer = Answer(
            m["survey_id"], m["score"], m["answered_at"], m["comment"], drivers, m["lost_time"]
        )
    state = SurveyState.ANSWERED if answer else SurveyState(m["status"])
    return Survey(
        id=m["id"],
        ticket=ticket,
        team_key=m["team_key"],
        platform=Platform(m["platform"]),
        state=state,
        created_at=m["created_at"],
        delivered_at=m["delivered_at"],
        expires_at=m["expires_at"],
        failure_reason=m["failure_reason"],
        recipient_id=m["recipient_id"],
        answer=answer,
    )


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
        "status": SurveyState.SENT.value,
        "delivered_at": now,
        "expires_at": expires_at,
        "recipient_id": recipient.user_id,
        "message_channel": ref.channel,
        "message_ts": ref.ts,
        "failure_reason": None,
    }
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
    already answered keeps its answer and is absent). In key order, as every batch writes:
    two concurrent batches then never each hold a row the other waits for."""
    params = [
        {
            "survey_id": survey.id,
            "score": score,
            "responder_id": responder,
            "team_key": survey.team_key,
            "answered_at": now,
        }
        for survey, score, responder in sorted(answers, key=lambda a: a[0].id)
    ]
    return set(await bulk.insert_returning(conn, AnswerRow, params, "survey_id"))


def _answer_of(survey_id: str) -> ColumnElement[bool]:
    return col(AnswerRow.survey_id) == survey_id


async def lock_lost_time(conn: AsyncConnection, survey_id: str) -> str | None:
    """The answer's lost-time choice, its row locked until the commit on PostgreSQL (SQLite's
    write transaction already keeps every other writer out)."""
    stmt = select(col(AnswerRow.lost_time)).where(_answer_of(survey_id)).with_for_update()
    return (await conn.execute(stmt)).scalar_one_or_none()


async def update_comment(
    conn: AsyncConnection,
    survey_id: str,
    comment: str | None,
    drivers: list[str],
    now: datetime,
    share_ok: bool = False,
    lost_time: str | None = None,
) -> bool:
    values: dict[str, object] = {"comment": comment, "drivers": json.dumps(drivers)}
    values |= {"commented_at": now, "share_ok": share_ok, "lost_time": lost_time}
    stmt = update(AnswerRow).where(_answer_of(survey_id)).values(**values)
    return (await conn.execute(stmt.returning(col(AnswerRow.survey_id)))).first() is not None


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
    query = (
        select(survey_id)
        .where(
            col(SurveyRow.status) == SurveyState.SENT.value,
            col(SurveyRow.reminded_at).is_(None),
            col(SurveyRow.delivered_at) <= delivered_before,
            col(SurveyRow.expires_at) > now,
            unanswered,
        )
        .limit(limit)
    )
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
        col(SurveyRow.requester_email) == email,
        col(SurveyRow.platform) == platform,
        col(SurveyRow.recipient_id) == user_id,
        col(SurveyRow.status) == SurveyState.SENT.value,
        col(SurveyRow.expires_at) > now,
        col(AnswerRow.survey_id).is_(None),
    )
    order = (col(SurveyRow.delivered_at), col(SurveyRow.id))
    rows = await conn.execute(query.order_by(*order).limit(limit))
    return [_survey(row) for row in rows.mappings()]
