"""Adaptive Cards (1.5) for each neutral message. Pure: values in, JSON-ready dicts out.

`message` picks the card for an outbound message; the survey's own cards are in render_survey,
the leads' in render_alerts, the reports' in render_reports. Outside text only ever goes into
a TextRun (elements.py says why).
"""

from __future__ import annotations

from typing import assert_never

from bot import gap_text
from bot.guess_messages import GuessPrompt, GuessThanks
from bot.handlers.teams.elements import (
    Card,
    Element,
    People,
    answer_blocks,
    bold,
    card,
    mention,
    ours,
    run,
    said,
    ticket_run,
)
from bot.handlers.teams.ids import Verb
from bot.handlers.teams.render_survey import score_rows, score_thanks, survey_prompt
from bot.messages import (
    CallbackReminder,
    DetractorAlert,
    MessageRemoved,
    Notice,
    OutboundMessage,
    OwnerReminder,
    Praise,
    ScoreThanks,
    SurveyClosed,
    SurveyOptedOut,
    SurveyPrompt,
)
from bot.report_messages import WeeklyDigest
from bot.texts import pieces, say


def survey_closed(msg: SurveyClosed) -> tuple[str, Card]:
    body = [said(*pieces("closed", ticket=ticket_run(msg.ticket_id, msg.title)))]
    return say("closed.summary", ticket=msg.ticket_id), card(body)


def survey_opted_out(msg: SurveyOptedOut) -> tuple[str, Card]:
    lead, *rest = pieces("opted_out.about", ticket=ticket_run(msg.ticket_id, msg.title))
    body = [
        said(f"{say('opted_out')} {lead}", *rest),
        ours(say("opted_out.teams"), isSubtle=True),
    ]
    return say("opted_out.summary"), card(body)


def praise(msg: Praise, people: People) -> tuple[str, Card]:
    ticket = ticket_run(msg.ticket_id, msg.title)
    summary = say("praise.summary", ticket=msg.ticket_id)
    if not msg.for_team:
        lead, *rest = pieces("praise.to_agent", score=str(msg.score), ticket=ticket)
        body = [said(f"🎉 {lead}", *rest)]
        return summary, card([*body, *answer_blocks(msg.comment, ())])
    agent, entities = mention(msg.agent_id, people, "")
    if agent:
        head = ours(f"🎉 **{say('praise.kudos', agent=agent)}**")
    else:
        name = run(msg.agent_name or say("praise.the_agent"), weight="Bolder")
        first, *runs = bold(pieces("praise.kudos", agent=name))
        head = said({**first, "text": f"🎉 {first['text']}"}, *runs)
    body = [head, said(*pieces("praise.to_team", score=str(msg.score), ticket=ticket))]
    body += answer_blocks(msg.comment, ())
    return summary, card(body, entities=entities)


def notice(msg: Notice, channel_id: str | None = None) -> tuple[str, Card]:
    """Our own texts, written for Slack: `code` becomes monospace, `/nps x` becomes `nps x`."""
    body = [_notice_line(line) for line in msg.text.split("\n") if line.strip()]
    if channel_id:
        body.append(
            said(run(say("teams.channel_id"), isSubtle=True), run(channel_id, fontType="Monospace"))
        )
    return msg.text.split("\n", 1)[0][:200], card(body)


def _notice_line(line: str) -> Element:
    pieces = line.replace("/nps ", "nps ").split("`")
    # Odd pieces were between backticks. Kept verbatim in TextRuns: notices may quote a word
    # the user typed.
    runs = [run(p, fontType="Monospace") if i % 2 else run(p) for i, p in enumerate(pieces) if p]
    return said(*runs)


def message(
    msg: OutboundMessage, people: People, chart_png: bytes | None = None
) -> tuple[str, Card]:
    from bot.handlers.teams import render_alerts, render_reports

    match msg:
        case SurveyPrompt():
            return survey_prompt(msg)
        case ScoreThanks():
            return score_thanks(msg)
        case SurveyOptedOut():
            return survey_opted_out(msg)
        case SurveyClosed():
            return survey_closed(msg)
        case MessageRemoved():
            return msg.text, card([ours(msg.text)])
        case Praise():
            return praise(msg, people)
        case WeeklyDigest():
            return render_reports.digest(msg, chart_png)
        case GuessPrompt() | GuessThanks():
            return guess_card(msg)
        case DetractorAlert() | CallbackReminder() | OwnerReminder():
            return render_alerts.lead_message(msg, people)
        case _:
            assert_never(msg)


def guess_card(msg: GuessPrompt | GuessThanks) -> tuple[str, Card]:
    """The agent's guess: the names and ticket id are not ours, so they go in TextRuns."""
    if isinstance(msg, GuessThanks):
        thanks = gap_text.guess_thanks(msg.ticket_id, msg.requester_name, msg.score)
        return thanks, card([said(thanks.replace("`/nps ", "nps ").replace("`", ""))])
    question = gap_text.guess_question(msg.ticket_id, msg.requester_name)
    boxes = score_rows(msg.survey_id, Verb.GUESS, large=False)
    return question, card([said(run(question, weight="Bolder")), *boxes])
