"""The store's promises on real SQLite and PostgreSQL: constraints stop duplicates, leases share."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import text

from bot.model import Platform, Ticket
from bot.ports import Recipient
from store import Conn, Store, intake, open_store, outbox, recipients
from store import surveys as rows
from store.intake import NewSurvey, ReceiptConflict

NOW = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)


def _survey(n: int, survey_id: str | None = None) -> NewSurvey:
    t = Ticket("generic", f"INC{n}", "Title", "ana@example.com", None, "Carol", "EUS", NOW, None)
    return NewSurvey(survey_id or f"{n:016x}", t, "eus", Platform.SLACK, NOW)


async def _claim(conn: Conn, now: datetime, owner: str, limit: int = 5) -> list[outbox.Job]:
    lease = timedelta(minutes=2)
    return await outbox.claim_due(
        conn, now=now, owner=owner, lease=lease, limit=limit, platforms=["slack"]
    )


@pytest.fixture
async def store(db_url: str) -> AsyncIterator[Store]:
    opened = open_store(db_url, pool_size=10)
    yield opened
    assert opened.engine.pool.checkedout() == 0
    await opened.close()


async def _insert(
    store: Store, survey: NewSurvey, delivery: str, digest: str = "h"
) -> intake.Accepted:
    async with store.write() as conn:
        return await intake.insert_survey(conn, survey, delivery, digest)


async def test_concurrent_inserts_of_one_ticket_make_one_survey(store: Store) -> None:
    results = await asyncio.gather(
        *(_insert(store, _survey(1, f"{i:016x}"), f"d{i}") for i in range(20))
    )
    assert sum(r.new for r in results) == 1
    assert len({r.survey_id for r in results}) == 1
    async with store.read() as conn:
        assert (await conn.execute(text("SELECT count(*) FROM survey"))).scalar() == 1


async def test_same_delivery_with_another_body_is_a_conflict(store: Store) -> None:
    await _insert(store, _survey(1), "d1", "hash-a")
    assert (await _insert(store, _survey(1), "d1", "hash-a")).new is False
    with pytest.raises(ReceiptConflict):
        await _insert(store, _survey(2), "d1", "hash-b")


async def test_answer_is_stored_once(store: Store) -> None:
    await _insert(store, _survey(1), "d1")

    async with store.read() as conn:
        stored = await rows.get_survey(conn, f"{1:016x}")
    assert stored is not None

    async def answer(score: int) -> bool:
        async with store.write() as conn:
            return await rows.insert_answer(conn, stored, score, "U1", NOW)

    results = await asyncio.gather(*(answer(n % 11) for n in range(20)))
    assert results.count(True) == 1
    async with store.read() as conn:
        survey = await rows.get_survey(conn, f"{1:016x}")
    assert survey is not None
    assert survey.answer is not None
    assert survey.answer.answered_at == NOW  # aware UTC on both backends


async def test_concurrent_claimers_never_share_a_job(store: Store) -> None:
    async with store.write() as conn:
        for n in range(60):
            await outbox.enqueue(conn, "survey_dm", f"s{n}", "slack", NOW, NOW + timedelta(hours=1))

    async def claim(owner: str) -> list[str]:
        taken: list[str] = []
        while True:
            async with store.write() as conn:
                jobs = await _claim(conn, NOW, owner, limit=7)
            if not jobs:
                return taken
            taken += [j.ref for j in jobs]

    claimed = await asyncio.gather(*(claim(f"w{i}") for i in range(4)))
    every = [ref for refs in claimed for ref in refs]
    assert sorted(every) == sorted(f"s{n}" for n in range(60))


async def test_expired_lease_is_claimed_again_and_the_old_owner_cannot_complete(
    store: Store,
) -> None:
    async with store.write() as conn:
        await outbox.enqueue(conn, "survey_dm", "s1", "slack", NOW, NOW + timedelta(hours=1))
        (job,) = await _claim(conn, NOW, "dead")
    later = NOW + timedelta(minutes=3)
    async with store.write() as conn:
        (again,) = await _claim(conn, later, "alive")
        assert again.id == job.id
        assert again.attempts == 2
        assert await outbox.complete(conn, job.id, "dead", later) is False
        assert await outbox.complete(conn, job.id, "alive", later) is True


async def test_waiting_updates_to_one_message_coalesce(store: Store) -> None:
    async with store.write() as conn:
        for _ in range(5):
            await outbox.enqueue(
                conn, "survey_update", "s1", "slack", NOW, NOW + timedelta(hours=1)
            )
        count = (await conn.execute(text("SELECT count(*) FROM outbox"))).scalar()
    assert count == 1


async def test_recipient_cache_round_trips_and_updates(store: Store) -> None:
    async with store.write() as conn:
        await recipients.remember_recipient(conn, "slack", "a@x.com", Recipient("U1", "D1"), NOW)
        await recipients.remember_recipient(conn, "slack", "a@x.com", Recipient("U1", "D2"), NOW)
    async with store.read() as conn:
        assert await recipients.cached_recipient(conn, "slack", "a@x.com") == Recipient("U1", "D2")
        assert await recipients.cached_recipient(conn, "teams", "a@x.com") is None


async def test_jobs_of_one_ref_run_one_at_a_time_oldest_first(store: Store) -> None:
    later = NOW + timedelta(hours=1)
    async with store.write() as conn:
        await outbox.enqueue(conn, "alert_post", "c1", "slack", NOW, later)
        await outbox.enqueue(conn, "alert_update", "c1", "slack", NOW, later)
        await outbox.enqueue(conn, "alert_post", "c2", "slack", NOW, later)
        first = await _claim(conn, NOW, "w1", limit=10)
        assert sorted((j.kind, j.ref) for j in first) == [
            ("alert_post", "c1"),
            ("alert_post", "c2"),
        ]
        assert await _claim(conn, NOW, "w2", limit=10) == []  # c1's update waits for its post
        post_c1 = next(j for j in first if j.ref == "c1")
        assert await outbox.complete(conn, post_c1.id, "w1", NOW)
        (update,) = await _claim(conn, NOW, "w2", limit=10)
    assert (update.kind, update.ref) == ("alert_update", "c1")
