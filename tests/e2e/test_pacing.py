"""The worker keeps under each Slack method's limit (bot.pacing) instead of running into it.

The fake Slack enforces a token bucket, as bench/slack_limits does. These tests run on the wall
clock and count calls; how fast anything goes is the benches' business, never asserted here."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

from tests.buckets import Bucket, limiter
from tests.harness import RunningBot, WallClock, running_bot, ticket

SURVEYS = 100
RATE, BURST = 10.0, 5.0  # chat.postMessage calls per second, and at once


async def _wait_sent(bot: RunningBot, count: int) -> None:
    sent = "SELECT count(*) FROM survey WHERE status = 'sent'"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if await bot.scalar(sent) == count:
            break
        await asyncio.sleep(0.1)
    assert await bot.scalar(sent) == count


async def test_paced_dms_meet_fewer_429s_than_pausing_alone_and_each_goes_once(
    db_url: str, tmp_path: Path
) -> None:
    async with running_bot(db_url, tmp_path, clock=WallClock()) as bot:
        bot.user("ana@example.com", "U0ANA")
        bot.slack.limiter = limiter("chat.postMessage", Bucket(RATE, BURST))
        for n in range(SURVEYS):
            closed = {"type": "ticket.closed", "ticket": ticket(id=f"INC{n:07d}")}
            assert (await bot.post_ticket(closed))[0] == 202
        await _wait_sent(bot, SURVEYS)
        posts = bot.slack.calls_to("chat.postMessage")
    served = [c for c in posts if c.fault is None]
    assert len(served) == SURVEYS  # every survey sent, and none twice
    # Pausing for Retry-After alone meets a 429 each time the pause's refill runs out:
    # at least once per RATE × 1 s served calls.
    assert len(posts) - len(served) < (SURVEYS - BURST) / (RATE + 1)


async def test_a_429_on_thank_yous_does_not_hold_up_new_survey_dms(
    db_url: str, tmp_path: Path
) -> None:
    """Slack limits chat.update and chat.postMessage apart: only the method refused waits."""
    async with running_bot(db_url, tmp_path, clock=WallClock()) as bot:
        ana = bot.user("ana@example.com", "U0ANA")
        assert (await bot.post_ticket())[0] == 202
        await bot.slack.wait_for("chat.postMessage")
        bot.slack.fail_next("chat.update", retry_after=3)
        assert (await ana.click_score(9))[0] == 200
        await bot.slack.wait_for("chat.update")
        second = {"type": "ticket.closed", "ticket": ticket(id="INC0000002")}
        assert (await bot.post_ticket(second))[0] == 202
        await bot.slack.wait_for("chat.postMessage", count=2)
        await bot.slack.wait_for("chat.update", count=2, timeout=15)
        order = [(c.method, c.fault is None) for c in bot.slack.calls]
    assert order.index(("chat.postMessage", True), 2) < order.index(("chat.update", True))
