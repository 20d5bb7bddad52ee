"""A ticket closes, the requester answers in Slack: the whole loop through the real server."""

from __future__ import annotations

import json
from pathlib import Path

from tests.harness import running_bot, ticket


async def test_closed_ticket_becomes_a_dm_and_a_click_is_stored_once(db_url: str, tmp_path: Path) -> None:
    async with running_bot(db_url, tmp_path) as bot:
        ana = bot.user("ana@example.com", "U0ANA")
        status, body = await bot.post_ticket()
        assert status == 202, body
        await bot.slack.wait_for("chat.postMessage")
        ts, dm = ana.survey_message()
        assert "INC0012345" in dm["blocks"][0]["text"]["text"]
        assert "Carol" in dm["blocks"][0]["text"]["text"]
        labels = [b["text"]["text"] for b in dm["blocks"][1]["elements"]]
        assert labels == [str(n) for n in range(11)]

        status, _ = await ana.click_score(9)
        assert status == 200
        await bot.slack.wait_for("chat.update")
        updated = bot.slack.messages[(ana.dm_channel, ts)]
        assert "You gave *9*" in json.dumps(updated["blocks"])
        assert await bot.scalar("SELECT score FROM answer") == 9
        assert bot.slack.invalid == []
