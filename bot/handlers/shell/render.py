"""Plain text for each neutral message the bot sends: the shell's Block Kit. Pure.

The words are the core's (bot.chat_text, bot.report_text); the `→ …` lines stand where Slack
and Teams draw buttons, and name the shell command that clicks them.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import assert_never

from bot import chat_text as say
from bot import gap_text
from bot.callbacks_model import CallbackStatus, Outcome
from bot.guess_messages import GuessPrompt, GuessThanks
from bot.messages import (
    CallbackList,
    CallbackReminder,
    CommentForm,
    DetractorAlert,
    MessageRemoved,
    OutboundMessage,
    OwnerReminder,
    Praise,
    RequesterDetails,
    ScoreThanks,
    SurveyClosed,
    SurveyOptedOut,
    SurveyPrompt,
    WeeklyDigest,
    driver_question,
)
from bot.model import driver_label
from bot.report_text import alert_summary, counted, elapsed

Lines = list[str]
QUOTED_CHARS = 400


def when(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M UTC")


def ticket(ticket_id: str, title: str) -> str:
    return f"{ticket_id} {title}"


def quote(text: str, limit: int = QUOTED_CHARS) -> str:
    flat = " ".join(text.split())
    return f"> {flat if len(flat) <= limit else flat[: limit - 1] + '…'}"


def survey_prompt(msg: SurveyPrompt) -> Lines:
    nudge = say.REMINDER if msg.reminder else ""
    return [
        nudge + say.closed(ticket(msg.ticket_id, msg.title), msg.agent_name),
        say.question(msg.team_label),
        say.SCALE,
        f"→ score 0-10 (or `answer {msg.ticket_id} N`) · optout: {say.OPT_OUT}",
    ]


def answer_lines(comment: str | None, drivers: tuple[str, ...]) -> Lines:
    lines = [quote(comment)] if comment else []
    if drivers:
        lines.append(say.what_mattered(", ".join(driver_label(d) for d in drivers)))
    return lines


def score_thanks(msg: ScoreThanks) -> Lines:
    lines = [say.thanks(msg.score, ticket(msg.ticket_id, msg.title))]
    lines += answer_lines(msg.comment, msg.drivers)
    if msg.can_comment:
        label = say.EDIT_COMMENT if msg.comment or msg.drivers else say.ADD_COMMENT
        lines.append(f'→ {label}: comment "your words" --drivers {msg.offered[0]},… [--share]')
        lines.append(f"  {driver_question(msg.score)} {_offered(msg.offered)}")
    return lines


def _offered(drivers: tuple[str, ...]) -> str:
    return " · ".join(f"{d} ({driver_label(d)})" for d in drivers)


def comment_form(form: CommentForm) -> Lines:
    return [
        say.you_gave(form.score, form.ticket_id),
        f'{say.ANYTHING_TO_ADD} → comment "your words"',
        f"{driver_question(form.score)} → --drivers a,b from: {_offered(form.offered)}",
        f"{say.SHARE} → --share",
    ]


def praise(msg: Praise) -> Lines:
    agent = msg.agent_name or "the agent"
    return [
        say.praise_head(msg.score, ticket(msg.ticket_id, msg.title), agent, msg.for_team),
        quote(msg.comment),
    ]


def _person(user_id: str | None) -> str:
    return user_id or "the requester"


def _status(msg: DetractorAlert) -> Lines:
    if msg.status is CallbackStatus.OPEN:
        return [f"→ claim {msg.ticket_id} (Call back)"]
    if msg.status is CallbackStatus.CLAIMED and msg.claimed_at is not None:
        return [
            say.calling_back(_person(msg.owner_id), when(msg.claimed_at)),
            f"→ done {msg.ticket_id} [{'|'.join(OUTCOME_WORDS)}] [notes] · release {msg.ticket_id}",
        ]
    outcome = msg.outcome.label if msg.outcome else "closed"
    took = elapsed(msg.created_at, msg.closed_at) if msg.closed_at else "?"
    return [say.closed_by(_person(msg.owner_id), outcome, took)]


OUTCOME_WORDS = tuple(o.value for o in Outcome)


def detractor_alert(msg: DetractorAlert) -> Lines:
    lines = [
        "🚨 " + say.detractor(msg.score, ticket(msg.ticket_id, msg.title)),
        f"Requester: {_person(msg.requester_id)} · Agent: {msg.agent_name or 'unknown'} · "
        f"Team: {msg.team_label} · Answered: {when(msg.created_at)}",
    ]
    return lines + answer_lines(msg.comment, msg.drivers) + _status(msg)


def callback_reminder(msg: CallbackReminder) -> Lines:
    text = say.waits(
        msg.level,
        msg.score,
        msg.team_label,
        ticket(msg.ticket_id, msg.title),
        when(msg.answered_at),
    )
    return ["⏰ " + text, f"→ claim {msg.ticket_id} (Call back)"]


def owner_reminder(msg: OwnerReminder) -> Lines:
    text = say.still_open(ticket(msg.ticket_id, msg.title), when(msg.claimed_at))
    return ["⌛ " + text, f"→ done {msg.ticket_id}"]


def message(msg: OutboundMessage) -> Lines:
    match msg:
        case SurveyPrompt():
            return survey_prompt(msg)
        case ScoreThanks():
            return score_thanks(msg)
        case SurveyClosed():
            return [say.survey_closed(ticket(msg.ticket_id, msg.title))]
        case SurveyOptedOut():
            return [say.opted_out(ticket(msg.ticket_id, msg.title))]
        case MessageRemoved():
            return [msg.text]
        case DetractorAlert():
            return detractor_alert(msg)
        case CallbackReminder():
            return callback_reminder(msg)
        case OwnerReminder():
            return owner_reminder(msg)
        case Praise():
            return praise(msg)
        case WeeklyDigest():
            from bot.handlers.shell.render_reports import digest

            return digest(msg)
        case GuessPrompt():
            return [gap_text.guess_question(msg.ticket_id, msg.requester_name)]
        case GuessThanks():
            return [gap_text.guess_thanks(msg.ticket_id, msg.requester_name, msg.score)]
        case _:
            assert_never(msg)


def summary(msg: OutboundMessage) -> str | None:
    """The one line a chat shows in a notification, where it says more than the message."""
    if isinstance(msg, DetractorAlert):
        return alert_summary(msg.score, msg.ticket_id, msg.status, msg.outcome)
    return None


def requester_details(msg: RequesterDetails) -> Lines:
    person = _person(msg.requester_id)
    return [
        say.calling_whom(person, msg.requester_email, msg.ticket_id),
        f"→ done {msg.ticket_id} when you have an outcome",
    ]


def callback_list(reply: CallbackList) -> Lines:
    head = say.open_callbacks_head(reply.scope)
    if not reply.lines:
        return [head, say.NOBODY_WAITS]
    rows = [
        "• "
        + say.callback_line(
            line.ticket_id,
            line.title[:80],
            line.score,
            line.team_label,
            _age(line.waited),
            f"{line.owner_id} calling back" if line.owner_id else "unclaimed",
        )
        for line in reply.lines
    ]
    return [head, *rows, counted(len(rows), "open callback")]


def _age(waited: timedelta) -> str:
    hours = int(waited.total_seconds() // 3600)
    return f"{hours // 24}d {hours % 24}h" if hours >= 24 else f"{hours}h"
