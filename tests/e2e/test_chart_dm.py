"""A report's chart goes to the asker's DM through the worker's messenger: the DM channel is
opened once per person, and its calls wait out a hold Slack gave the surveys' calls."""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path

import pytest

from tests.e2e.test_reports import TOML, command, recent
from tests.harness import RunningBot, running_bot

WAIT = 5.0


async def _logged(caplog: pytest.LogCaptureFixture, message: str) -> logging.LogRecord:
    deadline = asyncio.get_running_loop().time() + WAIT
    while asyncio.get_running_loop().time() < deadline:
        found = [r for r in caplog.records if r.getMessage() == message]
        if found:
            return found[-1]
        await asyncio.sleep(0.02)
    raise AssertionError(f"{message} was not logged")


async def _survey_refused_a_dm(bot: RunningBot, retry_after: int) -> None:
    """A closed ticket whose survey's conversations.open Slack refuses for `retry_after` s."""
    bot.user("ana@example.com", "U0ANA")
    bot.slack.fail_next("conversations.open", retry_after=retry_after)
    assert (await bot.post_ticket())[0] == 202
    await bot.slack.wait_for("conversations.open")
    await bot.drain()


async def test_reports_by_one_person_open_their_dm_once(db_url: str, tmp_path: Path) -> None:
    async with running_bot(db_url, tmp_path, toml=TOML) as bot:
        await recent(bot)
        for _ in range(3):
            await command(bot, "team eus")
        await bot.slack.wait_for("files.completeUploadExternal", count=3)
        assert [f["channel"] for f in bot.slack.files] == ["D0MGR"] * 3
        assert len(bot.slack.calls_to("conversations.open")) == 1


async def test_a_chart_waits_out_the_hold_slack_gave_the_surveys(
    db_url: str, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING)
    async with running_bot(db_url, tmp_path, toml=TOML) as bot:
        await recent(bot)
        await _survey_refused_a_dm(bot, retry_after=30)
        assert "NPS — End User Services" in str(await command(bot, "team eus"))
        assert getattr(await _logged(caplog, "chart_not_sent"), "reason", "") == "paced"
        assert len(bot.slack.calls_to("conversations.open")) == 1, "called during the hold"
        bot.clock.advance(seconds=31)
        await command(bot, "team eus")
        await bot.slack.wait_for("files.completeUploadExternal")
        assert [f["channel"] for f in bot.slack.files] == ["D0MGR"]
