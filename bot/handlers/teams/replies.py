"""What the bot says back in Teams: command replies as cards, and answers to card actions."""

from __future__ import annotations

import asyncio

from botbuilder.core import InvokeResponse, MessageFactory, TurnContext
from botbuilder.schema import AdaptiveCardInvokeResponse

from bot.charts_bars import chart_png
from bot.gap_messages import GapReport, LineChart
from bot.handlers.teams import render, render_alerts, render_gap, render_reports
from bot.handlers.teams.actions import Answer
from bot.handlers.teams.messenger import TeamsMessenger, card_activity
from bot.messages import (
    AgentReport,
    BarChart,
    CallbackList,
    Chart,
    DriverReport,
    Notice,
    Reply,
    TeamReport,
    TeamsOverview,
)

MESSAGE_TYPE = "application/vnd.microsoft.activity.message"
COMMAND_FAILED = "Sorry, I couldn't work that out just now. Please try again in a minute."
PRIVATE = "Your own scores are private: ask me **nps me** in our 1:1 chat."
WELCOME_TEAM = (
    "Hi, I'm npsbot. I post detractor alerts and weekly digests where nps.toml tells me to. "
    "To use this channel for a team, paste its id (below) as `teams_lead_channel` for that "
    "team in nps.toml. For another channel, @mention me there with `nps help`."
)


async def reply_card(
    reply: Reply, messenger: TeamsMessenger, channel_id: str | None
) -> tuple[str, render.Card]:
    """`channel_id` is set in a channel: notices then show it, reports to one person are held."""
    if isinstance(reply, Notice):
        return render.notice(reply, channel_id)
    if isinstance(reply, CallbackList):
        people = await messenger.names(line.owner_id for line in reply.lines)
        return render_alerts.callback_list(reply, people)
    if isinstance(reply, TeamsOverview):
        return render_reports.teams_overview(reply)
    if isinstance(reply, TeamReport):
        return render_reports.team_report(reply, await _png(reply.chart))
    if isinstance(reply, DriverReport):
        png = await _png(reply.chart) if reply.chart else None
        return render_reports.driver_report(reply, png)
    if isinstance(reply, GapReport):
        return render_gap.gap_report(reply, await _png(reply.chart))
    if isinstance(reply, AgentReport) and channel_id is None:
        return render_reports.agent_report(reply, await _png(reply.chart))
    # Unlike Slack's ephemeral replies, a channel answer is seen by everyone in the channel.
    return render.notice(Notice(PRIVATE))


async def _png(chart: Chart | BarChart | LineChart) -> bytes:
    return await asyncio.to_thread(chart_png, chart)


def invoke_response(answer: Answer) -> InvokeResponse:
    # The model itself, not a dict: botbuilder 4.17.1 serializes the body twice and a dict
    # makes that a 500 (platforms.md §2.5).
    if answer.card is not None:
        card = AdaptiveCardInvokeResponse(
            status_code=200, type=render.CARD_CONTENT_TYPE, value=answer.card
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
