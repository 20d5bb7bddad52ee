"""Concurrent ticket webhooks are stored together (bot/intake.py), and every sender gets what
one-at-a-time delivery gives: one survey per close, retries answered 200, a reused id with
another body 409, a second ticket of a recently surveyed person skipped."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest

from tests.harness import NPS_TOML, running_bot, ticket
from tests.rows import statements_into

FATIGUE = NPS_TOML.replace("[defaults]\n", "[defaults]\nsurvey_every_days = 7\n")
PEOPLE = 30


def _closed(number: int, email: str) -> bytes:
    body = {"type": "ticket.closed", "ticket": ticket(id=f"INC{number}", requester_email=email)}
    return json.dumps(body).encode()


def _burst() -> list[tuple[bytes, str]]:
    """(body, webhook id): 30 people's tickets, a retried delivery, a ticket sent under three
    ids, a reused id with another body, and a second ticket for someone surveyed in the burst."""
    sends = [(_closed(i, f"p{i}@example.com"), f"msg_{i}") for i in range(PEOPLE)]
    sends += [(_closed(0, "p0@example.com"), "msg_0")] * 2  # the sender's retries
    sends += [(_closed(1, "p1@example.com"), f"msg_1_again_{n}") for n in range(3)]
    sends += [(_closed(900, "p2@example.com"), "msg_2")]  # msg_2 is INC2's: another body
    sends += [(_closed(901, "p3@example.com"), "msg_901")]  # p3 has INC3 in this burst
    return sends


async def test_a_burst_of_webhooks_is_stored_together_as_one_at_a_time_would(
    db_url: str, tmp_path: Path
) -> None:
    async with running_bot(db_url, tmp_path, toml=FATIGUE) as bot:
        inserts = statements_into(bot.store, "survey")
        sends = _burst()
        results = await asyncio.gather(*(bot.post_ticket(b, webhook_id=w) for b, w in sends))
        statuses = sorted(status for status, _ in results)
        # 202: the 30 tickets (or INC900 in INC2's place, if its reused id came first), INC901;
        # 200: two retries and INC1's three other ids; 409: msg_2 with the other body.
        assert statuses == [200] * 5 + [202] * (PEOPLE + 1) + [409]
        named: dict[str, set[str]] = {}
        for (body, _), (status, reply) in zip(sends, results, strict=True):
            if status < 300:
                named.setdefault(json.loads(body)["ticket"]["id"], set()).add(reply["survey"])
        assert all(len(ids) == 1 for ids in named.values())  # every retry names the one survey
        assert await bot.scalar("SELECT count(*) FROM survey") == PEOPLE + 1
        assert await bot.scalar("SELECT count(*) FROM survey WHERE ticket_id = 'INC1'") == 1
        skipped = "SELECT requester_email FROM survey WHERE failure_reason = 'surveyed_recently'"
        assert await bot.scalar(skipped) == "p3@example.com"  # INC3 or INC901, whichever was second
        assert await bot.scalar("SELECT count(*) FROM outbox") == PEOPLE  # none for the skipped
        assert await bot.scalar("SELECT count(*) FROM webhook_receipt") == PEOPLE + 4
        # Stored together: fewer INSERT statements than surveys (a batch inserts many rows).
        assert 0 < len(inserts) < PEOPLE


@pytest.mark.postgresql
async def test_two_replicas_given_the_same_closes_store_each_once(
    db_url: str, tmp_path: Path
) -> None:
    if not db_url.startswith("postgresql"):
        pytest.skip("replicas share PostgreSQL; SQLite is for a single host")
    (tmp_path / "a").mkdir(), (tmp_path / "b").mkdir()
    async with (
        running_bot(db_url, tmp_path / "a") as a,
        running_bot(db_url, tmp_path / "b") as b,
    ):
        # Each close reaches both replicas, under two webhook ids, in opposite orders.
        sends = [(a, i, f"msg_{i}") for i in range(PEOPLE)]
        sends += [(b, i, f"msg_{i}_b") for i in reversed(range(PEOPLE))]
        results = await asyncio.gather(
            *(bot.post_ticket(_closed(i, f"p{i}@example.com"), webhook_id=w) for bot, i, w in sends)
        )
        statuses = sorted(status for status, _ in results)
        assert statuses == [200] * PEOPLE + [202] * PEOPLE
        named: dict[int, set[str]] = {}
        for (_, i, _), (_, reply) in zip(sends, results, strict=True):
            named.setdefault(i, set()).add(reply["survey"])
        assert all(len(ids) == 1 for ids in named.values())
        assert await a.scalar("SELECT count(*) FROM survey") == PEOPLE
        assert await a.scalar("SELECT count(*) FROM webhook_receipt") == 2 * PEOPLE
        assert await a.scalar("SELECT count(*) FROM outbox") == PEOPLE
