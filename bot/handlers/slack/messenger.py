"""The Messenger port over Slack's Web API, paced per method (bot.pacing); Slack errors become
DeliveryError."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import aiohttp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient
from slack_sdk.web.async_slack_response import AsyncSlackResponse

from bot.charts_bars import chart_png
from bot.gap_messages import LineChart
from bot.handlers.slack import render, render_reports
from bot.messages import Notice, OutboundMessage
from bot.pacing import Pacing
from bot.ports import DeliveryError, MessageRef, Recipient, retry_after_seconds
from bot.report_messages import BarChart, Chart, WeeklyDigest

# Errors that no retry will fix: the survey is marked failed with the reason at once.
PERMANENT = frozenset(
    {
        "users_not_found",
        "user_not_found",
        "channel_not_found",
        "not_in_channel",
        "is_archived",
        "account_inactive",
        "user_disabled",
        "invalid_blocks",
        "msg_too_long",
        "invalid_auth",
        "not_authed",
        "token_revoked",
        "missing_scope",
        "cannot_dm_bot",
        "message_not_found",
        "cant_update_message",
        "restricted_action",
    }
)
DM_CHANNELS_KEPT = 10_000  # people; past that the cache starts again (a few hundred KB)
# Starts its thread on the first chart; a thread, not an asyncio lock, so no event loop owns it.
_DRAWING = ThreadPoolExecutor(max_workers=1, thread_name_prefix="npsbot-chart")


def make_client(token: str, base_url: str) -> AsyncWebClient:
    # No retry handlers: a retried chat.postMessage after a dropped connection double-posts.
    # The durable outbox owns every retry and records what happened.
    return AsyncWebClient(token=token, base_url=base_url, retry_handlers=[], timeout=10)


class SlackMessenger:
    platform = "slack"

    def __init__(self, client: AsyncWebClient, pacing: Pacing | None = None) -> None:
        self.client = client
        # Slack limits each method on its own: each is paced on its own, from its own 429s.
        self.pacing = pacing or Pacing()
        self._dm_channels: dict[str, str] = {}  # user id → their DM channel with the bot

    async def _paced(
        self, method: Callable[..., Awaitable[AsyncSlackResponse]], **kwargs: Any
    ) -> AsyncSlackResponse:
        # chat_postMessage → chat.postMessage, the name Slack's limits go by.
        name = str(getattr(method, "__name__", "")).replace("_", ".", 1)
        async with self.pacing.turn(name):
            return await _call(method, **kwargs)

    async def find_recipient(self, email: str) -> Recipient:
        found = await self._paced(self.client.users_lookupByEmail, email=email)
        user_id = found["user"]["id"]
        return Recipient(user_id=user_id, address=await self.dm_channel(user_id))

    async def dm_channel(self, user_id: str) -> str:
        """The person's DM channel with the bot, opened once per process: its id never changes,
        and conversations.open (Tier 3) was called again for every report's chart."""
        known = self._dm_channels.get(user_id)
        if known is None:
            if len(self._dm_channels) >= DM_CHANNELS_KEPT:
                self._dm_channels.clear()
            opened = await self._paced(self.client.conversations_open, users=user_id)
            known = self._dm_channels[user_id] = str(opened["channel"]["id"])
        return known

    async def send_chart(
        self, user_id: str, chart: Chart | BarChart | LineChart, comment: str
    ) -> None:
        """A report's chart, to the person's DM with the bot: replies to `/nps` are ephemeral,
        and a file shared in the channel would show the figures to everyone there. Paced with
        every other call, so a burst of reports during a fan-out takes turns with the surveys
        instead of being refused beside them."""
        channel = await self.dm_channel(user_id)
        async with self.pacing.turn("files.upload_v2"):
            await upload_chart(self.client, channel, chart, "nps.png", comment)

    async def reply_in_dm(self, user_id: str, text: str, blocks: list[Any]) -> None:
        """A `/nps` reply that was not ready within the ack's 3 s, in the person's DM."""
        channel = await self.dm_channel(user_id)
        await self._paced(self.client.chat_postMessage, channel=channel, text=text, blocks=blocks)

    async def send_dm(self, recipient: Recipient, message: OutboundMessage) -> MessageRef:
        text, blocks = render.message(message)
        sent = await self._paced(
            self.client.chat_postMessage,
            channel=recipient.address,
            text=text,
            blocks=blocks,
            unfurl_links=False,
            unfurl_media=False,
        )
        return MessageRef(channel=sent["channel"], ts=sent["ts"])

    async def post(self, channel: str, message: OutboundMessage) -> MessageRef:
        if isinstance(message, WeeklyDigest):
            return await self._post_digest(channel, message)
        text, blocks = render.message(message)
        sent = await self._paced(
            self.client.chat_postMessage,
            channel=channel,
            text=text,
            blocks=blocks,
            unfurl_links=False,
            unfurl_media=False,
        )
        return MessageRef(channel=sent["channel"], ts=sent["ts"])

    async def update(self, ref: MessageRef, message: OutboundMessage) -> None:
        text, blocks = render.message(message)
        await self._paced(
            self.client.chat_update, channel=ref.channel, ts=ref.ts, text=text, blocks=blocks
        )

    async def delete(self, ref: MessageRef) -> None:
        await self._paced(self.client.chat_delete, channel=ref.channel, ts=ref.ts)

    async def display_name(self, user_id: str) -> str | None:
        found = await self._paced(self.client.users_info, user=user_id)
        user = found.get("user") or {}
        profile = user.get("profile") or {}
        name = profile.get("display_name") or user.get("real_name") or profile.get("real_name")
        return str(name) if name else None

    async def email_of(self, user_id: str) -> str | None:
        found = await self._paced(self.client.users_info, user=user_id)
        email = ((found.get("user") or {}).get("profile") or {}).get("email")
        return str(email) if email else None

    async def _post_digest(self, channel: str, digest: WeeklyDigest) -> MessageRef:
        # One upload whose comment is the digest: a single message that both reads and shows.
        # (An image block pointing at a private upload fails with invalid_blocks.)
        filename = f"nps-{digest.team_key}-{digest.week.start.isoformat()}.png"
        text = render_reports.digest_text(digest)
        async with self.pacing.turn("files.upload_v2"):
            await upload_chart(self.client, channel, digest.chart, filename, text)
        return MessageRef(channel=channel, ts="")

    async def notify(self, user_id: str, channel: str, notice: Notice) -> None:
        text, blocks = render.notice(notice)
        await self._paced(
            self.client.chat_postEphemeral, channel=channel, user=user_id, text=text, blocks=blocks
        )


