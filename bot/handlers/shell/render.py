"""Plain text for each neutral message the bot sends: the shell's Block Kit. Pure.

The words are the catalogue's (bot.texts), as on Slack and Teams; the `→ …` lines stand where
Slack and Teams draw buttons, and name the shell command that clicks them.
"""

from __future__ import annotations

from datetime import datetime
from typing import assert_never

from bot.callbacks_model import CallbackStatus, Outcome
from bot.gap_text import guess_question, guess_thanks
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
    driver_question,
)
from bot.model import driver_label
from bot.report_messages import WeeklyDigest
from bot.report_text import age, alert_summary, elapsed
from bot.texts import outcome_label, say

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
    nudge = f"{say('survey.reminder')} " if msg.reminder else ""
    by = say("survey.by", agent=msg.agent_name) if msg.agent_name else ""
    return [
        nudge + say("survey.intro", ticket=ticket(msg.ticket_id, msg.title), by=by),
        say("survey.question", team=msg.team_label),
        say("survey.scale"),
        say("shell.score", ticket=msg.ticket_id, opt_out=say("survey.opt_out")),
    ]


def answer_lines(comment: str | None, drivers: tuple[str, ...]) -> Lines:
    lines = [quote(comment)] if comment else []
    if drivers:
        lines.append(say("comment.drivers", drivers=", ".join(driver_label(d) for d in drivers)))
    return lines


def score_thanks(msg: ScoreThanks) -> Lines:
    lines = [say("thanks", score=msg.score, ticket=ticket(msg.ticket_id, msg.title))]
    lines += answer_lines(msg.comment, msg.drivers)
    if msg.can_comment:
        label = say("comment.edit") if msg.comment or msg.drivers else say("comment.add")
        lines.append(say("shell.comment", label=label, first=msg.offered[0]))
        lines.append(f"  {driver_question(msg.score)} {_offered(msg.offered)}")
    return lines


def _offered(drivers: tuple[str, ...]) -> str:
    return " · ".join(f"{d} ({driver_label(d)})" for d in drivers)


def comment_form(form: CommentForm) -> Lines:
    offered = _offered(form.offered)
    return [
        say("form.you_gave", score=form.score, ticket=form.ticket_id),
        say("shell.form.comment", question=say("form.comment")),
        say("shell.form.drivers", question=driver_question(form.score), offered=offered),
        say("shell.form.share", share=say("form.share")),
    ]


def praise(msg: Praise) -> Lines:
    agent, about = msg.agent_name or say("praise.the_agent"), ticket(msg.ticket_id, msg.title)
    if msg.for_team:
        head = f"{say('praise.kudos', agent=agent)} "
        head += say("praise.to_team", score=msg.score, ticket=about)
    else:
        head = say("praise.to_agent", score=msg.score, ticket=about)
    return [head, quote(msg.comment)]


def _person(user_id: str | None) -> str:
    return user_id or say("alert.the_requester")


def _status(msg: DetractorAlert) -> Lines:
    if msg.status is CallbackStatus.OPEN:
        return [_claim(msg.ticket_id)]
    if msg.status is CallbackStatus.CLAIMED and msg.claimed_at is not None:
        return [
            say("alert.calling_back", owner=_person(msg.owner_id), since=when(msg.claimed_at)),
            say("shell.done_or_release", ticket=msg.ticket_id, outcomes="|".join(OUTCOME_WORDS)),
        ]
    outcome = outcome_label(msg.outcome) if msg.outcome else say("alert.closed")
    took = elapsed(msg.created_at, msg.closed_at) if msg.closed_at else "?"
    return [say("alert.closed_by", owner=_person(msg.owner_id), outcome=outcome, took=took)]


OUTCOME_WORDS = tuple(o.value for o in Outcome)


def detractor_alert(msg: DetractorAlert) -> Lines:
    title = say("alert.title", score=msg.score)
    facts = {
        "alert.requester": _person(msg.requester_id),
        "alert.agent": msg.agent_name or say("alert.unknown"),
        "alert.team": msg.team_label,
        "alert.answered": when(msg.created_at),
    }
    lines = [
        "🚨 " + say("alert.title_for", title=title, ticket=ticket(msg.ticket_id, msg.title)),
        " · ".join(f"{say(key)}: {value}" for key, value in facts.items()),
    ]
    return lines + answer_lines(msg.comment, msg.drivers) + _status(msg)


def callback_reminder(msg: CallbackReminder) -> Lines:
    who = say("reminder.escalation") if msg.level > 1 else say("reminder.reminder")
    waited = say(
        "reminder.slack",
        score=msg.score,
        team=msg.team_label,
        ticket=ticket(msg.ticket_id, msg.title),
        since=when(msg.answered_at),
    )
    return [f"⏰ {who}: {waited}", _claim(msg.ticket_id)]


def _claim(ticket_id: str) -> str:
    return say("shell.claim", ticket=ticket_id, call_back=say("alert.call_back"))


def owner_reminder(msg: OwnerReminder) -> Lines:
    text = say("owner.took_on", ticket=ticket(msg.ticket_id, msg.title), since=when(msg.claimed_at))
    return ["⌛ " + text, say("shell.done", ticket=msg.ticket_id)]


# long: one case per outbound message type, in one match that assert_never proves whole
def message(msg: OutboundMessage) -> Lines:
    match msg:
        case SurveyPrompt():
            return survey_prompt(msg)
        case ScoreThanks():
            return score_thanks(msg)
        case SurveyClosed():
            return [say("closed", ticket=ticket(msg.ticket_id, msg.title))]
        case SurveyOptedOut():
            about = say("opted_out.about", ticket=ticket(msg.ticket_id, msg.title))
            return [f"{say('opted_out')} {about} {say('opted_out.slack')}"]
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
            return [guess_question(msg.ticket_id, msg.requester_name)]
        case GuessThanks():
            return [guess_thanks(msg.ticket_id, msg.requester_name, msg.score)]
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
        say("details", who=f"{person} ({msg.requester_email})", ticket=msg.ticket_id),
        say("shell.done_when", ticket=msg.ticket_id),
    ]


def callback_list(reply: CallbackList) -> Lines:
    head = f"{say('list.title', scope=reply.scope)} {say('list.oldest_first')}"
    if not reply.lines:
        return [head, say("list.empty")]
    rows = [
        "• "
        + say(
            "list.line",
            ticket=ticket(line.ticket_id, line.title[:80]),
            score=line.score,
            team=line.team_label,
            age=age(line.waited),
            owner=say("list.calling_back", owner=line.owner_id)
            if line.owner_id
            else say("list.unclaimed"),
        )
        for line in reply.lines
    ]
    return [head, *rows, say("list.summary", count=len(rows))]
