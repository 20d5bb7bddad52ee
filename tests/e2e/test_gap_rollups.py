"""The perception gap kept in the team's days and weeks (migration 0011) by the bot's own write
paths, whichever comes last of the guess and the answer, equal to the raw rows' count."""

from __future__ import annotations

import asyncio
import time
from datetime import timedelta
from pathlib import Path

from sqlalchemy import text

from bot.scoring import Tally
from bot.scoring.gap import GapTally
from store import perception
from store.rollups import GAP
from tests.e2e.test_agent_guess import ASK
from tests.harness import NPS_TOML, RunningBot, SlackUser, running_bot, ticket

# Ticket 1: Ana answers 3, then Carol guesses 8. Ticket 2: Carol guesses 10, then Bob answers 9.
# Ticket 3: Carol guesses 0, and Dan never answers: no pair.
EXPECTED = GapTally(Tally(1, 1, 0), Tally(1, 0, 1), abs(8 - 3) + abs(10 - 9), 8 + 10, 3 + 9)


async def _kept(bot: RunningBot, table: str) -> GapTally:
    sums = ", ".join(f"coalesce(sum({c}), 0)" for c in GAP)
    async with bot.store.read() as conn:
        row = (
            await conn.execute(text(f"SELECT {sums} FROM {table} WHERE team_key = 'eus'"))  # noqa: S608 - ours
        ).one()
    return GapTally.of([int(v) for v in row])


def _question(carol: SlackUser, ticket_id: str) -> tuple[str, dict[str, object]]:
    return next((ts, m) for ts, m in carol.messages() if ticket_id in str(m))


async def _ticket(bot: RunningBot, ticket_id: str, requester: str) -> SlackUser:
    user_id = "U0" + requester.upper()
    bot.slack.add_user(f"{requester}@example.com", user_id, real_name=requester.title())
    status, _ = await bot.post_ticket(
        {
            "type": "ticket.closed",
            "ticket": ticket(id=ticket_id, requester_email=f"{requester}@example.com"),
        }
    )
    assert status == 202
    await bot.drain()
    return SlackUser(bot, f"{requester}@example.com", user_id)


async def _guess(bot: RunningBot, carol: SlackUser, ticket_id: str, score: int, nth: int) -> None:
    """Carol's guess on the ticket, once stored (Bolt acks a click before its listener runs)."""
    ts, _ = _question(carol, ticket_id)
    await carol.click_in(carol.dm_channel, ts, f"nps.guess.{score}")
    await _wait_guesses(bot, nth)


async def test_a_pair_counts_once_in_its_answers_day_and_week_whichever_came_last(
    db_url: str, tmp_path: Path
) -> None:
    async with running_bot(db_url, tmp_path, toml=NPS_TOML + ASK) as bot:
        bot.slack.add_user("carol@example.com", "U0CAROL", real_name="Carol")
        carol = SlackUser(bot, "carol@example.com", "U0CAROL")
        ana = await _ticket(bot, "INC0000001", "ana")
        await ana.click_score(3)
        await bot.drain()
        await _guess(bot, carol, "INC0000001", 8, 1)

        bob = await _ticket(bot, "INC0000002", "bob")
        await _guess(bot, carol, "INC0000002", 10, 2)
        await bob.click_score(9)
        await bot.drain()

        await _ticket(bot, "INC0000003", "dan")
        await _guess(bot, carol, "INC0000003", 0, 3)

        assert await _kept(bot, "tally_day") == EXPECTED
        assert await _kept(bot, "tally_week") == EXPECTED
        now = bot.clock.now()
        async with bot.store.read() as conn:
            bounds = [now - timedelta(days=30), now + timedelta(days=1)]
            assert await perception.raw_gap_tallies(conn, bounds, ["eus"]) == [EXPECTED]


async def _wait_guesses(bot: RunningBot, count: int) -> None:
    deadline = time.monotonic() + 5
    while await bot.scalar("SELECT count(*) FROM agent_guess WHERE score IS NOT NULL") < count:
        if time.monotonic() > deadline:
            raise AssertionError(f"fewer than {count} guesses stored")
        await asyncio.sleep(0.01)
    await bot.drain()
