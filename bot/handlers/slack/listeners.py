"""Bolt listeners: ack in time, parse, call one use case, render. No business rules here."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

from bot import surveys
from bot.deadline import within
from bot.deps import Deps
from bot.handlers.slack import clicks, render_survey, replies, slash
from bot.handlers.slack.ids import SCORE_ACTION, SlackId
from bot.lost_time import LostTimeError
from bot.messages import CommentForm
from bot.model import NotRequester, UnknownSurvey

log = logging.getLogger(__name__)


def register(app: AsyncApp, deps: Deps) -> None:
    app.action(SCORE_ACTION)(_on_score(deps))
    app.action(SlackId.OPT_OUT.value)(_on_opt_out(deps))
    app.action(SlackId.COMMENT_OPEN.value)(_on_comment_open(deps))
    app.view(SlackId.COMMENT_VIEW.value)(_on_comment_submit(deps))
    app.command("/nps")(_on_command(deps))


# Bolt passes a listener the arguments its parameters name (ack, body, action, …), so each
# listener is a closure over `deps` rather than a partial, whose signature bolt would not see.
Listener = Callable[..., Awaitable[None]]


def _on_score(deps: Deps) -> Listener:
    async def on_score(
        ack: AsyncAck, body: dict[str, Any], action: dict[str, Any], client: AsyncWebClient
    ) -> None:
        outcome = await clicks.record(deps, body, action)
        await ack()
        await clicks.reply(deps, client, body, outcome)

    return on_score


def _on_comment_open(deps: Deps) -> Listener:
    async def on_comment_open(
        ack: AsyncAck, body: dict[str, Any], action: dict[str, Any], client: AsyncWebClient
    ) -> None:
        await ack()
        form = await surveys.comment_form(deps, action.get("value", ""), replies.actor(body))
        if not isinstance(form, CommentForm):
            await replies.after_score(client, body, form or UnknownSurvey(""))
            return
        await client.views_open(
            trigger_id=body["trigger_id"], view=render_survey.comment_modal(form)
        )

    return on_comment_open


def _on_comment_submit(deps: Deps) -> Listener:
    async def on_comment_submit(ack: AsyncAck, body: dict[str, Any], view: dict[str, Any]) -> None:
        survey_id, comment, drivers, share = replies.read_comment_view(view)
        try:
            actor, lost_time = replies.actor(body), replies.read_lost_time(view)
            outcome = await within(
                surveys.record_comment(
                    deps, survey_id, comment, drivers, share, actor=actor, lost_time=lost_time
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

    return on_comment_submit


def _on_command(deps: Deps) -> Listener:
    """Socket Mode's way in; HTTP's goes straight to slash.answer."""

    async def on_command(ack: AsyncAck, command: dict[str, Any]) -> None:
        await slash.run(deps, ack, command)

    return on_command


def _on_opt_out(deps: Deps) -> Listener:
    async def on_opt_out(
        ack: AsyncAck, body: dict[str, Any], action: dict[str, Any], client: AsyncWebClient
    ) -> None:
        outcome = await surveys.opt_out(deps, action.get("value", ""), replies.actor(body))
        await ack()
        if isinstance(outcome, NotRequester):
            await replies.after_score(client, body, outcome)

    return on_opt_out
