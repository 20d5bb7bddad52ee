"""What the Slack listeners say back right after a use case, and how they read modal input."""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Coroutine
from typing import Any

from slack_bolt.async_app import AsyncAck
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot import texts
from bot.access import NOT_YOUR_SURVEY
from bot.gap_messages import LineChart
from bot.handlers.slack import block_kit, render
from bot.handlers.slack.ids import SlackId
from bot.handlers.slack.messenger import SlackMessenger
from bot.lost_time import LostTimeError
from bot.messages import Notice, Reply
from bot.model import (
    CommentOutcome,
    NotRequester,
    ScoreOutcome,
)
from bot.ports import DeliveryError
from bot.report_messages import BarChart, Chart
from bot.texts import say

log = logging.getLogger(__name__)

COMMAND_FAILED = say("command.failed")
CHART_IN_DM = f"📈 {say('chart.in_dm')}"
SAVE_FAILED = say("click.save_failed")
NO_SURVEY = say("score.no_survey")
LATE_REPLY = f"⏳ {say('command.late_reply')}"
# Slack wants the ack within 3 s; what is not ready by then goes to the DM instead. The margin
# is wide because the first themes import scikit-learn in a thread, which starves the loop of
# the GIL: the timer fires late, and at 2.5 s Bolt's own 3 s timer sometimes fired first (CI).
ACK_WITHIN = 1.5


_following: set[asyncio.Task[None]] = set()  # held until done, so the loop cannot drop one


def after_response(work: Coroutine[Any, Any, None]) -> None:
    """Runs what follows the HTTP response (a click's reply, a command's chart) on its own."""
    task = asyncio.create_task(work)
    _following.add(task)
    task.add_done_callback(_following.discard)


def score_notice(outcome: ScoreOutcome) -> Notice | None:
    text = texts.score_notice(outcome)
    return None if text is None else Notice(text)


async def ack_comment(ack: AsyncAck, outcome: CommentOutcome) -> None:
    """A comment from someone else is refused inside the modal, which stays open."""
    if isinstance(outcome, NotRequester):
        await ack(response_action="errors", errors={SlackId.COMMENT_BLOCK.value: NOT_YOUR_SURVEY})
        return
    await ack()


def actor(body: dict[str, Any]) -> str:
    """Who clicked or submitted: the Slack user id the use cases check."""
    user = body.get("user")
    return str(user.get("id") or "") if isinstance(user, dict) else ""


def channel_of(body: dict[str, Any]) -> str:
    """The conversation a click came from (a claim is allowed only from a lead channel)."""
    channel = body.get("channel") or {}
    container = body.get("container") or {}
    found = channel.get("id") if isinstance(channel, dict) else None
    if not found and isinstance(container, dict):
        found = container.get("channel_id")
    return str(found or "")


async def after_score(client: AsyncWebClient, body: dict[str, Any], outcome: ScoreOutcome) -> None:
    notice = score_notice(outcome)
    if notice is not None:
        await ephemeral(client, body, notice.text)


async def ephemeral(client: AsyncWebClient, body: dict[str, Any], text: str) -> None:
    await ephemeral_blocks(client, body, render.notice(Notice(text)))


async def ephemeral_blocks(
    client: AsyncWebClient, body: dict[str, Any], rendered: tuple[str, block_kit.Blocks]
) -> None:
    container = body.get("container") or {}
    channel = (body.get("channel") or {}).get("id") or container.get("channel_id")
    if not channel:
        return
    text, blocks = rendered
    try:
        await client.chat_postEphemeral(
            channel=channel, user=body["user"]["id"], text=text, blocks=blocks
        )
    except SlackApiError as exc:
        # Best effort: what the click changed is already stored; only this courtesy is lost.
        log.warning("ephemeral_failed", extra={"error": exc.response.get("error")})


def form_errors(exc: ValueError) -> dict[str, str]:
    """A refused comment form's error, shown under the input it is about."""
    block = SlackId.LOST_TIME_BLOCK if isinstance(exc, LostTimeError) else SlackId.COMMENT_BLOCK
    return {block.value: str(exc)}


def read_lost_time(view: dict[str, Any]) -> str | None:
    values = (view.get("state") or {}).get("values") or {}
    block = values.get(SlackId.LOST_TIME_BLOCK.value, {}).get(SlackId.LOST_TIME_INPUT.value, {})
    chosen = block.get("selected_option") or {}
    return str(chosen.get("value") or "") or None if isinstance(chosen, dict) else None


def read_comment_view(view: dict[str, Any]) -> tuple[str, str | None, list[str], bool]:
    values = (view.get("state") or {}).get("values") or {}
    comment_state = values.get(SlackId.COMMENT_BLOCK.value, {}).get(SlackId.COMMENT_INPUT.value, {})
    drivers_state = values.get(SlackId.DRIVERS_BLOCK.value, {}).get(SlackId.DRIVERS_INPUT.value, {})
    drivers = [o.get("value", "") for o in drivers_state.get("selected_options") or []]
    share_state = values.get(SlackId.SHARE_BLOCK.value, {}).get(SlackId.SHARE_INPUT.value, {})
    share = any(o.get("value") == "yes" for o in share_state.get("selected_options") or [])
    return _metadata_survey(view), comment_state.get("value"), drivers, share


def _metadata_survey(view: dict[str, Any]) -> str:
    try:
        meta = json.loads(view.get("private_metadata") or "{}")
    except ValueError:
        return ""
    return str(meta.get("survey", "")) if isinstance(meta, dict) else ""


async def chart_to_dm(
    slack: SlackMessenger, user_id: str, chart: Chart | BarChart | LineChart
) -> None:
    try:
        comment = say("chart.comment", command="`/nps`", title=chart.title)
        await slack.send_chart(user_id, chart, comment)
    except DeliveryError as exc:
        # The figures were already answered; only the picture is missing.
        log.warning("chart_not_sent", extra={"reason": exc.reason})


async def answer_command(
    ack: AsyncAck, slack: SlackMessenger, user: str, work: Coroutine[Any, Any, Reply]
) -> None:
    """The reply in the ack when it is ready in time; otherwise a notice in the ack, and the
    reply in the person's DM once ready (themes over many comments take seconds)."""
    task = asyncio.ensure_future(work)
    done, _ = await asyncio.wait({task}, timeout=ACK_WITHIN)
    late = not done
    if late:
        await ack(text=LATE_REPLY, response_type="ephemeral")
    try:
        reply = await task
    except Exception:
        log.exception("command_failed")
        await _say(ack, slack, user, late, COMMAND_FAILED, [block_kit.section(COMMAND_FAILED)])
        return
    text, blocks = render.command_reply(reply)
    chart = getattr(reply, "chart", None)
    if chart is not None:
        blocks.append(block_kit.context(CHART_IN_DM))
    await _say(ack, slack, user, late, text, blocks)
    if chart is not None:
        await chart_to_dm(slack, user, chart)


async def _say(
    ack: AsyncAck, slack: SlackMessenger, user: str, late: bool, text: str, blocks: list[Any]
) -> None:
    if not late:
        await ack(text=text, blocks=blocks, response_type="ephemeral")
        return
    try:
        await slack.reply_in_dm(user, text, blocks)
    except DeliveryError as exc:
        log.warning("late_reply_not_sent", extra={"reason": exc.reason})
