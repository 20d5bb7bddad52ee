"""Unclaimed callbacks escalate on business hours in the team's zone; slow owners get a DM."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime
from pathlib import Path

from bot.escalation import escalate_overdue
from bot.server import DEPS
from tests.harness import FakeClock, RunningBot, running_bot

TOML = """\
[defaults]
slack_lead_channel = "C0DEFAULT"
escalate_after_hours = 4

[[team]]
key = "eus"
name = "End User Services"
slack_lead_channel = "C0LEADS"
slack_escalation_channel = "C0ESCALATE"
timezone = "Europe/Paris"
"""
MONDAY_10_PARIS = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


async def _detractor(bot: RunningBot) -> None:
    ana = bot.user("ana@example.com", "U0ANA")
    assert (await bot.post_ticket())[0] == 202
    await bot.slack.wait_for("chat.postMessage")
    await ana.click_score(2)
    await bot.drain()


def _in(bot: RunningBot, channel: str) -> list[str]:
    return [json.dumps(m["blocks"]) for (ch, _), m in bot.slack.messages.items() if ch == channel]


async def _tick(bot: RunningBot) -> int:
    taken = await escalate_overdue(bot.app[DEPS])
    await bot.drain()
    return taken


async def test_unclaimed_callback_is_reminded_then_escalated_once_each(
    db_url: str, tmp_path: Path
) -> None:
    clock = FakeClock(MONDAY_10_PARIS)
    async with running_bot(db_url, tmp_path, toml=TOML, clock=clock) as bot:
        await _detractor(bot)
        clock.advance(hours=3, minutes=59)
        assert await _tick(bot) == 0
        clock.advance(minutes=2)
        assert await _tick(bot) == 1
        assert await _tick(bot) == 0  # a second tick (or replica) takes no step twice
        leads = _in(bot, "C0LEADS")
        assert len(leads) == 2
        assert "Reminder" in leads[1]
        assert "nps.callback.claim" in leads[1]
        assert _in(bot, "C0ESCALATE") == []
        # 14:01 Paris + 4 business hours = Tuesday 10:01 Paris; the evening does not count.
        clock.advance(hours=19)
        assert await _tick(bot) == 0
        clock.advance(hours=1)
        assert await _tick(bot) == 1
        assert len(_in(bot, "C0ESCALATE")) == 1
        assert "Escalation" in _in(bot, "C0ESCALATE")[0]
        clock.advance(days=7)
        assert await _tick(bot) == 0


async def test_claimed_callback_does_not_escalate_and_its_owner_is_reminded(
    db_url: str, tmp_path: Path
) -> None:
    clock = FakeClock(MONDAY_10_PARIS)
    async with running_bot(db_url, tmp_path, toml=TOML, clock=clock) as bot:
        await _detractor(bot)
        lead = bot.user("lead@example.com", "U0LEAD")
        ((ts, _),) = [(ts, m) for (ch, ts), m in bot.slack.messages.items() if ch == "C0LEADS"]
        await lead.click_in("C0LEADS", ts, "nps.callback.claim")
        await bot.drain()
        clock.advance(hours=5)
        assert await _tick(bot) == 0
        assert len(_in(bot, "C0LEADS")) == 1
        clock.advance(days=2)  # Wednesday 15:00 Paris: 2 business days after Monday 10:00
        assert await _tick(bot) == 1
        dms = _in(bot, "U0LEAD")
        assert len(dms) == 1
        assert "INC0012345" in dms[0]
        clock.advance(days=3)
        assert await _tick(bot) == 0  # reminded once


async def test_two_replicas_ticking_at_once_take_each_step_once(
    db_url: str, tmp_path: Path
) -> None:
    clock = FakeClock(MONDAY_10_PARIS)
    (tmp_path / "second").mkdir()
    async with (
        running_bot(db_url, tmp_path, toml=TOML, clock=clock) as first,
        running_bot(
            db_url, tmp_path / "second", toml=TOML, clock=clock, slack=first.slack
        ) as second,
    ):
        await _detractor(first)
        clock.advance(hours=4, minutes=1)
        taken = await asyncio.gather(
            *(escalate_overdue(bot.app[DEPS]) for bot in (first, second, first, second))
        )
        assert sum(taken) == 1
        await first.drain()
        await second.drain()
        assert len(_in(first, "C0LEADS")) == 2


async def test_a_teams_own_escalate_after_hours_wins_over_defaults(
    db_url: str, tmp_path: Path
) -> None:
    clock = FakeClock(MONDAY_10_PARIS)
    toml = TOML + "escalate_after_hours = 1\n"  # inside the eus [[team]]; [defaults] says 4
    async with running_bot(db_url, tmp_path, toml=toml, clock=clock) as bot:
        await _detractor(bot)
        clock.advance(minutes=59)
        assert await _tick(bot) == 0
        clock.advance(minutes=2)
        assert await _tick(bot) == 1
        assert "Reminder" in _in(bot, "C0LEADS")[1]
