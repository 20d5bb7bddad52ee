"""Self-test of the fake's Socket Mode through slack_sdk's own aiohttp SocketModeClient."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import aiohttp
import pytest
from slack_sdk.errors import SlackApiError
from slack_sdk.socket_mode.aiohttp import SocketModeClient
from slack_sdk.socket_mode.async_client import AsyncBaseSocketModeClient
from slack_sdk.socket_mode.request import SocketModeRequest
from slack_sdk.socket_mode.response import SocketModeResponse
from slack_sdk.web.async_client import AsyncWebClient

from tests.fakes.slack_api import FakeSlack

APP_TOKEN = "xapp-1-test-app-token"


@pytest.fixture
async def slack() -> AsyncIterator[FakeSlack]:
    async with FakeSlack() as fake:
        yield fake


def socket_client(slack: FakeSlack) -> SocketModeClient:
    web = AsyncWebClient(base_url=slack.base_url)
    return SocketModeClient(app_token=APP_TOKEN, web_client=web, auto_reconnect_enabled=False)


async def test_connect_receive_an_envelope_and_ack_it(slack: FakeSlack) -> None:
    received: list[SocketModeRequest] = []
    hello: list[dict[str, object]] = []

    async def on_message(
        _client: AsyncBaseSocketModeClient, message: dict[str, object], _raw: str | None
    ) -> None:
        if message.get("type") == "hello":
            hello.append(message)

    async def on_request(client: AsyncBaseSocketModeClient, req: SocketModeRequest) -> None:
        received.append(req)
        await client.send_socket_mode_response(
            SocketModeResponse(envelope_id=req.envelope_id, payload={"text": "pong"})
        )

    client = socket_client(slack)
    client.message_listeners.append(on_message)
    client.socket_mode_request_listeners.append(on_request)
    try:
        await client.connect()
        await slack.wait_for_socket()
        (opened,) = slack.calls_to("apps.connections.open")
        assert opened.token == APP_TOKEN

        ack = await slack.socket_send("slash_commands", {"command": "/nps", "text": "help"})

        assert ack["payload"] == {"text": "pong"}
        (req,) = received
        assert ack["envelope_id"] == req.envelope_id
        assert req.type == "slash_commands"
        assert req.payload == {"command": "/nps", "text": "help"}
        assert req.accepts_response_payload is True
        assert hello
        assert hello[0]["num_connections"] == 1
        assert slack.socket_acks == [ack]
    finally:
        await client.close()


async def test_an_envelope_nobody_acks_times_out(slack: FakeSlack) -> None:
    client = socket_client(slack)
    try:
        await client.connect()
        with pytest.raises(AssertionError, match="no ack for events_api"):
            await slack.socket_send("events_api", {"type": "event_callback"}, timeout=0.2)
    finally:
        await client.close()


async def test_no_client_means_wait_for_socket_fails(slack: FakeSlack) -> None:
    with pytest.raises(AssertionError, match="no Socket Mode client connected"):
        await slack.wait_for_socket(timeout=0.05)


async def test_connections_open_needs_an_app_token(slack: FakeSlack) -> None:
    web = AsyncWebClient(base_url=slack.base_url)
    with pytest.raises(SlackApiError) as info:
        await web.apps_connections_open(app_token="xoxb-bot-token")
    assert info.value.response["error"] == "not_allowed_token_type"
    with pytest.raises(SlackApiError) as info:
        await AsyncWebClient(token=APP_TOKEN, base_url=slack.base_url).chat_postMessage(
            channel="C1", text="hi"
        )
    assert info.value.response["error"] == "not_allowed_token_type"


async def test_a_socket_without_an_issued_ticket_is_refused(slack: FakeSlack) -> None:
    async with aiohttp.ClientSession() as http:
        url = slack.origin.replace("http", "ws") + "/socket?ticket=forged"
        with pytest.raises(aiohttp.WSServerHandshakeError) as info:
            await http.ws_connect(url)
        assert info.value.status == 401


async def test_close_disconnects_a_connected_client(slack: FakeSlack) -> None:
    client = socket_client(slack)
    try:
        await client.connect()
        await slack.wait_for_socket()
        await slack.close()
        for _ in range(100):
            if client.current_session is not None and client.current_session.closed:
                break
            await asyncio.sleep(0.01)
        assert client.current_session is not None
        assert client.current_session.closed
    finally:
        await client.close()
