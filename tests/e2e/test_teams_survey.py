"""A ticket closes, the requester answers in Teams: the whole loop through the real server."""

from __future__ import annotations

import json
from pathlib import Path

from tests.harness import running_bot
from tests.teams_harness import LEADS, actions, invoke_text, teams_user

TEAMS_TOML = f"""\
[defaults]
slack_lead_channel = "C0DEFAULT"
digest = "off"

[[team]]
key = "eus"
name = "End User Services"
platform = "teams"
teams_lead_channel = "{LEADS}"
"""


async def test_installed_requester_gets_the_survey_card_and_a_click_thanks_them(
    db_url: str, tmp_path: Path
) -> None:
    async with running_bot(db_url, tmp_path, toml=TEAMS_TOML, teams=True) as bot:
        assert bot.teams is not None
        ana = teams_user(bot, "Ana Requester", "ana@example.com", 1)
        await ana.install()
        status, body = await bot.post_ticket()
        assert status == 202, body
        (sent,) = await bot.teams.connector.wait_for("POST", conversation=ana.chat)
        assert sent.authorization == "Bearer test"
        activity_id, card = ana.survey_card()
        text = json.dumps(card)
        assert "INC0012345 VPN keeps disconnecting" in text
        assert " by Carol" in text
        scores = [a["data"]["score"] for a in actions(card, "nps.score")]
        assert scores == list(range(11))
        status, answer = await ana.click_score(9)
        assert status == 200
        assert "You gave " in invoke_text(answer)
        assert await bot.scalar("SELECT score FROM answer") == 9
        assert await bot.scalar("SELECT responder_id FROM answer") == ana.aad
        await bot.drain()
        assert "Thank you! You gave " in json.dumps(ana.cards()[-1][1])
        assert ana.cards()[-1][0] == activity_id
        assert bot.teams.connector.invalid == []
