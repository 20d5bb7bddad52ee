"""Runs the real server against the fake Slack and talks to it as Slack and an ITSM tool do."""

from __future__ import annotations

import asyncio
import base64
import copy
import json
import time
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

import aiohttp
from aiohttp import web
from slack_sdk.signature import SignatureVerifier
from sqlalchemy import func, select, text
from sqlmodel import col

from bot.directory import TeamDirectory, load_directory
from bot.handlers.signing import parse_webhook_secret, sign_standard_webhook
from bot.server import DEPS, WORKER, build_app
from bot.settings import load_settings
from store import Store
from store.tables import OutboxRow
from tests.fakes.slack_api import FakeSlack

if TYPE_CHECKING:
    from tests.fakes.bot_connector import TeamsRig

WEBHOOK_SECRET = "whsec_" + base64.b64encode(b"npsbot-test-key-0123456789abcdef").decode()
SIGNING_SECRET = "test-signing-secret-0123456789abcdef"
BOT_TOKEN = "xoxb-test-bot-token"
PAYLOADS = Path(__file__).parent / "payloads"

NPS_TOML = """\
[defaults]
slack_lead_channel = "C0DEFAULT"
digest = "off"  # the clock starts at real time: digest tests turn it on and drive the clock

[[team]]
key = "eus"
name = "End User Services"
aliases = ["EUS", "Service Desk"]
slack_lead_channel = "C0LEADS"
"""


class FakeClock:
    """The bot's clock, driven by the test; starts at real time so Slack signatures stay valid."""

    def __init__(self, start: datetime | None = None) -> None:
        self._now = start or datetime.now(UTC)

    def now(self) -> datetime:
        return self._now

    def advance(self, **delta: float) -> None:
        self._now += timedelta(**delta)


class WallClock(FakeClock):
    """The host's clock, for tests whose waits are real (Retry-After, pacing)."""

    def now(self) -> datetime:
        return datetime.now(UTC)


def ticket(**overrides: Any) -> dict[str, Any]:
    base = {
        "id": "INC0012345",
        "title": "VPN keeps disconnecting",
        "requester_email": "ana@example.com",
        "agent_email": "carol@example.com",
        "agent_name": "Carol",
        "team": "End User Services",
        "closed_at": "2026-11-20T10:00:00Z",
        "url": "https://itsm.example.com/INC0012345",
    }
    return {**base, **overrides}


def signed_webhook_headers(body: bytes, webhook_id: str, timestamp: int) -> dict[str, str]:
    key = parse_webhook_secret(WEBHOOK_SECRET)
    return {
        "webhook-id": webhook_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": sign_standard_webhook(key, webhook_id, timestamp, body),
        "content-type": "application/json",
    }


def slack_headers(body: str, timestamp: int | None = None) -> dict[str, str]:
    ts = str(int(time.time()) if timestamp is None else timestamp)
    signature = SignatureVerifier(SIGNING_SECRET).generate_signature(timestamp=ts, body=body)
    return {
        "x-slack-request-timestamp": ts,
        "x-slack-signature": signature,
        "content-type": "application/x-www-form-urlencoded",
    }


