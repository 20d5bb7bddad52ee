"""Bolt listeners for the App Home tab: published when opened, the opt-out switch, and a fresh
view after an action taken from the tab."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot import home
from bot.deps import Deps
from bot.handlers.slack import replies
from bot.handlers.slack.ids import SlackId
from bot.handlers.slack.render_home import home_view

log = logging.getLogger(__name__)
Body = dict[str, Any]


def register(app: AsyncApp, deps: Deps) -> None:
    async def on_home_opened(event: Body, client: AsyncWebClient) -> None:
        # The event also fires for the Messages tab, which has nothing to draw. Not a matcher:
        # an event no listener takes makes Bolt's Socket Mode adapter close the connection.
        if event.get("tab") == "home":
            await publish(client, deps, str(event.get("user") or ""))

    async def on_switch(ack: AsyncAck, body: Body, action: Body, client: AsyncWebClient) -> None:
        await ack()
        out = action.get("action_id") == SlackId.HOME_OPT_OUT.value
        await home.set_opt_out(deps, "slack", replies.actor(body), out)
        await publish(client, deps, replies.actor(body))

    app.event("app_home_opened")(on_home_opened)
    app.action(SlackId.HOME_OPT_OUT.value)(on_switch)
    app.action(SlackId.HOME_OPT_IN.value)(on_switch)


async def publish(
    client: AsyncWebClient, deps: Deps, user_id: str, notice: str | None = None
) -> None:
    if not user_id:
        return
    page = await home.home_page(deps, "slack", user_id)
    try:
        await client.views_publish(user_id=user_id, view=home_view(page, notice))
    except SlackApiError as exc:
        # The action itself is stored; only the redrawn tab is missing until it is reopened.
        log.warning("home_not_published", extra={"error": exc.response.get("error")})


def from_home(body: Body) -> bool:
    view = body.get("view")
    return isinstance(view, dict) and view.get("type") == "home"


async def refresh(
    client: AsyncWebClient, deps: Deps, body: Body, notice: str | None = None
) -> None:
    """After a click on the Home tab: draw the tab again, with what the click answered."""
    if from_home(body):
        await publish(client, deps, replies.actor(body), notice)
