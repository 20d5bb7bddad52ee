"""`/nps` over HTTP skips Bolt's dispatch (bot/handlers/slack/slash.py): Slack must not see the
difference. Each request goes both ways, to the server and through a Bolt app over the same
deps, and the two answers are compared byte for byte."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest
from slack_bolt.adapter.aiohttp import to_aiohttp_response
from slack_bolt.async_app import AsyncApp
from slack_bolt.request.async_request import AsyncBoltRequest

from bot import commands, queries
from bot.handlers.slack import make_slack_app, replies, slash
from bot.handlers.slack.messenger import SlackMessenger
from bot.server import DEPS
from tests.e2e.test_reports import TOML
from tests.harness import RunningBot, running_bot, slack_headers
from tests.seed import Seeded, seed
from tests.slash import command_form

Answered = tuple[int, str | None, str]  # status, content type, body


def form(text: str, channel: str = "C0RANDOM", user: str = "U0MGR") -> dict[str, str]:
    return command_form(text, channel, user)


async def over_http(bot: RunningBot, text: str) -> Answered:
    body = urlencode(form(text))
    headers = slack_headers(body, int(bot.clock.now().timestamp()))
    async with bot.http.post(bot.url + "/slack/events", data=body, headers=headers) as resp:
        return resp.status, resp.content_type, await resp.text()


async def through_bolt(bot: RunningBot, text: str) -> Answered:
    """What the server answered before the fast path: Bolt's dispatch, on the same deps."""
    deps = bot.app[DEPS]
    messenger = deps.messengers["slack"]
    assert isinstance(messenger, SlackMessenger)
    app = make_slack_app(deps.settings, deps, messenger)
    body = urlencode(form(text))
    headers: dict[str, Any] = slack_headers(body, int(bot.clock.now().timestamp()))
    response = await to_aiohttp_response(
        await app.async_dispatch(AsyncBoltRequest(body=body, headers=headers))
    )
    assert isinstance(response.text, str)
    return response.status, response.content_type, response.text


async def recent(bot: RunningBot) -> None:
    now = bot.clock.now()
    await seed(
        bot.store,
        *[Seeded("eus", now - timedelta(days=1, hours=i), score=10) for i in range(3)],
        Seeded("eus", now - timedelta(days=2), score=3, comment="Slow to answer"),
        Seeded("net", now - timedelta(days=1), score=8),
    )


@pytest.mark.parametrize("text", ["team eus", "teams", "team payroll", "team", "help", "optin"])
async def test_slash_command_over_http_answers_as_bolt_did(
    db_url: str, tmp_path: Path, text: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def not_bolt(*_: Any) -> None:
        raise AssertionError("the slash command went through Bolt's dispatch")

    async with running_bot(db_url, tmp_path, toml=TOML) as bot:
        await recent(bot)
        with monkeypatch.context() as patched:
            patched.setattr(AsyncApp, "async_dispatch", not_bolt)
            fast = await over_http(bot, text)
        assert fast[0] == 200
        assert json.loads(fast[2])["response_type"] == "ephemeral"
        assert fast == await through_bolt(bot, text)
        if replies.CHART_IN_DM in json.dumps(json.loads(fast[2]), ensure_ascii=False):
            # Both charts sent before the bot stops: a send still under way leaks its socket.
            await bot.slack.wait_for("files.completeUploadExternal", count=2)


async def test_a_team_report_over_http_still_sends_its_chart_to_the_dm(
    db_url: str, tmp_path: Path
) -> None:
    async with running_bot(db_url, tmp_path, toml=TOML) as bot:
        await recent(bot)
        status, _, body = await over_http(bot, "team eus")
        assert status == 200
        assert replies.CHART_IN_DM in json.dumps(json.loads(body), ensure_ascii=False)
        await bot.slack.wait_for("files.completeUploadExternal")
        assert [f["channel"] for f in bot.slack.files] == ["D0MGR"]


async def test_a_late_reply_over_http_is_acked_then_sent_to_the_dm(
    db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(replies, "ACK_WITHIN", 0.0)  # every reply is late: the path is the test
    async with running_bot(db_url, tmp_path, toml=TOML) as bot:
        await recent(bot)
        fast = await over_http(bot, "team eus")
        assert json.loads(fast[2]) == {"text": replies.LATE_REPLY, "response_type": "ephemeral"}
        (sent,) = await bot.slack.wait_for("chat.postMessage")
        assert sent.params["channel"] == "D0MGR"
        assert "NPS — End User Services" in json.dumps(sent.params["blocks"], ensure_ascii=False)
        assert fast == await through_bolt(bot, "team eus")
        await bot.slack.wait_for("chat.postMessage", count=2)  # Bolt's, before the bot stops


async def test_a_failing_report_over_http_says_so_as_bolt_did(
    db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def broken(*_: Any, **__: Any) -> Any:
        raise RuntimeError("the database went away")

    monkeypatch.setattr(queries, "answer", broken)
    async with running_bot(db_url, tmp_path, toml=TOML) as bot:
        fast = await over_http(bot, "team eus")
        assert json.loads(fast[2])["text"] == replies.COMMAND_FAILED
        assert fast == await through_bolt(bot, "team eus")


async def test_a_command_that_raises_before_its_ack_is_a_400_as_under_bolt(
    db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(_: str) -> commands.Query:
        raise RuntimeError("a parser bug")

    monkeypatch.setattr(commands, "parse", broken)
    async with running_bot(db_url, tmp_path, toml=TOML) as bot:
        fast = await over_http(bot, "team eus")
        assert fast[0] == 400
        assert json.loads(fast[2]) == slash.FAILED
        assert fast == await through_bolt(bot, "team eus")