async def upload_chart(
    client: AsyncWebClient,
    channel: str,
    chart: Chart | BarChart | LineChart,
    filename: str,
    comment: str,
) -> None:
    # Drawn in a thread so the ~6 ms of drawing never holds up other requests on the loop; in
    # one thread, so it keeps one malloc arena (a burst of reports drew in several, 30 MB more
    # RSS), and drawings never take turns for the GIL among themselves.
    png = await asyncio.get_running_loop().run_in_executor(_DRAWING, chart_png, chart)
    await _call(
        client.files_upload_v2,
        channel=channel,
        content=png,
        filename=filename,
        title=chart.title,
        initial_comment=comment,
    )


async def _call(
    method: Callable[..., Awaitable[AsyncSlackResponse]], **kwargs: Any
) -> AsyncSlackResponse:
    try:
        return await method(**kwargs)
    except SlackApiError as exc:
        raise _classify(exc) from None
    except (TimeoutError, aiohttp.ClientError, OSError) as exc:
        # The request may or may not have reached Slack; a retry may duplicate (at-least-once).
        raise DeliveryError(f"connection:{type(exc).__name__}") from None


def _classify(exc: SlackApiError) -> DeliveryError:
    response = exc.response
    # A proxy's error page is not JSON: slack_sdk then hands over a text body, or the raw
    # aiohttp response (which has .status, not .status_code), so read both defensively.
    status = int(getattr(response, "status_code", None) or getattr(response, "status", 0) or 0)
    data = getattr(response, "data", None)
    error = data.get("error") if isinstance(data, dict) else None
    if status == 429:
        retry_after = retry_after_seconds(
            response.headers.get("Retry-After") or response.headers.get("retry-after")
        )
        return DeliveryError("ratelimited", retry_after=retry_after)
    if error:
        return DeliveryError(str(error), permanent=error in PERMANENT)
    # No Slack error code: 5xx (or no status) may pass, another 4xx will not.
    return DeliveryError(f"http_{status}", permanent=400 <= status < 500)
