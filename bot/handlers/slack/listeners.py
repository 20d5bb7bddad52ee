"""Bolt listeners: ack in time, parse, call one use case, render. No business rules here."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

from bot import commands, queries, surveys
from bot.deadline import within
from bot.deps import Deps
from bot.handlers.slack import clicks, render, replies
from bot.handlers.slack.ids import SCORE_ACTION, SlackId
from bot.lost_time import LostTimeError
from bot.messages import CommentForm
from bot.model import NotRequester, UnknownSurvey

log = logging.getLogger(__name__)


def register(app: AsyncApp, deps: Deps) -> None:
    async def on_score(
        ack: AsyncAck, body: dict[str, Any], action: dict[str, Any], client: AsyncWebClient
    ) -> None:
        outcome = await clicks.record(deps, body, action)
        await ack()
        await clicks.reply(deps, client, body, outcome)

    async def on_comment_open(
        ack: AsyncAck, body: dict[str, Any], action: dict[str, Any], client: AsyncWebClient
    ) -> None:
        await ack()
        form = await surveys.comment_form(deps, action.get("value", ""), replies.actor(body))
        if not isinstance(form, CommentForm):
            await replies.after_score(client, body, form or UnknownSurvey(""))
            return
        await client.views_open(trigger_id=body["trigger_id"], view=render.comment_modal(form))

    async def on_comment_submit(ack: AsyncAck, body: dict[str, Any], view: dict[str, Any]) -> None:
        survey_id, comment, drivers, share = replies.read_comment_view(view)
        try:
            outcome = await within(
                surveys.record_comment(
                    deps,
                    survey_id,
                    comment,
                    drivers,
                    share,
                    actor=replies.actor(body),
                    lost_time=replies.read_lost_time(view),
                )
            )
        except (surveys.CommentTooLong, LostTimeError) as exc:
            await ack(response_action="errors", errors=replies.form_errors(exc))
            return
        except Exception:
            log.exception("comment_not_stored", extra={"survey": survey_id})
            await ack(
                response_action="errors", errors={SlackId.COMMENT_BLOCK.value: replies.SAVE_FAILED}
            )
            return
        await replies.ack_comment(ack, outcome)

    async def on_command(ack: AsyncAck, command: dict[str, Any], client: AsyncWebClient) -> None:
        query = commands.parse(command.get("text", ""))
        channel, user = command.get("channel_id", ""), command.get("user_id", "")
        work = queries.answer(deps, query, channel, user, platform="slack")
        await replies.answer_command(ack, client, user, work)

    async def on_opt_out(
        ack: AsyncAck, body: dict[str, Any], action: dict[str, Any], client: AsyncWebClient
    ) -> None:
        outcome = await surveys.opt_out(deps, action.get("value", ""), replies.actor(body))
        await ack()
        if isinstance(outcome, NotRequester):
            await replies.after_score(client, body, outcome)

    app.action(SCORE_ACTION)(on_score)
    app.action(SlackId.OPT_OUT.value)(on_opt_out)
    app.action(SlackId.COMMENT_OPEN.value)(on_comment_open)
    app.view(SlackId.COMMENT_VIEW.value)(on_comment_submit)
    app.command("/nps")(on_command)
