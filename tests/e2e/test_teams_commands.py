"""`nps …` typed to the bot in Teams (1:1, or with an @mention in a channel), the weekly digest,
and the bot's first words in a team."""

from __future__ import annotations

import base64
import io
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from PIL import Image

from bot.charts import CHART_SIZE
from bot.digests import send_digests
from bot.server import DEPS
from tests.harness import FakeClock, running_bot
from tests.seed import Seeded, seed
from tests.teams_harness import LEADS, TEAM, TEAMS_TOML, TENANT, teams_user


def _texts(card: dict[str, Any]) -> str:
    return json.dumps(card, ensure_ascii=False)


def _image(card: dict[str, Any]) -> Image.Image:
    (image,) = [n for n in card["body"] if n.get("type") == "Image"]
    prefix = "data:image/png;base64,"
    assert image["url"].startswith(prefix)
    return Image.open(io.BytesIO(base64.b64decode(image["url"].removeprefix(prefix))))


async def test_nps_help_in_a_1_1_chat_answers_with_teams_wording(
    db_url: str, tmp_path: Path
) -> None:
    async with running_bot(db_url, tmp_path, toml=TEAMS_TOML, teams=True) as bot:
        ana = teams_user(bot, "Ana Requester", "ana@example.com", 1)
        await ana.install()
        status, _ = await ana.say("nps help")
        assert status == 201
        (_, reply) = ana.cards()[-1]
        text = _texts(reply)
        assert "nps team eus" in text
        assert "/nps" not in text
        assert "`" not in text
        assert "This channel's id" not in text  # only said in channels


async def test_nps_team_answers_with_the_figures_and_the_chart_in_the_card(
    db_url: str, tmp_path: Path
) -> None:
    async with running_bot(db_url, tmp_path, toml=TEAMS_TOML, teams=True) as bot:
        now = bot.clock.now()
        await seed(
            bot.store,
            *(Seeded("eus", now - timedelta(days=1, minutes=i), score=9) for i in range(5)),
        )  # min_answers: 5
        lead = teams_user(bot, "Lead Zero", "lead0@example.com", 100)
        await lead.install()
        status, _ = await lead.say_in_channel(LEADS, "nps team eus weeks 4")
        assert status == 201
        assert bot.teams is not None
        (_, reply) = bot.teams.connector.cards(LEADS)[-1]
        text = _texts(reply)
        assert "NPS — End User Services" in text
        assert "+100" in text
        assert _image(reply).size == CHART_SIZE
        assert bot.teams.connector.invalid == []  # within Teams' message size


async def test_nps_me_is_answered_in_the_1_1_chat_and_held_back_in_a_channel(
    db_url: str, tmp_path: Path
) -> None:
    async with running_bot(db_url, tmp_path, toml=TEAMS_TOML, teams=True) as bot:
        now = bot.clock.now()
        others = [Seeded("eus", now - timedelta(days=3, hours=i), score=9) for i in range(4)]
        await seed(
            bot.store,
            Seeded("eus", now - timedelta(days=2), score=10, comment="Carol fixed it in minutes"),
            *others,
        )
        carol = teams_user(bot, "Carol Agent", "carol@example.com", 7)
        await carol.install()
        assert (await carol.say("nps me"))[0] == 201
        (_, reply) = carol.cards()[-1]
        text = _texts(reply)
        assert "Your NPS" in text
        assert "Carol fixed it in minutes" in text
        assert _image(reply).size == CHART_SIZE
        assert (await carol.say_in_channel(LEADS, "nps me"))[0] == 201
        assert bot.teams is not None
        (_, held) = bot.teams.connector.cards(LEADS)[-1]
        assert "private" in _texts(held)
        assert "Carol fixed it" not in _texts(held)