@dataclass
class RunningBot:
    url: str
    app: web.Application
    slack: FakeSlack
    clock: FakeClock
    http: aiohttp.ClientSession
    _ids: int = field(default=0)
    teams: TeamsRig | None = None  # with running_bot(teams=…): the fake Bot Connector and keys

    @property
    def store(self) -> Store:
        return self.app[DEPS].store

    async def post_ticket(
        self, body: dict[str, Any] | bytes | None = None, *, webhook_id: str | None = None
    ) -> tuple[int, dict[str, Any]]:
        raw = (
            body
            if isinstance(body, bytes)
            else json.dumps(body or {"type": "ticket.closed", "ticket": ticket()}).encode()
        )
        self._ids += 1
        wid = webhook_id or f"msg_test_{self._ids}_{time.monotonic_ns()}"
        headers = signed_webhook_headers(raw, wid, int(self.clock.now().timestamp()))
        return await self.post_raw("/webhooks/tickets", raw, headers)

    async def post_raw(
        self, path: str, body: bytes, headers: dict[str, str]
    ) -> tuple[int, dict[str, Any]]:
        async with self.http.post(self.url + path, data=body, headers=headers) as response:
            text_body = await response.text()
            try:
                return response.status, json.loads(text_body) if text_body else {}
            except ValueError:
                return response.status, {"text": text_body}

    async def post_slack(self, form: dict[str, str]) -> tuple[int, str]:
        body = urlencode(form)
        # Signed at the bot's clock, which both signature checks read (tests drive it).
        headers = slack_headers(body, int(self.clock.now().timestamp()))
        async with self.http.post(self.url + "/slack/events", data=body, headers=headers) as resp:
            return resp.status, await resp.text()

    async def post_interaction(self, payload: dict[str, Any]) -> tuple[int, str]:
        return await self.post_slack({"payload": json.dumps(payload)})

    def user(self, email: str, user_id: str) -> SlackUser:
        self.slack.add_user(email, user_id)
        return SlackUser(self, email, user_id)

    async def scalar(self, sql: str, **params: Any) -> Any:
        async with self.store.read() as conn:
            return (await conn.execute(text(sql), params)).scalar()

    async def _busy_jobs(self) -> int:
        status = col(OutboxRow.status)
        waiting = (status == "todo") & (col(OutboxRow.next_attempt_at) <= self.clock.now())
        query = select(func.count()).select_from(OutboxRow).where((status == "sending") | waiting)
        async with self.store.read() as conn:
            return int((await conn.execute(query)).scalar_one())

    async def drain(self, within: float = 5.0) -> None:
        """Runs every due delivery job now, and waits for those the background worker holds."""
        deadline = time.monotonic() + within
        while time.monotonic() < deadline:
            while await self.app[WORKER].run_once():
                pass
            # Done when nothing is in flight and nothing due is waiting: a job queued behind
            # another of the same ref becomes claimable only once that one completes.
            if not await self._busy_jobs():
                return
            await asyncio.sleep(0.01)
        raise AssertionError("delivery jobs still in flight after the deadline")


@dataclass
class SlackUser:
    bot: RunningBot
    email: str
    user_id: str

    @property
    def dm_channel(self) -> str:
        return "D" + self.user_id.removeprefix("U")

    def messages(self) -> list[tuple[str, dict[str, Any]]]:
        return [(ts, m) for (ch, ts), m in self.bot.slack.messages.items() if ch == self.dm_channel]

    def survey_message(self) -> tuple[str, dict[str, Any]]:
        found = self.messages()
        assert found, f"no DM in {self.dm_channel}"
        ts, message = found[-1]
        # A copy: the fake updates messages in place, and a test may click an old version.
        return ts, copy.deepcopy(message)

    async def click_in(self, channel: str, ts: str, action_id: str) -> tuple[int, str]:
        """Clicks a button on a message the bot posted in any channel (e.g. a lead channel)."""
        message = copy.deepcopy(self.bot.slack.messages[(channel, ts)])
        payload = self._block_actions(ts, message, self.find_button(message, action_id), channel)
        return await self.bot.post_interaction(payload)

    async def submit_view(self, view: dict[str, Any], values: dict[str, Any]) -> tuple[int, str]:
        payload = json.loads((PAYLOADS / "slack_view_submission.json").read_text())
        payload["user"]["id"] = self.user_id
        payload["view"].update(
            callback_id=view["callback_id"],
            private_metadata=view["private_metadata"],
            blocks=view["blocks"],
            state={"values": values},
        )
        return await self.bot.post_interaction(payload)

    def _block_actions(
        self, ts: str, message: dict[str, Any], action: dict[str, Any], channel: str | None = None
    ) -> dict[str, Any]:
        payload = json.loads((PAYLOADS / "slack_block_actions.json").read_text())
        payload["user"]["id"] = self.user_id
        payload["container"].update(message_ts=ts, channel_id=channel or self.dm_channel)
        payload["channel"]["id"] = channel or self.dm_channel
        payload["message"] = {
            "type": "message",
            "ts": ts,
            "text": message["text"],
            "blocks": message["blocks"],
        }
        payload["actions"] = [{**action, "action_ts": str(time.time())}]
        return payload

    def find_button(self, message: dict[str, Any], action_id: str) -> dict[str, Any]:
        for block in message["blocks"] or []:
            for element in block.get("elements", []):
                if element.get("action_id") == action_id:
                    return {**copy.deepcopy(element), "block_id": block.get("block_id", "b")}
        raise AssertionError(f"no button {action_id} in {json.dumps(message['blocks'])[:500]}")

    async def click(
        self, action_id: str, ts_message: tuple[str, dict[str, Any]] | None = None
    ) -> tuple[int, str]:
        ts, message = ts_message or self.survey_message()
        action = self.find_button(message, action_id)
        return await self.bot.post_interaction(self._block_actions(ts, message, action))

    async def click_score(
        self, score: int, ts_message: tuple[str, dict[str, Any]] | None = None
    ) -> tuple[int, str]:
        return await self.click(f"nps.score.{score}", ts_message)

    async def score_and_open_comment(self, score: int) -> dict[str, Any]:
        """Clicks a score, waits for the thank-you, clicks "Add a comment"; returns the modal."""
        await self.click_score(score)
        await self.bot.slack.wait_for("chat.update")
        await self.bot.drain()
        await self.click("nps.comment.open", self.survey_message())
        (opened,) = await self.bot.slack.wait_for("views.open")
        return dict(opened.params["view"])

    async def submit_comment(
        self, view: dict[str, Any], comment: str | None, drivers: list[str]
    ) -> tuple[int, str]:
        payload = json.loads((PAYLOADS / "slack_view_submission.json").read_text())
        payload["user"]["id"] = self.user_id
        selected = [{"text": {"type": "plain_text", "text": d}, "value": d} for d in drivers]
        payload["view"].update(
            callback_id=view["callback_id"],
            private_metadata=view["private_metadata"],
            blocks=view["blocks"],
            state={
                "values": {
                    "comment": {"text": {"type": "plain_text_input", "value": comment}},
                    "drivers": {"selected": {"type": "checkboxes", "selected_options": selected}},
                }
            },
        )
        return await self.bot.post_interaction(payload)


