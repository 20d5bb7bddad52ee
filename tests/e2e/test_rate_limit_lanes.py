"""After a 429 the lane stays shut until Retry-After has passed, inside a batch or not (G13).

These tests run on the wall clock: the gap is read from the fakes' own call timestamps."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

from tests.harness import RunningBot, WallClock, running_bot, ticket
from tests.teams_harness import TEAMS_TOML, teams_user

RETRY_AFTER = 1
TICKETS = 20


def _closed(n: int) -> dict[str, object]:
    return {"type": "ticket.closed", "ticket": ticket(id=f"INC{n:07d}")}


async def _queue_and_wait_all_sent(bot: RunningBot) -> None:
    for n in range(TICKETS):
        assert (await bot.post_ticket(_closed(n)))[0] == 202
    sent = "SELECT count(*) FROM survey WHERE status = 'sent'"
    # The worker's own tick delivers; the 429s and the backoff of the limited jobs take ~8 s.
    deadline = time.monotonic() + 40
    while time.monotonic() < deadline:
        if await bot.scalar(sent) == TICKETS:
            break
        await asyncio.sleep(0.1)
    assert await bot.scalar(sent) == TICKETS


def _gaps_after_429(calls: list[tuple[float, bool]]) -> list[float]:
    """For every 429, the time until the next call the fake saw on that lane."""
    gaps = []
    for i, (at, limited) in enumerate(calls):
        later = [t for t, _ in calls[i + 1 :]]
        if limited and later:
            gaps.append(min(later) - at)
    return gaps


async def test_slack_429_shuts_the_lane_for_retry_after_even_inside_a_batch(
    db_url: str, tmp_path: Path
) -> None:
    async with running_bot(db_url, tmp_path, clock=WallClock()) as bot:
        bot.user("ana@example.com", "U0ANA")
        bot.slack.fail_next("chat.postMessage", retry_after=RETRY_AFTER, times=3)
        await _queue_and_wait_all_sent(bot)
        calls = [(c.at, c.fault is not None) for c in bot.slack.calls]
    gaps = _gaps_after_429(calls)
    assert len(gaps) == 3
    assert min(gaps) >= RETRY_AFTER, gaps


async def test_teams_connector_429_shuts_the_lane_for_retry_after_even_inside_a_batch(
    db_url: str, tmp_path: Path
) -> None:
    async with running_bot(db_url, tmp_path, toml=TEAMS_TOML, teams=True, clock=WallClock()) as bot:
        assert bot.teams is not None
        connector = bot.teams.connector
        await teams_user(bot, "Ana Requester", "ana@example.com", 1).install()
        connector.fail_next("POST", 429, retry_after=RETRY_AFTER, times=3)
        await _queue_and_wait_all_sent(bot)
        calls = [(c.at, c.fault is not None) for c in connector.attempts("POST")]
    gaps = _gaps_after_429(calls)
    assert len(gaps) == 3
    assert min(gaps) >= RETRY_AFTER, gaps
