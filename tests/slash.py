"""Types `/nps …` as a Slack user would, and checks the reply stays private to them."""

from __future__ import annotations

import json
from typing import Any

from tests.harness import RunningBot


def command_form(text: str, channel: str, user: str) -> dict[str, str]:
    """The form Slack posts for `/nps <text>` typed by `user` in `channel`."""
    return {
        "command": "/nps",
        "text": text,
        "channel_id": channel,
        "user_id": user,
        "team_id": "T0001",
        "response_url": "https://hooks.slack.com/x",
        "trigger_id": "1.2.3",
    }


async def nps_command(bot: RunningBot, text: str, channel: str, user: str) -> dict[str, Any]:
    status, body = await bot.post_slack(command_form(text, channel, user))
    assert status == 200
    reply: dict[str, Any] = json.loads(body)
    assert reply["response_type"] == "ephemeral"  # /nps replies are never shown to the channel
    return reply