@asynccontextmanager
async def running_bot(
    db_url: str,
    tmp_path: Path,
    *,
    env: dict[str, str] | None = None,
    toml: str = NPS_TOML,
    clock: FakeClock | None = None,
    slack: FakeSlack | None = None,
    teams: bool | TeamsRig = False,
) -> AsyncIterator[RunningBot]:
    """`teams=True` adds Teams (a fake Bot Connector, signing keys); a TeamsRig shares one."""
    config = tmp_path / "nps.toml"
    config.write_text(toml)
    async with _fake_slack(slack) as fake, AsyncExitStack() as stack:
        rig = None if isinstance(teams, bool) else teams
        if teams is True:
            # Imported only here: Slack-only tests never load botbuilder.
            from tests.fakes.bot_connector import teams_rig

            rig = await stack.enter_async_context(teams_rig())
        environ = {
            "DATABASE_URL": db_url,
            "SLACK_BOT_TOKEN": BOT_TOKEN,
            "SLACK_SIGNING_SECRET": SIGNING_SECRET,
            "SLACK_API_URL": fake.base_url,
            "TICKET_WEBHOOK_SECRET": WEBHOOK_SECRET,
            "NPS_CONFIG": str(config),
            "DELIVERY_POLL_SECONDS": "0.2",
            **(rig.env() if rig else {}),
            **(env or {}),
        }
        settings = load_settings(environ, env_file=tmp_path / "absent.env")
        directory: TeamDirectory = load_directory(settings.nps_config, required=True)
        credentials = rig.credentials if rig else None
        app = build_app(
            settings, directory, clock=clock or FakeClock(), teams_credentials=credentials
        )
        runner = web.AppRunner(app, access_log=None)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        port = runner.addresses[0][1]
        http = aiohttp.ClientSession()
        bot = RunningBot(f"http://127.0.0.1:{port}", app, fake, app[DEPS].clock, http)  # type: ignore[arg-type]
        bot.teams = rig
        try:
            yield bot
        finally:
            # The client hangs up first, as real senders do: the server then closes its side of
            # each kept-alive connection itself. Stopped first, a server sometimes left one
            # open, and its ResourceWarning failed whichever later test the GC ran in.
            await http.close()
            await runner.cleanup()
        assert app[DEPS].store.engine.pool.checkedout() == 0, "a connection was left checked out"


@asynccontextmanager
async def _fake_slack(existing: FakeSlack | None) -> AsyncIterator[FakeSlack]:
    if existing is not None:
        yield existing
        return
    async with FakeSlack() as fake:
        yield fake
