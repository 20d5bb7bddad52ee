"""`/nps team | teams | me | help` and the weekly digest, end to end through the fake Slack."""

from __future__ import annotations

import io
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from bot.charts import CHART_SIZE
from bot.digests import send_digests
from bot.server import DEPS
from tests.fakes.slack_api import FakeSlack
from tests.harness import NPS_TOML, FakeClock, RunningBot, running_bot
from tests.seed import Seeded, seed
from tests.slash import nps_command

# min_answers = 1: these tests check the figures themselves on a handful of answers
# (test_min_answers.py checks what a smaller group than min_answers sees).
TOML = (
    NPS_TOML.replace("[defaults]\n", "[defaults]\nmin_answers = 1\n")
    + """
[[team]]
key = "net"
name = "Network"
slack_lead_channel = "C0NETLEADS"

[benchmark]
name = "IT support (industry)"
nps = 38
"""
)


async def command(
    bot: RunningBot, text: str, channel: str = "C0RANDOM", user: str = "U0MGR"
) -> dict[str, Any]:
    return await nps_command(bot, text, channel, user)


def shown(reply: dict[str, Any]) -> str:
    return json.dumps(reply["blocks"], ensure_ascii=False)


async def recent(bot: RunningBot) -> None:
    now = bot.clock.now()
    await seed(
        bot.store,
        *[Seeded("eus", now - timedelta(days=1, hours=i), score=10) for i in range(4)],
        Seeded("eus", now - timedelta(days=2), score=8, comment="Fine <!channel> =1+1"),
        Seeded("eus", now - timedelta(days=3), score=2, comment="Slow to answer"),
        Seeded(
            "net",
            now - timedelta(days=1),
            score=0,
            agent_email="dave@example.com",
            comment="Dave's ticket",
        ),
    )


async def wait_for_file(slack: FakeSlack, channel: str) -> dict[str, Any]:
    await slack.wait_for("files.completeUploadExternal")
    found = [f for f in slack.files if f["channel"] == channel]
    assert found, slack.files
    return found[-1]


def assert_chart_png(slack: FakeSlack, file: dict[str, Any]) -> None:
    image = Image.open(io.BytesIO(slack.uploads[file["id"]]))
    assert image.format == "PNG"
    assert image.size == CHART_SIZE


async def test_team_report_is_ephemeral_with_figures_and_a_chart_in_dm(
    db_url: str, tmp_path: Path
) -> None:
    async with running_bot(db_url, tmp_path, toml=TOML) as bot:
        await recent(bot)
        reply = await command(bot, "team Service Desk")  # an alias
        text = shown(reply)
        assert "NPS — End User Services" in text
        assert "*+50*" in text  # (4 − 1) / 6
        assert "organisation +29" in text  # (4 − 2) / 7 = 28.6
        assert "IT support (industry) +38" in text
        assert "Fine &lt;!channel&gt; =1+1" in text  # quoted, escaped, never attributed
        assert "carol" not in text.lower()
        chart = await wait_for_file(bot.slack, "D0MGR")  # the asker's DM, not the channel
        assert_chart_png(bot.slack, chart)


async def test_team_from_lead_channel_and_unknown_team_lists_known(
    db_url: str, tmp_path: Path
) -> None:
    async with running_bot(db_url, tmp_path, toml=TOML) as bot:
        assert "NPS — Network" in shown(await command(bot, "team", channel="C0NETLEADS"))
        unknown = shown(await command(bot, "team payroll"))
        assert "payroll" in unknown
        assert "`eus` (End User Services)" in unknown
        assert "`net` (Network)" in unknown
        assert "Which team?" in shown(await command(bot, "team", channel="C0RANDOM"))


async def test_teams_overview_best_first(db_url: str, tmp_path: Path) -> None:
    async with running_bot(db_url, tmp_path, toml=TOML) as bot:
        await recent(bot)
        text = shown(await command(bot, "teams"))
        assert text.index("End User Services") < text.index("Network")
        assert "Organisation +29" in text
        assert "Benchmark: IT support (industry) +38" in text


async def test_me_shows_only_the_agents_own_tickets(db_url: str, tmp_path: Path) -> None:
    async with running_bot(db_url, tmp_path, toml=TOML) as bot:
        bot.slack.add_user("dave@example.com", "U0DAVE")
        await recent(bot)
        text = shown(await command(bot, "me", user="U0DAVE"))
        assert "Dave's ticket" in text
        assert "Slow to answer" not in text
        assert "*−100*" in text
        unknown = shown(await command(bot, "me", user="U0NOBODY"))
        assert "couldn't read your e-mail" in unknown


