"""Score clicks, the request npsbot serves most: one path for Bolt's listener (Socket Mode) and
for HTTP, where a verified, shape-checked click goes straight to the use case. Bolt's dispatch
(a second signature check, a second parse, its middleware chain and a task that polls every
10 ms for the ack) cost more than the click's own work and added nothing for this one action."""

from __future__ import annotations

import logging
from typing import Any

from aiohttp import web
from slack_sdk.web.async_client import AsyncWebClient

from bot import surveys
from bot.deadline import within_waiting
from bot.deps import Deps
from bot.handlers.slack import home_listeners, replies
from bot.handlers.slack.ids import SCORE_ACTION, parse_score_value
from bot.messages import Notice
from bot.model import ScoreOutcome

log = logging.getLogger(__name__)

NOT_STORED = Notice(replies.SAVE_FAILED)
Recorded = ScoreOutcome | Notice | None  # None: a value that names no score; nothing to say


def score_action(payload: dict[str, Any]) -> dict[str, Any] | None:
    """The score button of a shape-checked payload, or None for any other request."""
    if payload.get("type") != "block_actions":
        return None
    action: dict[str, Any] = payload["actions"][0]  # shape.check: a non-empty list of objects
    return action if SCORE_ACTION.match(action["action_id"]) else None


async def record(deps: Deps, body: dict[str, Any], action: dict[str, Any]) -> Recorded:
    parsed = parse_score_value(action.get("value", ""))
    if parsed is None:
        return None
    try:
        return await within_waiting(
            surveys.record_score(deps, parsed[0], parsed[1], replies.actor(body))
        )
    except Exception:
        # Stored nothing: ack anyway (Slack does not retry clicks) and ask for another click.
        log.exception("score_not_stored", extra={"survey": parsed[0]})
        return NOT_STORED


async def reply(
    deps: Deps, client: AsyncWebClient, body: dict[str, Any], outcome: Recorded
) -> None:
    """What follows the ack: an ephemeral unless the score was stored (the DM turns into the
    thank-you through the outbox), and the Home tab redrawn when the click came from it."""
    match outcome:
        case None:
            return
        case Notice(text=text):
            await replies.ephemeral(client, body, text)
        case _:
            await replies.after_score(client, body, outcome)
            notice = replies.score_notice(outcome)
            await home_listeners.refresh(client, deps, body, notice.text if notice else None)


async def answer(
    deps: Deps, client: AsyncWebClient, body: dict[str, Any], action: dict[str, Any]
) -> web.Response:
    """The HTTP path: Bolt's empty 200 ack once the answer is committed, then the reply."""
    outcome = await record(deps, body, action)
    if _has_reply(body, outcome):
        replies.after_response(_reply_logged(deps, client, body, outcome))
    return web.Response(text="")


def _has_reply(body: dict[str, Any], outcome: Recorded) -> bool:
    """Whether `reply` has anything to send. Most clicks store a score from the DM, and their
    thank-you goes through the outbox: no task for them (a task per click is CPU, issue 13)."""
    if outcome is None:
        return False
    if isinstance(outcome, Notice):
        return True
    return replies.score_notice(outcome) is not None or home_listeners.from_home(body)


async def _reply_logged(
    deps: Deps, client: AsyncWebClient, body: dict[str, Any], outcome: Recorded
) -> None:
    try:
        await reply(deps, client, body, outcome)
    except Exception as exc:  # as Bolt's error handler logs a listener's error after its ack
        log.warning("slack_listener_failed", extra={"error": type(exc).__name__})