async def test_nps_me_without_answers_has_no_chart(db_url: str, tmp_path: Path) -> None:
    async with running_bot(db_url, tmp_path, toml=TEAMS_TOML, teams=True) as bot:
        carol = teams_user(bot, "Carol Agent", "carol@example.com", 7)
        await carol.install()
        assert (await carol.say("nps me"))[0] == 201
        (_, reply) = carol.cards()[-1]
        assert "Your NPS" in _texts(reply)
        assert [n for n in reply["body"] if n.get("type") == "Image"] == []


async def test_nps_teams_lists_every_team(db_url: str, tmp_path: Path) -> None:
    async with running_bot(db_url, tmp_path, toml=TEAMS_TOML, teams=True) as bot:
        ana = teams_user(bot, "Ana Requester", "ana@example.com", 1)
        await ana.install()
        assert (await ana.say("nps teams"))[0] == 201
        assert "End User Services" in _texts(ana.cards()[-1][1])


async def test_added_to_a_team_the_bot_says_which_channel_id_to_paste(
    db_url: str, tmp_path: Path
) -> None:
    async with running_bot(db_url, tmp_path, toml=TEAMS_TOML, teams=True) as bot:
        assert bot.teams is not None
        admin = teams_user(bot, "Ada Admin", "ada@example.com", 9)
        general = "19:general0a1b2c3d4e5f60718293a4b5c6d7e8f9@thread.tacv2"
        added = admin.activity(
            "conversationUpdate",
            {"conversationType": "channel", "tenantId": TENANT, "isGroup": True, "id": general},
            membersAdded=[{"id": f"28:{bot.teams.app_id}"}],
            channelData={
                "team": {"id": TEAM},
                "eventType": "teamMemberAdded",
                "tenant": {"id": TENANT},
            },
        )
        status, _ = await admin.post(added)
        assert status == 201
        (_, welcome) = bot.teams.connector.cards(general)[-1]
        assert "teams_lead_channel" in _texts(welcome)
        assert general in _texts(welcome)
        assert await bot.scalar("SELECT kind FROM teams_conversation") == "channel"


DIGEST_TOML = TEAMS_TOML.replace('digest = "off"', 'digest = "mon 09:00"')


async def test_weekly_digest_is_a_card_with_the_chart_in_the_leads_channel(
    db_url: str, tmp_path: Path
) -> None:
    monday = datetime(2026, 3, 9, 8, 30, tzinfo=UTC)
    async with running_bot(
        db_url, tmp_path, toml=DIGEST_TOML, teams=True, clock=FakeClock(monday)
    ) as bot:
        assert bot.teams is not None
        lead = teams_user(bot, "Lead Zero", "lead0@example.com", 100)
        assert (await lead.say_in_channel(LEADS, "nps help"))[0] == 201
        await seed(bot.store, Seeded("eus", monday - timedelta(days=3), score=10))
        bot.clock.advance(hours=1)
        await send_digests(bot.app[DEPS])
        await bot.drain()
        digests = [c for _, c in bot.teams.connector.cards(LEADS) if "Weekly NPS" in _texts(c)]
        assert len(digests) == 1
        assert "week of 2 Mar" in _texts(digests[0])
        assert _image(digests[0]).size == CHART_SIZE


async def test_a_message_whose_turn_fails_keeps_no_conversation(
    db_url: str, tmp_path: Path
) -> None:
    """A turn answered 400 changed nothing: the conversation is kept once a turn succeeds."""
    async with running_bot(db_url, tmp_path, toml=TEAMS_TOML, teams=True) as bot:
        assert bot.teams is not None
        ana = teams_user(bot, "Ana Requester", "ana@example.com", 1)
        bot.teams.connector.fail_next("POST", 500)  # the reply to her message
        status, _ = await ana.say("help")
        assert status == 400
        assert await bot.scalar("SELECT count(*) FROM teams_conversation") == 0
        status, _ = await ana.say("help")
        assert status == 201
        assert await bot.scalar("SELECT count(*) FROM teams_conversation") == 1