async def test_me_without_answers_sends_no_chart(db_url: str, tmp_path: Path) -> None:
    async with running_bot(db_url, tmp_path, toml=TOML) as bot:
        bot.slack.add_user("dave@example.com", "U0DAVE")
        text = shown(await command(bot, "me", user="U0DAVE"))
        assert "Your NPS" in text
        assert "chart is in your direct messages" not in text
        # A report with a chart afterwards: its upload is the only one.
        await recent(bot)
        assert "chart is in your direct messages" in shown(await command(bot, "team eus"))
        await wait_for_file(bot.slack, "D0MGR")
        assert [f["channel"] for f in bot.slack.files] == ["D0MGR"]
        assert len(bot.slack.calls_to("files.getUploadURLExternal")) == 1


async def test_help_and_unparseable_commands(db_url: str, tmp_path: Path) -> None:
    async with running_bot(db_url, tmp_path, toml=TOML) as bot:
        help_text = shown(await command(bot, "help"))
        for example in (
            "/nps team eus",
            "/nps teams",
            "/nps me",
            "/nps callbacks",
            "rounded half away",
        ):
            assert example in help_text
        bad = shown(await command(bot, "team eus weeks lots"))
        assert "whole number of weeks" in bad
        assert "/nps help" in bad
        assert "Commands:" not in bad  # the reason and a pointer, not the whole help again


DIGEST_TOML = """\
[defaults]
slack_lead_channel = "C0DEFAULT"
digest = "mon 09:00"
min_answers = 1

[[team]]
key = "par"
name = "Paris"
timezone = "Europe/Paris"
slack_lead_channel = "C0PAR"

[[team]]
key = "nyc"
name = "New York"
timezone = "America/New_York"
slack_lead_channel = "C0NYC"

[[team]]
key = "akl"
name = "Auckland"
timezone = "Pacific/Auckland"
slack_lead_channel = "C0AKL"
"""


# Three replicas over eight Mondays, each digest now also clustering its comments for the theme
# line: about 110 s alone on a loaded 2-core machine, past the suite's 120 s hang guard.
@pytest.mark.timeout(300)
async def test_digest_posted_once_per_team_and_week_across_replicas_and_restarts(
    db_url: str, tmp_path: Path
) -> None:
    """Eight Mondays from 9 March 2026, across both DST changes (US 8 March, EU 29 March,
    NZ 5 April), two replicas ticking every hour, and a third that starts late."""
    start = datetime(2026, 3, 8, 0, tzinfo=UTC)
    clock_a, clock_b = FakeClock(start), FakeClock(start)
    async with FakeSlack() as slack:
        a_path, b_path = tmp_path / "a", tmp_path / "b"
        a_path.mkdir(), b_path.mkdir()
        async with (
            running_bot(db_url, a_path, toml=DIGEST_TOML, clock=clock_a, slack=slack) as a,
            running_bot(db_url, b_path, toml=DIGEST_TOML, clock=clock_b, slack=slack) as b,
        ):
            await seed(a.store, Seeded("par", start - timedelta(days=3), score=10))
            while clock_a.now() < start + timedelta(weeks=8):
                for replica in (a, b):
                    await send_digests(replica.app[DEPS])
                # Delivered before the clock jumps: an hour's jump during an upload would
                # expire its 2-minute lease and let the other replica send it again.
                await a.drain()
                await b.drain()
                clock_a.advance(hours=1)
                clock_b.advance(hours=1)
            await a.drain()
            await b.drain()
            late_path = tmp_path / "late"
            late_path.mkdir()
            # Monday 27 April, noon in Paris: that week's Paris and Auckland digests went out
            # this morning; the start-up catch-up of a replica starting now must not repeat them.
            late_clock = FakeClock(datetime(2026, 4, 27, 10, tzinfo=UTC))
            async with running_bot(
                db_url, late_path, toml=DIGEST_TOML, clock=late_clock, slack=slack
            ) as late:
                await send_digests(late.app[DEPS])
                await late.drain()
    posted = [(f["channel"], f["title"]) for f in slack.files]
    for channel in ("C0PAR", "C0NYC", "C0AKL"):
        weeks = [title for ch, title in posted if ch == channel]
        assert len(weeks) == 8, weeks  # the 8 Mondays from 9 March to 27 April
        assert len(set(weeks)) == 8
    paris = [f for f in slack.files if f["channel"] == "C0PAR"]
    assert "week of 2 Mar 2026" in paris[0]["title"]  # posted on the 9th: the week before
    assert "+100" in paris[0]["initial_comment"]
    assert_chart_png(slack, paris[0])
