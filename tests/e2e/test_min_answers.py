"""Small groups stay anonymous: below nps.toml `min_answers` (default 5) `/nps team`, `/nps
teams`, `/nps me` and the weekly digest show no score and no comment, on Slack and on Teams."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from bot.digests import send_digests
from bot.server import DEPS
from tests.harness import NPS_TOML, FakeClock, RunningBot, running_bot
from tests.seed import Seeded, seed
from tests.slash import nps_command
from tests.teams_harness import LEADS, TEAMS_TOML, teams_user

TOO_FEW = "too few answers to show a score (3 of 5)"
# 10, 9, 2: NPS +33 (±…); the comment is the detractor's.
THREE = [(10, None), (9, None), (2, "Nobody called me back, Carol")]


async def _three_answers(bot: RunningBot, when: datetime, **fields: Any) -> None:
    await seed(
        bot.store,
        *(
            Seeded("eus", when - timedelta(hours=i), score=s, comment=c, **fields)
            for i, (s, c) in enumerate(THREE)
        ),
    )


def _no_score(text: str) -> None:
    assert TOO_FEW in text
    for leak in ("+33", "Nobody called me back", "promoters 2", "detractors 1"):
        assert leak not in text


async def _slack(bot: RunningBot, text: str, user: str = "U0MGR") -> str:
    reply = await nps_command(bot, text, "C0RANDOM", user)
    return json.dumps(reply, ensure_ascii=False)


async def _teams(bot: RunningBot, text: str) -> str:
    assert bot.teams is not None
    carol = teams_user(bot, "Carol Agent", "carol@example.com", 7)
    await carol.install()
    assert (await carol.say(text))[0] == 201
    return json.dumps(carol.cards()[-1][1], ensure_ascii=False)


@pytest.mark.parametrize("platform", ["slack", "teams"])
@pytest.mark.parametrize("command", ["nps team eus", "nps me", "nps teams"])
async def test_three_answers_show_too_few_instead_of_a_score(
    db_url: str, tmp_path: Path, platform: str, command: str
) -> None:
    toml = TEAMS_TOML if platform == "teams" else NPS_TOML
    async with running_bot(db_url, tmp_path, toml=toml, teams=platform == "teams") as bot:
        bot.slack.add_user("carol@example.com", "U0CAROL")
        await _three_answers(bot, bot.clock.now() - timedelta(days=1))
        if platform == "slack":
            text = await _slack(bot, command.removeprefix("nps").strip(), "U0CAROL")
        else:
            text = await _teams(bot, command)
        _no_score(text)


@pytest.mark.parametrize("platform", ["slack", "teams"])
async def test_five_answers_show_the_score_and_the_comment(
    db_url: str, tmp_path: Path, platform: str
) -> None:
    toml = TEAMS_TOML if platform == "teams" else NPS_TOML
    async with running_bot(db_url, tmp_path, toml=toml, teams=platform == "teams") as bot:
        now = bot.clock.now() - timedelta(days=1)
        await _three_answers(bot, now)
        await seed(
            bot.store, *(Seeded("eus", now - timedelta(hours=5 + i), score=7) for i in range(2))
        )
        text = await (
            _slack(bot, "team eus") if platform == "slack" else _teams(bot, "nps team eus")
        )
        assert "+20" in text  # (2 − 1) / 5
        assert "Nobody called me back" in text
        assert "too few answers" not in text.split("Week of")[0]  # the headline has a score


async def test_slack_digest_of_a_small_week_shows_too_few(db_url: str, tmp_path: Path) -> None:
    toml = NPS_TOML.replace('digest = "off"', 'digest = "mon 09:00"')
    monday = datetime(2026, 3, 9, 8, 30, tzinfo=UTC)
    async with running_bot(db_url, tmp_path, toml=toml, clock=FakeClock(monday)) as bot:
        await _three_answers(bot, monday - timedelta(days=3), share_ok=True)
        bot.clock.advance(hours=1)
        await send_digests(bot.app[DEPS])
        await bot.drain()
        await bot.slack.wait_for("files.completeUploadExternal")
        (digest,) = [f for f in bot.slack.files if f["channel"] == "C0LEADS"]
        _no_score(digest["initial_comment"])


async def test_teams_digest_of_a_small_week_shows_too_few(db_url: str, tmp_path: Path) -> None:
    toml = TEAMS_TOML.replace('digest = "off"', 'digest = "mon 09:00"')
    monday = datetime(2026, 3, 9, 8, 30, tzinfo=UTC)
    async with running_bot(db_url, tmp_path, toml=toml, teams=True, clock=FakeClock(monday)) as bot:
        assert bot.teams is not None
        lead = teams_user(bot, "Lead Zero", "lead0@example.com", 100)
        assert (await lead.say_in_channel(LEADS, "nps help"))[0] == 201
        await _three_answers(bot, monday - timedelta(days=3), share_ok=True)
        bot.clock.advance(hours=1)
        await send_digests(bot.app[DEPS])
        await bot.drain()
        cards = [json.dumps(c, ensure_ascii=False) for _, c in bot.teams.connector.cards(LEADS)]
        (digest,) = [c for c in cards if "Weekly NPS" in c]
        _no_score(digest)
