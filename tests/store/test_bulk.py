"""Rows written and read in the driver's SQL (store/bulk.py, store/driver_sql.py) are stored
and read back exactly as the Core path stores and reads them: SQLite compares datetimes as
text, so a different format would misplace a survey in every range query after it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest
from sqlalchemy import select, text

from store import Store, bulk, intake, surveys
from store.db import insert
from store.tables import AnswerRow, OutboxRow, SurveyRow

PARIS = timezone(timedelta(hours=1))


def survey(survey_id: str, **overrides: Any) -> dict[str, Any]:
    row = {
        "id": survey_id,
        "source": "jira",
        "ticket_id": f"T-{survey_id}",
        "title": "VPN down",
        "url": None,
        "requester_email": "ana@example.com",
        "agent_email": "carol@example.com",
        "agent_name": "Carol",
        "team_key": "eus",
        "team_name": "End User Services",
        "platform": "slack",
        "status": "pending",
        "failure_reason": None,
        # A whole second (isoformat would drop the microseconds) and another time zone.
        "closed_at": datetime(2026, 11, 20, 10, 0, 0, tzinfo=PARIS),
        "created_at": datetime(2026, 11, 20, 9, 30, 0, 123456, tzinfo=UTC),
        "delivered_at": None,
        "expires_at": None,
        "recipient_id": None,
        "close_seq": 0,
        "sla_met": True,
        "resolution_minutes": 42,
    }
    return row | overrides


async def raw_rows(store: Store, ids: list[str]) -> list[tuple[Any, ...]]:
    """Each row as the database holds it (no SQLAlchemy type), id and ticket id left out."""
    async with store.read() as conn:
        rows = (await conn.execute(text("SELECT * FROM survey ORDER BY id"))).all()
    found = {row.id: row._mapping for row in rows}
    return [tuple(v for k, v in found[i].items() if k not in ("id", "ticket_id")) for i in ids]


async def test_bulk_rows_are_stored_as_core_inserts_store_them(store: Store) -> None:
    async with store.write() as conn:
        await conn.execute(insert(conn, SurveyRow).values(**survey("core")))
        assert await bulk.insert_new(conn, SurveyRow, [survey("bulk")]) == 1
    core, bulk_row = await raw_rows(store, ["core", "bulk"])
    assert bulk_row == core
    async with store.read() as conn:
        read = (await conn.execute(select(SurveyRow).where(SurveyRow.id == "bulk"))).one()
    assert read.closed_at == datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
    assert read.sla_met is True


async def test_insert_new_counts_only_the_rows_it_inserted(store: Store) -> None:
    async with store.write() as conn:
        assert await bulk.insert_new(conn, SurveyRow, [survey("a"), survey("b")]) == 2
        again = [survey("a"), survey("c"), survey("d", ticket_id="T-b")]  # id, new, round taken
        assert await bulk.insert_new(conn, SurveyRow, again) == 1
        assert await bulk.insert_new(conn, SurveyRow, []) == 0
    async with store.read() as conn:
        ids = (await conn.execute(text("SELECT id FROM survey ORDER BY id"))).scalars().all()
    assert ids == ["a", "b", "c"]


async def test_a_waiting_job_is_queued_once(store: Store) -> None:
    """The outbox's partial unique index (one waiting job per kind and ref) also counts."""
    now = datetime(2026, 11, 20, 9, 30, tzinfo=UTC)
    job = {"kind": "send_survey", "ref": "s1", "platform": "slack", "status": "todo"}
    times = {"attempts": 0, "next_attempt_at": now, "give_up_at": now, "created_at": now}
    async with store.write() as conn:
        assert await bulk.insert_new(conn, OutboxRow, [job | times]) == 1
        assert await bulk.insert_new(conn, OutboxRow, [job | times]) == 0
        done = {"kind": "send_survey", "ref": "s2", "platform": "slack", "status": "done"}
        assert await bulk.insert_new(conn, OutboxRow, [done | times, done | times]) == 2


