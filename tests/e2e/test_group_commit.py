"""Concurrent score clicks are committed together (group commit), each with its own outcome."""

from __future__ import annotations

import asyncio
from pathlib import Path

from sqlalchemy import text

from bot import surveys
from bot.model import AlreadyAnswered, NotRequester, ScoreRecorded, UnknownSurvey
from bot.server import DEPS
from tests.harness import RunningBot, running_bot, ticket
from tests.rows import statements_into

PEOPLE = 8


async def _surveys(bot: RunningBot) -> list[tuple[str, str]]:
    """(survey id, requester's Slack id) of PEOPLE delivered surveys."""
    for i in range(PEOPLE):
        bot.user(f"person{i}@example.com", f"U0P{i}")
        closed = ticket(id=f"INC{i}", requester_email=f"person{i}@example.com")
        body = {"type": "ticket.closed", "ticket": closed}
        assert (await bot.post_ticket(body))[0] == 202
    await bot.slack.wait_for("chat.postMessage", count=PEOPLE)
    await bot.drain()
    async with bot.store.read() as conn:
        rows = (await conn.execute(text("SELECT id, recipient_id FROM survey"))).all()
    return sorted((str(r[0]), str(r[1])) for r in rows)


async def test_concurrent_clicks_share_one_insert_and_each_learns_its_own_outcome(
    db_url: str, tmp_path: Path
) -> None:
    async with running_bot(db_url, tmp_path) as bot:
        found = await _surveys(bot)
        deps = bot.app[DEPS]
        inserts = statements_into(bot.store, "answer")
        scores = [3] + [9] * (PEOPLE - 1)  # one detractor
        clicks = [
            surveys.record_score(deps, sid, s, u) for (sid, u), s in zip(found, scores, strict=True)
        ]
        clicks += [
            surveys.record_score(deps, found[1][0], 10, found[1][1]),  # a second click
            surveys.record_score(deps, found[2][0], 0, "U0STRANGER"),  # someone else's survey
            surveys.record_score(deps, "0" * 16, 5, "U0P0"),  # no such survey
        ]
        outcomes = await asyncio.gather(*clicks)
        assert len(inserts) == 1, "the answers were not stored in one statement"
        assert [type(o) for o in outcomes[:PEOPLE]] == [ScoreRecorded] * PEOPLE
        assert outcomes[PEOPLE] == AlreadyAnswered(outcomes[1].survey, 9)
        assert isinstance(outcomes[PEOPLE + 1], NotRequester)
        assert isinstance(outcomes[PEOPLE + 2], UnknownSurvey)
        assert await bot.scalar("SELECT count(*) FROM answer") == PEOPLE
        assert await bot.scalar("SELECT sum(score) FROM answer") == 3 + 9 * (PEOPLE - 1)
        assert await bot.scalar("SELECT count(*) FROM callback") == 1  # the one detractor
        await bot.drain()
        assert len(bot.slack.calls_to("chat.update")) == PEOPLE  # every thank-you, once


async def test_a_click_that_cannot_be_stored_does_not_fail_the_others(
    db_url: str, tmp_path: Path
) -> None:
    """A failing batch is split: each click gets its own transaction and its own answer (the
    isolation one transaction per click gave, kept under group commit)."""
    async with running_bot(db_url, tmp_path) as bot:
        found = await _surveys(bot)
        deps = bot.app[DEPS]
        async with bot.store.write() as conn:  # a row no version of npsbot wrote: it cannot load
            await conn.execute(
                text("UPDATE survey SET status = 'bogus' WHERE id = :i"), {"i": found[0][0]}
            )
        results = await asyncio.gather(
            *(surveys.record_score(deps, sid, 9, user) for sid, user in found),
            return_exceptions=True,
        )
        assert isinstance(results[0], ValueError)
        assert [type(r) for r in results[1:]] == [ScoreRecorded] * (PEOPLE - 1)
        assert await bot.scalar("SELECT count(*) FROM answer") == PEOPLE - 1
