"""Inputs that answered 5xx on the landed main now answer 4xx (or a harmless 2xx) and write
nothing: each case is one measured in issue 9, reproduced as it was sent."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest

from tests.harness import PAYLOADS, RunningBot, running_bot, slack_headers
from tests.rows import row_counts
from tests.teams_harness import teams_user

CLICK: dict[str, Any] = json.loads((PAYLOADS / "slack_block_actions.json").read_text())
VIEW: dict[str, Any] = json.loads((PAYLOADS / "slack_view_submission.json").read_text())
SURVEY = "0123456789abcdef"


def _click(action_id: str, value: Any, **top: Any) -> dict[str, Any]:
    payload = copy.deepcopy(CLICK)
    payload["actions"] = [
        {
            "type": "button",
            "action_id": action_id,
            "block_id": "b",
            "value": value,
            "action_ts": "1763632800.1",
        }
    ]
    payload.update(top)
    return payload


def _view(values: Any, metadata: str = json.dumps({"survey": SURVEY})) -> dict[str, Any]:
    payload = copy.deepcopy(VIEW)
    payload["view"].update(callback_id="nps.comment", private_metadata=metadata)
    payload["view"]["state"] = {"values": values}
    return payload


async def _signed(bot: RunningBot, body: str, **headers: str) -> tuple[int, Any]:
    signed = {**slack_headers(body, int(bot.clock.now().timestamp())), **headers}
    return await bot.post_raw("/slack/events", body.encode(), signed)


async def test_forged_slack_request_with_unparseable_body_is_401(
    db_url: str, tmp_path: Path
) -> None:
    """Bolt parsed `payload=` before verifying: a bad signature with broken JSON was a 500."""
    async with running_bot(db_url, tmp_path) as bot:
        headers = {**slack_headers("x"), "x-slack-signature": "v0=" + "ab" * 32}
        status, body = await bot.post_raw("/slack/events", b"payload=%7Bnot-json", headers)
        assert (status, body) == (401, {"error": "invalid request"})


async def test_forged_ssl_check_is_401(db_url: str, tmp_path: Path) -> None:
    async with running_bot(db_url, tmp_path) as bot:
        body = urlencode({"ssl_check": "1", "token": "x"})
        headers = {**slack_headers(body), "x-slack-signature": "v0=" + "1" * 64}
        status, _ = await bot.post_raw("/slack/events", body.encode(), headers)
        assert status == 401


async def test_signed_ssl_check_is_an_empty_200(db_url: str, tmp_path: Path) -> None:
    async with running_bot(db_url, tmp_path) as bot:
        assert (await _signed(bot, "ssl_check=1&token=x"))[0] == 200


MALFORMED_SLACK: dict[str, str] = {
    "broken payload JSON": "payload=%7Bnot-json",
    "payload nested 5000 deep": urlencode({"payload": "[" * 5000}),
    "payload a list": urlencode({"payload": "[1, 2]"}),
    "no type": urlencode({"payload": json.dumps({"actions": []})}),
    "unknown type": urlencode({"payload": json.dumps({"type": "nonsense"})}),
    "actions a string": urlencode({"payload": json.dumps({**CLICK, "actions": "x"})}),
    "actions of numbers": urlencode({"payload": json.dumps({**CLICK, "actions": [1]})}),
    "user a list": urlencode({"payload": json.dumps({**CLICK, "user": ["U0ANA"]})}),
    "team a list": urlencode({"payload": json.dumps({**CLICK, "team": [1]})}),
    "authorizations a string": urlencode({"payload": json.dumps({**CLICK, "authorizations": "a"})}),
    "message a list": urlencode({"payload": json.dumps({**CLICK, "message": []})}),
    "claim value a dict": urlencode(
        {"payload": json.dumps(_click("nps.callback.claim", {"a": 1}))}
    ),
    "release value a list": urlencode({"payload": json.dumps(_click("nps.callback.release", [1]))}),
    "done value a dict": urlencode({"payload": json.dumps(_click("nps.callback.done", {}))}),
    "opt-out value a list": urlencode({"payload": json.dumps(_click("nps.optout", ["x"]))}),
    "score value a dict": urlencode({"payload": json.dumps(_click("nps.score.3", {"s": 3}))}),
    "NUL in a value": urlencode({"payload": json.dumps(_click("nps.optout", SURVEY + "\x00"))}),
    "state values a list": urlencode({"payload": json.dumps(_view([1]))}),
    "state leaf a string": urlencode({"payload": json.dumps(_view({"comment": {"text": "x"}}))}),
    "metadata nested 3000 deep": urlencode({"payload": json.dumps(_view({}, "[" * 2999))}),
    "JSON event without type": json.dumps({"event": {"type": "message"}}),
    "JSON body a list": "[" * 10,
}


@pytest.mark.parametrize("body", MALFORMED_SLACK.values(), ids=MALFORMED_SLACK.keys())
async def test_signed_but_malformed_slack_payload_is_400(
    db_url: str, tmp_path: Path, body: str
) -> None:
    async with running_bot(db_url, tmp_path) as bot:
        before = await row_counts(bot.store)
        status, reply = await _signed(bot, body)
        assert status == 400, reply
        assert reply["error"]
        assert await row_counts(bot.store) == before
        assert bot.slack.calls == []


HARMLESS_SLACK: dict[str, str] = {
    "an action npsbot has no listener for": urlencode({"payload": json.dumps(_click("x.y", "z"))}),
    "view_closed": urlencode({"payload": json.dumps({**VIEW, "type": "view_closed"})}),
    "a modal that is not ours": urlencode({"payload": json.dumps({**VIEW})}),
    "an event": json.dumps({"type": "event_callback", "event": {"type": "app_mention"}}),
    "another slash command": urlencode({"command": "/other", "user_id": "U1", "channel_id": "C1"}),
}


@pytest.mark.parametrize("body", HARMLESS_SLACK.values(), ids=HARMLESS_SLACK.keys())
async def test_signed_payload_npsbot_does_not_handle_is_acked(
    db_url: str, tmp_path: Path, body: str
) -> None:
    async with running_bot(db_url, tmp_path) as bot:
        before = await row_counts(bot.store)
        status, _ = await _signed(bot, body)
        assert status == 200
        assert await row_counts(bot.store) == before


async def test_url_verification_still_echoes_the_challenge(db_url: str, tmp_path: Path) -> None:
    async with running_bot(db_url, tmp_path) as bot:
        body = json.dumps({"type": "url_verification", "challenge": "abc123", "token": "t"})
        status, reply = await _signed(bot, body, **{"content-type": "application/json"})
        assert (status, reply) == (200, {"challenge": "abc123"})


@pytest.mark.parametrize(
    "body",
    [
        b"[" * 5000,
        b'{"a":' * 5000,
        b"1" * 5000,
        json.dumps({"type": "ticket.closed", "ticket": {"id": "1", "title": "a\x00b"}}).encode(),
        json.dumps({"type": "ticket.closed", "ticket": {"id": "\ud800"}}).encode(),
    ],
    ids=["list nested 5000 deep", "object nested 5000 deep", "5000 digits", "NUL", "surrogate"],
)
async def test_signed_ticket_webhook_too_deep_or_unstorable_is_400(
    db_url: str, tmp_path: Path, body: bytes
) -> None:
    async with running_bot(db_url, tmp_path) as bot:
        before = await row_counts(bot.store)
        status, reply = await bot.post_ticket(body)
        assert status == 400, reply
        assert await row_counts(bot.store) == before


MALFORMED_ACTIVITY: dict[str, dict[str, Any]] = {
    "id an object": {"id": {"a": 1}},
    "text a number": {"text": 5},
    "from a string": {"from": "x"},
    "no conversation": {"conversation": None},
    "conversation id a list": {"conversation": {"id": ["x"]}},
    "entities a string": {"entities": "x"},
    "timestamp not a time": {"timestamp": "not-a-time"},
    "attachments of strings": {"attachments": ["x"]},
    "NUL in text": {"text": "a\x00b"},
    "nested 40 deep": {"channelData": json.loads("[" * 40 + "]" * 40)},
}


@pytest.mark.parametrize("change", MALFORMED_ACTIVITY.values(), ids=MALFORMED_ACTIVITY.keys())
async def test_signed_activity_of_the_wrong_shape_is_400(
    db_url: str, tmp_path: Path, change: dict[str, Any]
) -> None:
    async with running_bot(db_url, tmp_path, teams=True) as bot:
        ana = teams_user(bot, "Ana", "ana@example.com", 1)
        before = await row_counts(bot.store)
        status, reply = await ana.post({**ana.activity("message", text="nps help"), **change})
        assert status == 400, reply
        assert await row_counts(bot.store) == before


async def test_unknown_invoke_name_is_200_not_501(db_url: str, tmp_path: Path) -> None:
    async with running_bot(db_url, tmp_path, teams=True) as bot:
        ana = teams_user(bot, "Ana", "ana@example.com", 1)
        status, _ = await ana.post(ana.activity("invoke", name="composeExtension/query", value={}))
        assert status == 200


async def test_unsigned_activity_is_401_before_its_body_is_read(
    db_url: str, tmp_path: Path
) -> None:
    """Authentication first: an unsigned body that is not even JSON is a 401, not a 400."""
    async with running_bot(db_url, tmp_path, teams=True) as bot:
        headers = {"Content-Type": "application/json", "Authorization": "Bearer x.y.z"}
        status, _ = await bot.post_raw("/api/messages", b"{not json", headers)
        assert status == 401
