"""The comment form asks what fits the score, over the team's drivers in the survey's order."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from bot.model import form_order
from tests.harness import NPS_TOML, running_bot
from tests.teams_harness import TEAMS_TOML, teams_user

DRIVERS = 'drivers = ["remote_access", "communication", "laptop_setup"]\n'


def _checkboxes(view: dict[str, Any]) -> dict[str, Any]:
    (block,) = [b for b in view["blocks"] if b.get("block_id") == "drivers"]
    return block


@pytest.mark.parametrize(
    ("score", "question"),
    [(10, "What went well?"), (7, "What would have made it a 10?"), (3, "What went wrong?")],
)
async def test_slack_form_asks_by_score_band_over_the_teams_drivers_in_the_surveys_order(
    db_url: str, tmp_path: Path, score: int, question: str
) -> None:
    async with running_bot(db_url, tmp_path, toml=NPS_TOML + DRIVERS) as bot:
        ana = bot.user("ana@example.com", "U0ANA")
        assert (await bot.post_ticket())[0] == 202
        await bot.slack.wait_for("chat.postMessage")
        view = await ana.score_and_open_comment(score)
        block = _checkboxes(view)
        assert block["label"]["text"] == question
        values = [o["value"] for o in block["element"]["options"]]
        survey = await bot.scalar("SELECT id FROM survey")
        assert values == list(
            form_order(["remote_access", "communication", "laptop_setup"], survey)
        )
        assert block["element"]["options"][0]["text"]["text"] in {
            "Remote access",
            "Communication",
            "Laptop setup",
        }
        status, _ = await ana.submit_comment(view, "VPN", ["remote_access", "timeliness"])
        assert status == 200
        # "timeliness" is not offered to this team: only the offered driver is kept.
        assert json.loads(await bot.scalar("SELECT drivers FROM answer")) == ["remote_access"]


async def test_teams_form_asks_what_went_wrong_over_the_teams_drivers(
    db_url: str, tmp_path: Path
) -> None:
    async with running_bot(db_url, tmp_path, toml=TEAMS_TOML + DRIVERS, teams=True) as bot:
        assert bot.teams is not None
        ana = teams_user(bot, "Ana Requester", "ana@example.com", 1)
        await ana.install()
        assert (await bot.post_ticket())[0] == 202
        await bot.teams.connector.wait_for("POST", conversation=ana.chat)
        await ana.click_score(2)
        await bot.drain()
        _, card = ana.survey_card()
        (choices,) = [n for n in _nodes(card) if n.get("id") == "drivers"]
        assert choices["label"] == "What went wrong?"
        survey = await bot.scalar("SELECT id FROM survey")
        expected = form_order(["remote_access", "communication", "laptop_setup"], survey)
        assert [c["value"] for c in choices["choices"]] == list(expected)
        status, _ = await ana.submit_comment("slow", ["laptop_setup"])
        assert status == 200
        assert json.loads(await bot.scalar("SELECT drivers FROM answer")) == ["laptop_setup"]


def _nodes(node: Any) -> list[dict[str, Any]]:
    if isinstance(node, list):
        return [found for item in node for found in _nodes(item)]
    if not isinstance(node, dict):
        return []
    return [node, *(found for value in node.values() for found in _nodes(value))]
