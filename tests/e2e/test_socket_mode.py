"""Socket Mode: the bot dials out to Slack's WebSocket and answers clicks and commands there."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest

from tests.fakes.slack_api import FakeSlack
from tests.harness import BOT_TOKEN, PAYLOADS, RunningBot, running_bot

APP_TOKEN = "xapp-1-test-app-token"
SOCKET_ENV = {"SLACK_APP_TOKEN": APP_TOKEN, "SLACK_SIGNING_SECRET": ""}


async def test_socket_mode_survey_loop_and_slash_command(
    db_url: str, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    async with FakeSlack() as slack:  # ours, so it outlives the bot and sees its shutdown
        async with running_bot(db_url, tmp_path, env=SOCKET_ENV, slack=slack) as bot:
            await _survey_loop_and_help_over_the_socket(bot)
        assert not slack.socket_connected, "the bot's shutdown left its socket open"
    assert APP_TOKEN not in caplog.text
    assert BOT_TOKEN not in caplog.text


async def _survey_loop_and_help_over_the_socket(bot: RunningBot) -> None:
    # No HTTP endpoint for Slack in Socket Mode: nothing to sign, nothing to expose.
    status, _ = await bot.post_raw("/slack/events", b"payload=%7B%7D", {})
    assert status in (404, 405)
    await bot.slack.wait_for_socket()
    (opened,) = bot.slack.calls_to("apps.connections.open")
    assert opened.token == APP_TOKEN

    ana = bot.user("ana@example.com", "U0ANA")
    assert (await bot.post_ticket())[0] == 202
    (posted,) = await bot.slack.wait_for("chat.postMessage")
    assert posted.token == BOT_TOKEN
    ts, message = ana.survey_message()

    click = ana._block_actions(ts, message, ana.find_button(message, "nps.score.9"))
    ack = await bot.slack.socket_send("interactive", click)
    assert "payload" not in ack  # an empty ack, as over HTTP
    await bot.slack.wait_for("chat.update")
    assert "You gave *9*" in json.dumps(bot.slack.messages[(ana.dm_channel, ts)]["blocks"])
    assert await bot.scalar("SELECT count(*) FROM answer") == 1
    assert await bot.scalar("SELECT score FROM answer") == 9

    command = dict(json.loads((PAYLOADS / "slack_slash_command.json").read_text()))
    command["text"] = "help"
    ack = await bot.slack.socket_send("slash_commands", command)
    assert ack["payload"]["response_type"] == "ephemeral"
    assert "/nps help" in ack["payload"]["text"]
    assert "promoters" in ack["payload"]["text"]
    assert len(bot.slack.socket_acks) == 2
    assert bot.slack.invalid == []


async def test_a_refused_app_token_does_not_keep_the_server_from_serving(
    db_url: str, tmp_path: Path
) -> None:
    """slack_sdk retries a refused Socket Mode connection forever; webhooks must not wait."""
    async with FakeSlack() as slack:
        slack.fail_next("apps.connections.open", status=200, error="invalid_auth", times=50)
        async with running_bot(db_url, tmp_path, env=SOCKET_ENV, slack=slack) as bot:
            async with bot.http.get(bot.url + "/healthz") as response:
                assert response.status == 200
            assert (await bot.post_ticket())[0] == 202
