"""Bolt listeners for the leads: Call back, Release, Done and the outcome form."""

from __future__ import annotations

import json
from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

from bot import callbacks
from bot.callbacks_model import (
    Claimed,
    NotLeadChannel,
    NotOwner,
    Outcome,
    OwnedByOther,
    UnknownCallback,
)
from bot.deps import Deps
from bot.handlers.slack import block_kit, home_listeners, replies
from bot.handlers.slack.ids import SlackId
from bot.handlers.slack.listeners import Listener
from bot.handlers.slack.render_alerts import outcome_modal, requester_details
from bot.messages import OutcomeForm
from bot.texts import refusal

Body = dict[str, Any]


def register(app: AsyncApp, deps: Deps) -> None:
    app.action(SlackId.CALLBACK_CLAIM.value)(_on_claim(deps))
    app.action(SlackId.CALLBACK_RELEASE.value)(_on_release(deps))
    app.action(SlackId.CALLBACK_DONE.value)(_on_done(deps))
    app.view(SlackId.OUTCOME_VIEW.value)(_on_outcome(deps))


def _on_claim(deps: Deps) -> Listener:
    async def on_claim(ack: AsyncAck, body: Body, action: Body, client: AsyncWebClient) -> None:
        who, where = replies.actor(body), replies.channel_of(body)
        outcome = await callbacks.claim_callback(deps, action.get("value", ""), who, where)
        await ack()
        if isinstance(outcome, Claimed):
            details = await callbacks.requester_details(deps, outcome.callback, who)
            if details is not None:
                await replies.ephemeral_blocks(client, body, requester_details(details))
            await home_listeners.refresh(client, deps, body)
            return
        await replies.ephemeral_blocks(client, body, _refusal(outcome))
        await home_listeners.refresh(client, deps, body, _refusal(outcome)[0])

    return on_claim


def _on_release(deps: Deps) -> Listener:
    async def on_release(ack: AsyncAck, body: Body, action: Body, client: AsyncWebClient) -> None:
        outcome = await callbacks.release_callback(
            deps, action.get("value", ""), replies.actor(body)
        )
        await ack()
        refused = _refusal(outcome) if isinstance(outcome, NotOwner | UnknownCallback) else None
        if refused is not None:
            await replies.ephemeral_blocks(client, body, refused)
        await home_listeners.refresh(client, deps, body, refused[0] if refused else None)

    return on_release


def _on_done(deps: Deps) -> Listener:
    async def on_done(ack: AsyncAck, body: Body, action: Body, client: AsyncWebClient) -> None:
        await ack()
        form = await callbacks.outcome_form(deps, action.get("value", ""), replies.actor(body))
        if isinstance(form, OutcomeForm):
            view = outcome_modal(form, home=home_listeners.from_home(body))
            await client.views_open(trigger_id=body["trigger_id"], view=view)
            return
        await replies.ephemeral_blocks(client, body, _refusal(form))
        await home_listeners.refresh(client, deps, body, _refusal(form)[0])

    return on_done


def _on_outcome(deps: Deps) -> Listener:
    async def on_outcome(ack: AsyncAck, body: Body, view: Body, client: AsyncWebClient) -> None:
        callback_id, outcome, notes = _read_outcome(view)
        result = await callbacks.record_outcome(
            deps, callback_id, replies.actor(body), outcome, notes
        )
        if isinstance(result, NotOwner | UnknownCallback):
            text = _refusal(result)[0]
            await ack(response_action="errors", errors={SlackId.OUTCOME_BLOCK.value: text})
            return
        await ack()
        if _opened_from_home(view):
            await home_listeners.publish(client, deps, replies.actor(body))

    return on_outcome


def _refusal(
    outcome: OwnedByOther | NotOwner | UnknownCallback | NotLeadChannel,
) -> tuple[str, block_kit.Blocks]:
    owner_id = None if isinstance(outcome, UnknownCallback) else outcome.callback.owner_id
    text = refusal(outcome, f"<@{owner_id}>" if owner_id else None)
    return text, [{"type": "section", "text": {"type": "mrkdwn", "text": text}}]


def _read_outcome(view: Body) -> tuple[str, Outcome, str | None]:
    values = (view.get("state") or {}).get("values") or {}
    choice = values.get(SlackId.OUTCOME_BLOCK.value, {}).get(SlackId.OUTCOME_INPUT.value, {})
    notes = values.get(SlackId.NOTES_BLOCK.value, {}).get(SlackId.NOTES_INPUT.value, {})
    try:
        callback_id = str(json.loads(view.get("private_metadata") or "{}").get("callback", ""))
    except (ValueError, AttributeError):
        callback_id = ""
    selected = (choice.get("selected_option") or {}).get("value", "")
    return callback_id, Outcome.chosen(selected), notes.get("value")


def _opened_from_home(view: Body) -> bool:
    """The Done form opened from the Home tab says so, so the tab is redrawn once it is sent."""
    try:
        meta = json.loads(view.get("private_metadata") or "{}")
    except ValueError:
        return False
    return isinstance(meta, dict) and meta.get("home") is True
