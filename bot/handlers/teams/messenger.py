"""The Messenger port over the Bot Connector: proactive cards on stored conversation references.

Our Teams user id is the person's AAD object id: it is stable, fits the user id columns, and
is what the roster, mentions and nps.toml admins can all name. A DM's `MessageRef.channel` is
that id too; a channel's is its `19:…` conversation id.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable, Iterable
from typing import Any

from botbuilder.core import CardFactory, MessageFactory, TurnContext
from botbuilder.integration.aiohttp import CloudAdapter
from botbuilder.schema import Activity, ConversationReference, ErrorResponseException
from msrest.exceptions import ClientRequestError

from bot.charts import render_chart
from bot.handlers.teams import elements, render
from bot.messages import DetractorAlert, Notice, OutboundMessage, Praise
from bot.ports import Clock, DeliveryError, MessageRef, Recipient, retry_after_seconds
from bot.report_messages import WeeklyDigest
from store import Store
from store import teams as conversations
from store.teams import TeamsConversation

NOT_INSTALLED = "not installed: the requester has not installed the npsbot Teams app"
NO_CONVERSATION = "not installed: npsbot has no conversation with {what} in Teams"
# Statuses no retry fixes: bad card, bot removed or blocked, conversation gone, too large.
PERMANENT_STATUSES = frozenset({400, 401, 403, 404, 405, 409, 413})


class TeamsMessenger:
    platform = "teams"

    def __init__(self, adapter: CloudAdapter, app_id: str, store: Store, clock: Clock) -> None:
        self.adapter = adapter
        self.app_id = app_id
        self.store = store
        self.clock = clock

    async def find_recipient(self, email: str) -> Recipient:
        async with self.store.read() as conn:
            found = await conversations.personal_by_email(conn, email)
        if found is None:
            # Teams lets a bot write only to people who have the app (platforms.md §2.4).
            raise DeliveryError(NOT_INSTALLED, permanent=True)
        user = found.aad_object_id or found.user_id or found.id
        return Recipient(user_id=user, address=user)

    async def send_dm(self, recipient: Recipient, message: OutboundMessage) -> MessageRef:
        return await self.post(recipient.address, message)

    async def post(self, channel: str, message: OutboundMessage) -> MessageRef:
        summary, card = await self._render(message)
        sent_id = await self.send_card(channel, summary, card)
        return MessageRef(channel=channel, ts=sent_id)

    async def update(self, ref: MessageRef, message: OutboundMessage) -> None:
        reference = await self._reference(ref.channel)
        summary, card = await self._render(message)
        activity = card_activity(summary, card)
        activity.id = ref.ts
        await self._continue(reference, lambda ctx: ctx.update_activity(activity))

    async def delete(self, ref: MessageRef) -> None:
        reference = await self._reference(ref.channel)
        await self._continue(reference, lambda ctx: ctx.delete_activity(ref.ts))

    async def notify(self, user_id: str, channel: str, notice: Notice) -> None:
        # Teams has no message that only one person in a channel sees: their 1:1 chat is.
        summary, card = render.notice(notice)
        await self.send_card(user_id, summary, card)

    async def display_name(self, user_id: str) -> str | None:
        return (await self.names([user_id])).get(user_id)

    async def email_of(self, user_id: str) -> str | None:
        async with self.store.read() as conn:
            found = await conversations.personal_by_user(conn, user_id)
        return found.email if found else None

    async def names(self, user_ids: Iterable[str | None]) -> dict[str, str]:
        """Display names of people who installed the app, for mentions in cards."""
        wanted = sorted({u for u in user_ids if u})
        async with self.store.read() as conn:
            found = await conversations.personal_by_users(conn, wanted)
        return {k: c.user_name for k, c in found.items() if c.user_name}

    async def send_card(self, channel: str, summary: str, card: elements.Card) -> str:
        reference = await self._reference(channel)
        activity = card_activity(summary, card)
        sent: list[str] = []

        async def send(ctx: TurnContext) -> None:
            response = await ctx.send_activity(activity)
            sent.append(response.id if response and response.id else "")

        await self._continue(reference, send)
        return sent[0] if sent else ""

    async def _render(self, message: OutboundMessage) -> tuple[str, elements.Card]:
        people: dict[str, str] = {}
        if isinstance(message, DetractorAlert):
            people = await self.names([message.requester_id, message.owner_id])
        elif isinstance(message, Praise):
            people = await self.names([message.agent_id])
        png = None
        if isinstance(message, WeeklyDigest):
            c = message.chart
            png = await asyncio.to_thread(render_chart, c.title, c.current, c.trend)
        return render.message(message, people, png)

    async def _reference(self, channel: str) -> ConversationReference:
        async with self.store.read() as conn:
            found = await conversations.by_id(conn, channel)
            if found is None and channel.startswith("19:"):
                found = _via_known_channel(await conversations.latest_channel(conn), channel)
            if found is None:
                found = await conversations.personal_by_user(conn, channel)
        if found is None:
            what = "that channel" if channel.startswith("19:") else "that person"
            raise DeliveryError(NO_CONVERSATION.format(what=what), permanent=True)
        return ConversationReference().deserialize(found.reference)

    async def _continue(
        self, reference: ConversationReference, logic: Callable[[TurnContext], Awaitable[Any]]
    ) -> None:
        try:
            await self.adapter.continue_conversation(reference, logic, self.app_id)
        except ErrorResponseException as exc:
            raise _classify(exc) from None
        except (ClientRequestError, TimeoutError, OSError) as exc:
            # The card may or may not have arrived; a retry may duplicate it (at-least-once).
            raise DeliveryError(f"connection:{type(exc).__name__}") from None


def card_activity(summary: str, card: elements.Card) -> Activity:
    activity = MessageFactory.attachment(CardFactory.adaptive_card(card))
    activity.summary = summary[:200]  # what notifications and the chat list show
    return activity


def _via_known_channel(known: TeamsConversation | None, channel: str) -> TeamsConversation | None:
    """A channel nobody has talked to the bot in yet: a bot installed in a team may post in any
    of its channels, and one tenant's conversations share one service URL."""
    if known is None:
        return None
    reference = json.loads(json.dumps(known.reference))
    reference["conversation"] = {**(reference.get("conversation") or {}), "id": channel}
    return TeamsConversation(id=channel, kind=known.kind, reference=reference)


def _classify(exc: ErrorResponseException) -> DeliveryError:
    response = exc.response
    status = int(getattr(response, "status_code", 0) or 0)
    code = _error_code(exc)
    reason = f"http_{status}" + (f":{code}" if code else "")
    if status == 429:
        return DeliveryError(
            "ratelimited", retry_after=retry_after_seconds(response.headers.get("Retry-After"))
        )
    # 412, 502, 504 and other 5xx are worth a retry with backoff (Teams' rate-limit guidance).
    return DeliveryError(reason[:200], permanent=status in PERMANENT_STATUSES)


def _error_code(exc: ErrorResponseException) -> str:
    error = getattr(getattr(exc, "error", None), "error", None)
    code = getattr(error, "code", None)
    return str(code)[:60] if code else ""
