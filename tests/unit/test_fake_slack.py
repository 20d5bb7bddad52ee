"""Self-test of tests.fakes.slack_api through the real slack_sdk AsyncWebClient."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_async_handlers import AsyncRateLimitErrorRetryHandler
from slack_sdk.web.async_client import AsyncWebClient

from tests.fakes.slack_api import FakeSlack

TOKEN = "xoxb-test"
SECTION = {"type": "section", "text": {"type": "mrkdwn", "text": "How did we do?"}}


@pytest.fixture
async def slack(monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[FakeSlack]:
    # AsyncWebClient routes through *_PROXY env vars and ignores NO_PROXY, even for loopback.
    for var in ("HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy"):
        monkeypatch.delenv(var, raising=False)
    async with FakeSlack() as fake:
        fake.add_user("ana@example.com", "U123", real_name="Ana Lima")
        yield fake


def client(slack: FakeSlack, token: str = TOKEN, **kwargs: Any) -> AsyncWebClient:
    # No session passed: slack_sdk opens and closes one per call, so nothing leaks.
    return AsyncWebClient(token=token, base_url=slack.base_url, **kwargs)


async def test_auth_test_and_recording(slack: FakeSlack) -> None:
    resp = await client(slack).auth_test()
    assert resp["bot_id"] == "B0NPSBOT1"
    assert resp["user_id"] == "U0BOT"
    (call,) = slack.calls_to("auth.test")
    assert call.token == TOKEN
    assert call.fault is None


async def test_bad_token_is_invalid_auth(slack: FakeSlack) -> None:
    with pytest.raises(SlackApiError) as info:
        await client(slack, token="xoxp-user").auth_test()
    assert info.value.response.status_code == 200
    assert info.value.response["error"] == "invalid_auth"


async def test_lookup_by_email_found_and_not_found(slack: FakeSlack) -> None:
    web = client(slack)
    resp = await web.users_lookupByEmail(email="ANA@example.com")
    assert resp["user"]["id"] == "U123"
    assert resp["user"]["tz"] == "Europe/Paris"
    assert resp["user"]["profile"]["email"] == "ana@example.com"
    with pytest.raises(SlackApiError) as info:
        await web.users_lookupByEmail(email="nobody@example.com")
    assert info.value.response["error"] == "users_not_found"
    assert (await web.users_info(user="U123"))["user"]["real_name"] == "Ana Lima"
    with pytest.raises(SlackApiError, match="user_not_found"):
        await web.users_info(user="U999")


async def test_conversations_open(slack: FakeSlack) -> None:
    resp = await client(slack).conversations_open(users="U123")
    assert resp["channel"]["id"] == "D123"


async def test_post_update_delete_keeps_history(slack: FakeSlack) -> None:
    web = client(slack)
    posted = await web.chat_postMessage(channel="D123", text="first", blocks=[SECTION])
    ts = posted["ts"]
    assert posted["channel"] == "D123"
    assert ts.startswith("1700000000.")
    await web.chat_update(channel="D123", ts=ts, text="second", blocks=[])
    stored = slack.messages[("D123", ts)]
    assert stored["text"] == "second"
    assert stored["blocks"] == []
    assert stored["history"] == [
        {"text": "first", "blocks": [SECTION], "metadata": None, "thread_ts": None}
    ]
    with pytest.raises(SlackApiError, match="message_not_found"):
        await web.chat_update(channel="D123", ts="1.2", text="x")
    await web.chat_delete(channel="D123", ts=ts)
    assert ("D123", ts) not in slack.messages
    assert slack.invalid == []


async def test_form_encoded_blocks_are_decoded(slack: FakeSlack) -> None:
    data = {"channel": "C1", "text": "hi", "blocks": json.dumps([SECTION])}
    resp = await client(slack).api_call("chat.postMessage", data=data)
    assert slack.messages[("C1", resp["ts"])]["blocks"] == [SECTION]


async def test_ephemeral_is_recorded(slack: FakeSlack) -> None:
    resp = await client(slack).chat_postEphemeral(channel="C1", user="U123", text="only you")
    assert slack.ephemerals == [
        {
            "channel": "C1",
            "user": "U123",
            "text": "only you",
            "blocks": None,
            "thread_ts": None,
            "message_ts": resp["message_ts"],
        }
    ]


@pytest.mark.parametrize(
    "blocks",
    [
        [{"type": "sektion", "text": {"type": "mrkdwn", "text": "typo"}}],
        [{"type": "header", "text": {"type": "plain_text", "text": "x" * 200}}],
        [{"type": "actions", "elements": [{"type": "buton", "text": "typo"}]}],
        [{"type": "divider"}] * 51,
    ],
    ids=["unknown-block", "header-too-long", "unknown-element", "too-many"],
)
async def test_invalid_blocks_rejected(slack: FakeSlack, blocks: list[dict[str, Any]]) -> None:
    with pytest.raises(SlackApiError) as info:
        await client(slack).chat_postMessage(channel="C1", text="x", blocks=blocks)
    assert info.value.response["error"] == "invalid_blocks"
    assert info.value.response["errors"]
    assert [entry["method"] for entry in slack.invalid] == ["chat.postMessage"]
    assert slack.messages == {}


async def test_link_names_with_blocks_is_forbidden(slack: FakeSlack) -> None:
    with pytest.raises(SlackApiError, match="forbidden_parse"):
        await client(slack).chat_postMessage(
            channel="C1", text="x", blocks=[SECTION], link_names=True
        )
    assert slack.invalid[0]["error"] == "forbidden_parse"


async def test_views_are_validated_and_stored(slack: FakeSlack) -> None:
    view = {"type": "modal", "title": {"type": "plain_text", "text": "NPS"}, "blocks": [SECTION]}
    web = client(slack)
    opened = await web.views_open(trigger_id="1.2.abc", view=view)
    view_id = opened["view"]["id"]
    assert slack.views[view_id]["title"] == view["title"]
    await web.views_update(view_id=view_id, view={**view, "callback_id": "nps"})
    assert slack.views[view_id]["callback_id"] == "nps"
    bad = {**view, "title": {"type": "plain_text", "text": "x" * 30}}  # titles max out at 24
    with pytest.raises(SlackApiError, match="invalid_blocks"):
        await web.views_open(trigger_id="1.2.abc", view=bad)


async def test_channel_failure(slack: FakeSlack) -> None:
    slack.make_channel_fail("C404")
    with pytest.raises(SlackApiError, match="channel_not_found"):
        await client(slack).chat_postMessage(channel="C404", text="x")


async def test_fail_next_429_exposes_retry_after(slack: FakeSlack) -> None:
    slack.fail_next("chat.postMessage", retry_after=2)
    web = client(slack)
    with pytest.raises(SlackApiError) as info:
        await web.chat_postMessage(channel="C1", text="x")
    assert info.value.response.status_code == 429
    assert info.value.response.headers["Retry-After"] == "2"
    assert info.value.response["error"] == "ratelimited"
    await web.chat_postMessage(channel="C1", text="x")  # only the next call was faulted
    assert [c.fault for c in slack.calls_to("chat.postMessage")] == ["429 ratelimited", None]


async def test_ratelimit_retry_handler_honours_retry_after(slack: FakeSlack) -> None:
    slack.fail_next("chat.postMessage", retry_after=1)
    web = client(slack, retry_handlers=[AsyncRateLimitErrorRetryHandler(max_retry_count=1)])
    await web.chat_postMessage(channel="C1", text="x")
    first, second = slack.calls_to("chat.postMessage")
    assert first.fault == "429 ratelimited"
    assert second.at - first.at >= 1.0


async def test_ratelimited_token_always_429(slack: FakeSlack) -> None:
    with pytest.raises(SlackApiError) as info:
        await client(slack, token="xoxb-ratelimited").auth_test()
    assert info.value.response.status_code == 429
    assert info.value.response.headers["Retry-After"] == "1"


async def test_server_error_and_logical_error(slack: FakeSlack) -> None:
    slack.fail_next("auth.test", status=503, error="service_unavailable")
    slack.fail_next("users.lookupByEmail", status=200, error="users_not_found")
    web = client(slack)
    with pytest.raises(SlackApiError) as info:
        await web.auth_test()
    assert info.value.response.status_code == 503
    assert "Retry-After" not in info.value.response.headers
    with pytest.raises(SlackApiError) as info:
        await web.users_lookupByEmail(email="ana@example.com")  # exists, but faulted
    assert info.value.response.status_code == 200
    assert info.value.response["error"] == "users_not_found"


async def test_drop_after_processing(slack: FakeSlack) -> None:
    slack.drop_after_processing("chat.postMessage")
    with pytest.raises(aiohttp.ServerDisconnectedError):
        await client(slack, retry_handlers=[]).chat_postMessage(channel="C1", text="lost reply")
    assert [m["text"] for m in slack.messages.values()] == ["lost reply"]
    assert slack.calls_to("chat.postMessage")[0].fault == "dropped"


async def test_default_client_retries_a_dropped_call_and_duplicates(slack: FakeSlack) -> None:
    # slack_sdk's default AsyncConnectionErrorRetryHandler retries once: the post lands twice.
    slack.drop_after_processing("chat.postMessage")
    await client(slack).chat_postMessage(channel="C1", text="twice")
    assert [m["text"] for m in slack.messages.values()] == ["twice", "twice"]


async def test_delay(slack: FakeSlack) -> None:
    slack.delay("auth.test", 0.2)
    started = time.monotonic()
    await client(slack).auth_test()
    assert time.monotonic() - started >= 0.2


async def test_files_upload_v2_end_to_end(slack: FakeSlack) -> None:
    png = b"\x89PNG\r\n\x1a\nfake-chart"
    resp = await client(slack).files_upload_v2(
        channel="C1", content=png, filename="x.png", initial_comment="NPS this week"
    )
    file_id = resp["file"]["id"]
    assert slack.uploads[file_id] == png
    assert slack.files == [
        {
            "id": file_id,
            "title": "x.png",
            "channel": "C1",
            "initial_comment": "NPS this week",
            "thread_ts": None,
        }
    ]
    (url_call,) = slack.calls_to("files.getUploadURLExternal")
    assert url_call.params["length"] == str(len(png))


async def test_wait_for(slack: FakeSlack) -> None:
    async def later() -> None:
        await asyncio.sleep(0.05)
        await client(slack).auth_test()

    task = asyncio.create_task(later())
    (call,) = await slack.wait_for("auth.test", timeout=2)
    await task
    assert call.method == "auth.test"
    with pytest.raises(AssertionError) as info:
        await slack.wait_for("chat.postMessage", count=2, timeout=0.1)
    assert "expected 2 call(s) to chat.postMessage" in str(info.value)
    assert "auth.test x1" in str(info.value)


async def test_upload_url_accepts_multipart_too(slack: FakeSlack) -> None:
    issued = await client(slack).files_getUploadURLExternal(filename="x.csv", length=3)
    form = aiohttp.FormData()
    form.add_field("file", b"a,b", filename="x.csv")
    async with (
        aiohttp.ClientSession() as session,
        session.post(issued["upload_url"], data=form) as resp,
    ):
        assert resp.status == 200
    assert slack.uploads[issued["file_id"]] == b"a,b"