async def test_a_naive_datetime_is_refused_and_nothing_is_stored(store: Store) -> None:
    naive = survey("n", created_at=datetime(2026, 11, 20, 9, 30))  # noqa: DTZ001
    async with store.write() as conn:
        with pytest.raises(ValueError, match="naive"):
            await bulk.insert_new(conn, SurveyRow, [survey("ok"), naive])
    async with store.read() as conn:
        assert (await conn.execute(text("SELECT count(*) FROM survey"))).scalar_one() == 0


async def test_batch_reads_return_what_the_core_path_reads(store: Store) -> None:
    async with store.write() as conn:
        await bulk.insert_new(conn, SurveyRow, [survey("a"), survey("b", close_seq=1)])
        await bulk.insert_new(conn, SurveyRow, [survey("x", requester_email="bo@example.com")])
    since = datetime(2026, 11, 20, 9, 30, 0, 123456, tzinfo=UTC)  # the newest's own instant
    async with store.read() as conn:
        emails = ["ana@example.com", "zoe@example.com"]
        surveyed = await intake.last_surveyed(conn, emails, since)
        later = await intake.last_surveyed(conn, emails, since + timedelta(microseconds=1))
        rounds = await intake.latest_rounds(conn, [("jira", "T-b"), ("zendesk", "T-a")])
    assert surveyed == {"ana@example.com": since}
    assert surveyed["ana@example.com"].tzinfo is UTC
    assert later == {}
    assert rounds == {("jira", "T-b"): intake.Round("b", 1, since)}


async def test_get_surveys_reads_each_survey_as_get_survey_does(store: Store) -> None:
    delivered = datetime(2026, 11, 20, 10, 0, 0, tzinfo=UTC)
    rows = [
        survey("plain", sla_met=None, resolution_minutes=None),
        survey("sent", sla_met=False, status="sent", recipient_id="U1")
        | {"delivered_at": delivered, "expires_at": delivered + timedelta(days=7)},
        survey("answered", status="sent", delivered_at=delivered, expires_at=delivered),
    ]
    async with store.write() as conn:
        await bulk.insert_new(conn, SurveyRow, rows)
        answered = await surveys.get_survey(conn, "answered")
        assert answered is not None
        await surveys.insert_answers(conn, [(answered, 3, "U1")], delivered)
        await surveys.update_comment(conn, "answered", "slow", ["timeliness"], delivered)
    async with store.read() as conn:
        found = await surveys.get_surveys(conn, ["plain", "sent", "answered", "unknown"])
        one_by_one = {i: await surveys.get_survey(conn, i) for i in ["plain", "sent", "answered"]}
    assert found == one_by_one
    assert found["answered"].answer is not None
    assert found["answered"].answer.drivers == ("timeliness",)
    assert found["sent"].ticket.sla_met is False
    assert found["sent"].expires_at == delivered + timedelta(days=7)


async def test_rows_of_one_insert_must_have_the_same_columns(store: Store) -> None:
    async with store.write() as conn:
        with pytest.raises(ValueError, match="same columns"):
            await bulk.insert_new(
                conn, SurveyRow, [survey("a"), survey("b") | {"reminded_at": None}]
            )


async def test_insert_returning_names_only_the_rows_it_inserted(store: Store) -> None:
    now = datetime(2026, 11, 20, 9, 30, tzinfo=UTC)
    async with store.write() as conn:
        await bulk.insert_new(conn, SurveyRow, [survey("a"), survey("b"), survey("c")])
        answer = {"score": 9, "responder_id": "U1", "team_key": "eus", "answered_at": now}
        first = [{"survey_id": "a"} | answer]
        assert await bulk.insert_returning(conn, AnswerRow, first, "survey_id") == ["a"]
        rows = [{"survey_id": i} | answer for i in ["a", "b", "c"]]
        assert sorted(await bulk.insert_returning(conn, AnswerRow, rows, "survey_id")) == ["b", "c"]
        assert await bulk.insert_returning(conn, AnswerRow, [], "survey_id") == []
    async with store.read() as conn:
        stored = await surveys.get_surveys(conn, ["a", "b", "c"])
    assert {i: s.answer.answered_at for i, s in stored.items() if s.answer} == dict.fromkeys(
        "abc", now
    )
