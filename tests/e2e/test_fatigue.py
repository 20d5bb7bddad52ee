"""Survey reminders, opt-out and the one-survey-per-N-days rule, end to end through Slack."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from bot.escalation import escalate_overdue
from bot.server import DEPS
from tests.harness import NPS_TOML, RunningBot, SlackUser, running_bot, ticket


def _closed(n: int) -> dict[str, Any]:
    return {"type": "ticket.closed", "ticket": ticket(id=f"INC{n}")}


async def _surveyed(bot: RunningBot, n: int = 1) -> SlackUser:
    ana = bot.user("ana@example.com", "U0ANA")
    before = len(bot.slack.calls_to("chat.postMessage"))
    assert (await bot.post_ticket(_closed(n)))[0] == 202
    await bot.slack.wait_for("chat.postMessage", count=before + 1)
    await bot.drain()
    return ana


async def _tick(bot: RunningBot) -> None:
    await escalate_overdue(bot.app[DEPS])
    await bot.drain()


async def test_an_unanswered_survey_gets_exactly_one_reminder(db_url: str, tmp_path: Path) -> None:
    async with running_bot(db_url, tmp_path) as bot:
        ana = await _surveyed(bot)
        bot.clock.advance(hours=23)
        await _tick(bot)
        assert len(ana.messages()) == 1
        bot.clock.advance(hours=2)
        await _tick(bot)
        await _tick(bot)
        assert len(ana.messages()) == 2
        reminder = json.dumps(ana.messages()[1][1]["blocks"])
        assert "reminder" in reminder
        assert "nps.score.7" in reminder
        bot.clock.advance(days=2)
        await _tick(bot)
        assert len(ana.messages()) == 2


async def test_an_answered_survey_gets_no_reminder(db_url: str, tmp_path: Path) -> None:
    async with running_bot(db_url, tmp_path) as bot:
        ana = await _surveyed(bot)
        await ana.click_score(9)
        await bot.drain()
        bot.clock.advance(hours=25)
        await _tick(bot)
        assert len(ana.messages()) == 1


async def test_dont_ask_me_again_skips_later_tickets_until_optin(
    db_url: str, tmp_path: Path
) -> None:
    async with running_bot(db_url, tmp_path) as bot:
        ana = await _surveyed(bot, 1)
        await ana.click("nps.optout")
        await bot.drain()
        assert "won't be asked" in json.dumps(ana.messages()[0][1]["blocks"])
        assert (await bot.post_ticket(_closed(2)))[0] == 202
        await bot.drain()
        assert len(ana.messages()) == 1
        status = "SELECT status, failure_reason FROM survey WHERE ticket_id = 'INC2'"
        assert await bot.scalar(status) == "skipped"
        assert await bot.scalar(status.replace("status, ", "")) == "opted_out"
        _, body = await bot.post_slack(
            {"command": "/nps", "text": "optin", "user_id": "U0ANA", "channel_id": "D0ANA"}
        )
        assert "Welcome back" in json.loads(body)["text"]
        await _surveyed(bot, 3)
        assert len(ana.messages()) == 2


async def test_a_person_is_surveyed_at_most_once_every_n_days(db_url: str, tmp_path: Path) -> None:
    toml = NPS_TOML.replace("[defaults]\n", "[defaults]\nsurvey_every_days = 7\n")
    async with running_bot(db_url, tmp_path, toml=toml) as bot:
        ana = await _surveyed(bot, 1)
        assert (await bot.post_ticket(_closed(2)))[0] == 202
        await bot.drain()
        assert len(ana.messages()) == 1
        reason = "SELECT failure_reason FROM survey WHERE ticket_id = 'INC2'"
        assert await bot.scalar(reason) == "surveyed_recently"
        bot.clock.advance(days=7, seconds=1)
        await _surveyed(bot, 3)
        assert len(ana.messages()) == 2


async def test_a_teams_own_reminder_delay_wins_and_other_tickets_keep_the_default(
    db_url: str, tmp_path: Path
) -> None:
    toml = NPS_TOML + "reminder_after_hours = 2\n"  # inside the eus [[team]]
    async with running_bot(db_url, tmp_path, toml=toml) as bot:
        ana = await _surveyed(bot, 1)  # team eus: 2 hours
        other = {"type": "ticket.closed", "ticket": ticket(id="INC2", team="Facilities")}
        assert (await bot.post_ticket(other))[0] == 202  # no such team: [defaults], 24 hours
        await bot.slack.wait_for("chat.postMessage", count=2)
        await bot.drain()  # INC2's delivery committed (delivered_at) before the clock moves
        bot.clock.advance(hours=2, minutes=1)
        await _tick(bot)
        assert len(ana.messages()) == 3
        assert "INC1" in json.dumps(ana.messages()[2][1]["blocks"])
        bot.clock.advance(hours=22)
        await _tick(bot)
        assert len(ana.messages()) == 4
        assert "INC2" in json.dumps(ana.messages()[3][1]["blocks"])


async def test_a_teams_own_survey_every_days_wins_over_defaults(
    db_url: str, tmp_path: Path
) -> None:
    toml = NPS_TOML + "survey_every_days = 7\n"  # inside the eus [[team]]; [defaults] says 0
    async with running_bot(db_url, tmp_path, toml=toml) as bot:
        ana = await _surveyed(bot, 1)
        assert (await bot.post_ticket(_closed(2)))[0] == 202
        await bot.drain()
        assert len(ana.messages()) == 1
        reason = "SELECT failure_reason FROM survey WHERE ticket_id = 'INC2'"
        assert await bot.scalar(reason) == "surveyed_recently"
