"""One deployment, one database, two platforms: a Slack team and a Teams team side by side."""

from __future__ import annotations

import json
from pathlib import Path

from tests.harness import NPS_TOML, running_bot, ticket
from tests.teams_harness import LEADS, teams_user

MIXED_TOML = (
    NPS_TOML
    + f"""
[[team]]
key = "net"
name = "Network"
platform = "teams"
teams_lead_channel = "{LEADS}"
"""
)


async def test_each_teams_requesters_and_leads_are_reached_on_their_own_platform(
    db_url: str, tmp_path: Path
) -> None:
    async with running_bot(db_url, tmp_path, toml=MIXED_TOML, teams=True) as bot:
        assert bot.teams is not None
        connector = bot.teams.connector
        ana = bot.user("ana@example.com", "U0ANA")  # End User Services: Slack
        bob = teams_user(bot, "Bob Requester", "bob@example.com", 2)  # Network: Teams
        await bob.install()
        lead = teams_user(bot, "Lead Zero", "lead0@example.com", 100)
        assert (await lead.say_in_channel(LEADS, "nps help"))[0] == 201
        slack_ticket = ticket(id="INC1", requester_email="ana@example.com")
        teams_ticket = ticket(id="INC2", requester_email="bob@example.com", team="Network")
        for body in (slack_ticket, teams_ticket):
            assert (await bot.post_ticket({"type": "ticket.closed", "ticket": body}))[0] == 202
        await bot.slack.wait_for("chat.postMessage")
        await connector.wait_for("POST", conversation=bob.chat)
        assert "INC1" in json.dumps(ana.survey_message()[1]["blocks"])
        assert "INC2" in json.dumps(bob.survey_card()[1])
        assert "INC2" not in json.dumps(list(bot.slack.messages.values()))
        await ana.click_score(2)
        await bob.click_score(3)
        await bot.drain()
        slack_alerts = [m for (ch, _), m in bot.slack.messages.items() if ch == "C0LEADS"]
        assert len(slack_alerts) == 1
        assert "INC1" in json.dumps(slack_alerts[0]["blocks"])
        teams_alerts = [c for _, c in connector.cards(LEADS) if "Detractor" in json.dumps(c)]
        assert len(teams_alerts) == 1
        assert "INC2" in json.dumps(teams_alerts[0])
        platforms = await bot.scalar(
            "SELECT count(DISTINCT platform) FROM survey JOIN answer ON survey_id = survey.id"
        )
        assert platforms == 2
