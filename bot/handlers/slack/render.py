"""Block Kit for each neutral message. Pure: values in, JSON-ready dicts out.

`message` and `command_reply` pick the renderer; the survey's own blocks are in render_survey,
the shared pieces in block_kit.
"""

from __future__ import annotations

from typing import assert_never

from bot.gap_messages import GapReport
from bot.guess_messages import GuessPrompt, GuessThanks
from bot.handlers.slack.block_kit import Blocks, escape, label, quote, section, ticket_label
from bot.handlers.slack.render_survey import score_thanks, survey_prompt
from bot.messages import (
    CallbackList,
    CallbackReminder,
    DetractorAlert,
    MessageRemoved,
    Notice,
    OutboundMessage,
    OwnerReminder,
    Praise,
    Reply,
    ScoreThanks,
    SurveyClosed,
    SurveyOptedOut,
    SurveyPrompt,
)
from bot.report_messages import (
    AgentReport,
    DriverReport,
    TeamReport,
    TeamsOverview,
    ThemeReport,
    WeeklyDigest,
)
from bot.texts import say


def survey_closed(msg: SurveyClosed) -> tuple[str, Blocks]:
    text = say("closed", ticket=ticket_label(msg.ticket_id, msg.title))
    return say("closed.summary", ticket=escape(msg.ticket_id)), [section(text)]


def praise(msg: Praise) -> tuple[str, Blocks]:
    ticket = ticket_label(msg.ticket_id, msg.title)
    name = msg.agent_name or say("praise.the_agent")
    agent = f"<@{msg.agent_id}>" if msg.agent_id else label(name, 200)
    if msg.for_team:
        kudos = say("praise.kudos", agent=agent)
        head = f":tada: *{kudos}* {say('praise.to_team', score=msg.score, ticket=ticket)}"
    else:
        head = f":tada: {say('praise.to_agent', score=msg.score, ticket=ticket)}"
    summary = say("praise.summary", ticket=escape(msg.ticket_id))
    return summary, [section(head), section(quote(msg.comment))]


def survey_opted_out(msg: SurveyOptedOut) -> tuple[str, Blocks]:
    about = say("opted_out.about", ticket=ticket_label(msg.ticket_id, msg.title))
    text = f"{say('opted_out')} {about} {say('opted_out.slack')}"
    return say("opted_out.summary"), [section(text)]


def message(msg: OutboundMessage) -> tuple[str, Blocks]:
    from bot.handlers.slack import render_alerts, render_reports

    match msg:
        case SurveyPrompt():
            return survey_prompt(msg)
        case ScoreThanks():
            return score_thanks(msg)
        case DetractorAlert() | CallbackReminder() | OwnerReminder():
            return render_alerts.lead_message(msg)
        case SurveyOptedOut():
            return survey_opted_out(msg)
        case MessageRemoved():
            return msg.text, [section(escape(msg.text))]
        case Praise():
            return praise(msg)
        case WeeklyDigest():
            return render_reports.digest(msg)
        case GuessPrompt() | GuessThanks():
            from bot.handlers.slack import render_guess

            return render_guess.guess_message(msg)
        case SurveyClosed():
            return survey_closed(msg)
        case _:
            assert_never(msg)


def notice(msg: Notice) -> tuple[str, Blocks]:
    return msg.text, [section(escape(msg.text))]


def command_reply(reply: Reply) -> tuple[str, Blocks]:
    from bot.handlers.slack import render_alerts, render_reports

    match reply:
        case Notice():
            # Help text is ours, written in mrkdwn; it holds no user input beyond a quoted word.
            return reply.text, [section(reply.text)]
        case CallbackList():
            return render_alerts.callback_list(reply)
        case TeamReport():
            return render_reports.team_report(reply)
        case TeamsOverview():
            return render_reports.teams_overview(reply)
        case DriverReport():
            return render_reports.driver_report(reply)
        case ThemeReport():
            return render_reports.theme_report(reply)
        case GapReport():
            return render_reports.gap_report(reply)
        case AgentReport():
            return render_reports.agent_report(reply)
