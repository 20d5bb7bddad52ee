"""What the Slack listeners say back right after a use case, and how they read modal input."""

from __future__ import annotations

import json
import logging
from typing import Any

from slack_bolt.async_app import AsyncAck
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.access import NOT_YOUR_SURVEY
from bot.gap_messages import LineChart
from bot.handlers.slack import render
from bot.handlers.slack.ids import SlackId
from bot.handlers.slack.messenger import send_chart
from bot.lost_time import LostTimeError
from bot.messages import BarChart, Chart, Notice
from bot.model import (
    AlreadyAnswered,
    CommentOutcome,
    NotRequester,
    ScoreOutcome,
    SurveyExpired,
    UnknownSurvey,
)
from bot.ports import DeliveryError

log = logging.getLogger(__name__)

COMMAND_FAILED = "Sorry, I couldn't work that out just now. Please try again in a minute."
CHART_IN_DM = "📈 The chart is in your direct messages with npsbot."
SAVE_FAILED = "Sorry, your answer could not be saved just now. Please click again in a minute."
NO_SURVEY = "Sorry, I can't find that survey any more."


def score_notice(outcome: ScoreOutcome) -> Notice | None:
    if isinstance(outcome, AlreadyAnswered):
        return Notice(f"Your answer was already recorded (you gave {outcome.score}). Thank you!")
    if isinstance(outcome, SurveyExpired):
        return Notice("This survey has closed, so the score wasn't recorded. Thank you anyway!")
    if isinstance(outcome, UnknownSurvey):
        return Notice(NO_SURVEY)
    if isinstance(outcome, NotRequester):
        return Notice(NOT_YOUR_SURVEY)
    return None


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
    client: AsyncWebClient, body: dict[str, Any], rendered: tuple[str, render.Blocks]
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
    client: AsyncWebClient, user_id: str, chart: Chart | BarChart | LineChart
) -> None:
    try:
        await send_chart(client, user_id, chart, f"Chart for your `/nps` request: {chart.title}")
    except DeliveryError as exc:
        # The figures were already answered; only the picture is missing.
        log.warning("chart_not_sent", extra={"reason": exc.reason})
