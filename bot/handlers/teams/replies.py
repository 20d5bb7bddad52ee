"""What the bot says back in Teams: command replies as cards, and answers to card actions."""

from __future__ import annotations

import asyncio
from typing import assert_never

from botbuilder.core import InvokeResponse, MessageFactory, TurnContext
from botbuilder.schema import AdaptiveCardInvokeResponse

from bot.charts_bars import chart_png
from bot.gap_messages import GapReport, LineChart
from bot.handlers.teams import (
    elements,
    render,
    render_alerts,
    render_drivers_themes,
    render_gap,
    render_reports,
)
from bot.handlers.teams.actions import Answer
from bot.handlers.teams.messenger import TeamsMessenger, card_activity
from bot.messages import CallbackList, Notice, Reply
from bot.report_messages import (
    AgentReport,
    BarChart,
    Chart,
    DriverReport,
    TeamReport,
    TeamsOverview,
    ThemeReport,
)
from bot.texts import say

MESSAGE_TYPE = "application/vnd.microsoft.activity.message"
COMMAND_FAILED = say("command.failed")
PRIVATE = say("me.private", command="**nps me**")
WELCOME_TEAM = say("teams.welcome")


async def reply_card(
    reply: Reply, messenger: TeamsMessenger, channel_id: str | None
) -> tuple[str, elements.Card]:
    """`channel_id` is set in a channel: notices then show it, reports to one person are held."""
    match reply:
        case Notice():
            return render.notice(reply, channel_id)
        case CallbackList():
            people = await messenger.names(line.owner_id for line in reply.lines)
            return render_alerts.callback_list(reply, people)
        case TeamsOverview():
            return render_reports.teams_overview(reply)
        case TeamReport():
            return render_reports.team_report(reply, await _png(reply.chart))
        case DriverReport():
            png = await _png(reply.chart) if reply.chart else None
            return render_drivers_themes.driver_report(reply, png)
        case ThemeReport():
            return render_drivers_themes.theme_report(reply)
        case GapReport():
            return render_gap.gap_report(reply, await _png(reply.chart))
        case AgentReport() if channel_id is None:
            png = await _png(reply.chart) if reply.chart else None
            return render_reports.agent_report(reply, png)
        case AgentReport():
            # Unlike Slack's ephemeral replies, a channel answer is seen by everyone in it.
            return render.notice(Notice(PRIVATE))
        case _:
            assert_never(reply)


async def _png(chart: Chart | BarChart | LineChart) -> bytes:
    return await asyncio.to_thread(chart_png, chart)


def invoke_response(answer: Answer) -> InvokeResponse:
    # The model itself, not a dict: botbuilder 4.17.1 serializes the body twice and a dict
    # makes that a 500 (platforms.md §2.5).
    if answer.card is not None:
        card = AdaptiveCardInvokeResponse(
            status_code=200, type=elements.CARD_CONTENT_TYPE, value=answer.card
        )
        return InvokeResponse(status=200, body=card)
    # The model types `value` as an object, so a message goes out as the plain JSON it is.
    message = {"statusCode": 200, "type": MESSAGE_TYPE, "value": answer.text or ""}
    return InvokeResponse(status=200, body=message)


async def answer_submit(ctx: TurnContext, answer: Answer) -> None:
    """An Action.Submit from an older client: replace the card it came from, or reply."""
    if answer.card is not None and ctx.activity.reply_to_id:
        updated = card_activity(answer.summary, answer.card)
        updated.id = ctx.activity.reply_to_id
        await ctx.update_activity(updated)
    elif answer.text:
        await ctx.send_activity(MessageFactory.text(answer.text))
