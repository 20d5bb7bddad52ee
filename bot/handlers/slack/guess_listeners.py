"""Bolt listener for the agent's guess: ack, parse, one use case, say why if it was refused."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

from bot import guesses
from bot.deadline import within
from bot.deps import Deps
from bot.handlers.slack import replies
from bot.handlers.slack.ids import GUESS_ACTION, parse_score_value

log = logging.getLogger(__name__)


def register(app: AsyncApp, deps: Deps) -> None:
    async def on_guess(
        ack: AsyncAck, body: dict[str, Any], action: dict[str, Any], client: AsyncWebClient
    ) -> None:
        await ack()
        parsed = parse_score_value(action.get("value", ""))
        if parsed is None:
            return
        try:
            outcome = await within(guesses.record_guess(deps, *parsed, replies.actor(body)))
        except Exception:
            log.exception("guess_not_stored", extra={"survey": parsed[0]})
            await replies.ephemeral(client, body, replies.SAVE_FAILED)
            return
        if isinstance(outcome, guesses.GuessRefused):
            await replies.ephemeral(client, body, outcome.text)

    app.action(GUESS_ACTION)(on_guess)
