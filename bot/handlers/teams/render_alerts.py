"""Adaptive Cards for the leads' side: detractor alerts, reminders, the list of callbacks. Pure."""

from __future__ import annotations

import json
from datetime import datetime
from typing import assert_never

from bot.callbacks_model import CallbackStatus, Outcome
from bot.handlers.teams.elements import (
    Card,
    Element,
    People,
    answer_blocks,
    card,
    clip,
    execute,
    mention,
    ours,
    run,
    said,
    ticket_run,
    when,
)
from bot.handlers.teams.ids import Input, Verb
from bot.messages import (
    CallbackLine,
    CallbackList,
    CallbackReminder,
    DetractorAlert,
    OwnerReminder,
    RequesterDetails,
)
from bot.report_text import age, alert_summary, elapsed, not_shown
from bot.texts import outcome_label, pieces, say

LIST_BYTES = 20_000  # the callbacks' lines in one card, JSON-escaped (Teams takes about 28 KB)


def _when(moment: datetime) -> str:
    return when(moment.strftime("%Y-%m-%dT%H:%M:%SZ"))


def _fact(label: str, value: str) -> Element:
    return said(run(f"{label}: ", weight="Bolder"), value)


def _outcome_card(callback_id: str) -> Card:
    choices = [{"title": outcome_label(o), "value": o.value} for o in Outcome]
    body: list[Element] = [
        {
            "type": "Input.ChoiceSet",
            "id": Input.OUTCOME.value,
            "style": "expanded",
            "label": say("outcome.label"),
            "isRequired": True,
            "errorMessage": say("outcome.pick"),
            "choices": choices,
        },
        {
            "type": "Input.Text",
            "id": Input.NOTES.value,
            "isMultiline": True,
            "maxLength": 3000,
            "label": say("outcome.notes"),
        },
    ]
    close = execute(say("outcome.submit"), Verb.DONE, {"callback": callback_id}, style="positive")
    return {"type": "AdaptiveCard", "body": body, "actions": [close]}


def _status(
    msg: DetractorAlert, people: People
) -> tuple[list[Element], list[Element], list[Element]]:
    """The alert's last lines, its buttons and the mention entities they need."""
    cid = msg.callback_id
    if msg.status is CallbackStatus.OPEN:
        claim = execute(say("alert.call_back"), Verb.CLAIM, {"callback": cid}, style="positive")
        return [], [claim], []
    owner, entities = mention(msg.owner_id, people, say("alert.a_lead"))
    if msg.status is CallbackStatus.CLAIMED and msg.claimed_at is not None:
        line = ours(f"📞 {say('alert.calling_back', owner=owner, since=_when(msg.claimed_at))}")
        done = {"type": "Action.ShowCard", "title": say("alert.done"), "card": _outcome_card(cid)}
        release = execute(say("alert.release"), Verb.RELEASE, {"callback": cid})
        return [line], [done, release], entities
    outcome = outcome_label(msg.outcome) if msg.outcome else say("alert.closed")
    took = elapsed(msg.created_at, msg.closed_at) if msg.closed_at else "?"
    closed = say("alert.closed_by", owner=owner, outcome=f"**{outcome}**", took=took)
    return [ours(f"✅ {closed}")], [], entities


def detractor_alert(msg: DetractorAlert, people: People) -> tuple[str, Card]:
    requester, entities = mention(msg.requester_id, people, say("alert.the_requester"))
    body: list[Element] = [
        ours(f"🚨 **{say('alert.title', score=msg.score)}**", color="Attention", size="Medium"),
        said(ticket_run(msg.ticket_id, msg.title, msg.url)),
        ours(f"**{say('alert.requester')}:** {requester}"),
        _fact(say("alert.agent"), msg.agent_name or say("alert.unknown")),
        _fact(say("alert.team"), msg.team_label),
        ours(f"**{say('alert.answered')}:** {_when(msg.created_at)}"),
        *answer_blocks(msg.comment, msg.drivers),
    ]
    lines, actions, more = _status(msg, people)
    summary = alert_summary(msg.score, msg.ticket_id, msg.status, msg.outcome)
    return summary, card(body + lines, actions, entities=entities + more)


def requester_details(msg: RequesterDetails, name: str | None) -> str:
    """Said only to the lead who claimed: the invoke's answer is shown to them alone."""
    who = f"{name} ({msg.requester_email})" if name else msg.requester_email
    done = say("details.done", done=say("alert.done"))
    return f"{say('details', who=who, ticket=msg.ticket_id)} {done}"


def callback_reminder(msg: CallbackReminder) -> tuple[str, Card]:
    who = say("reminder.escalation") if msg.level > 1 else say("reminder.reminder")
    ticket = ticket_run(msg.ticket_id, msg.title)
    body = [
        ours(f"⏰ **{who}:** {say('reminder.head')}"),
        said(*pieces("reminder.line", score=str(msg.score), team=msg.team_label, ticket=ticket)),
        ours(say("reminder.waiting", since=_when(msg.answered_at))),
    ]
    data = {"callback": msg.callback_id}
    claim = execute(say("alert.call_back"), Verb.CLAIM, data, style="positive")
    return say("reminder.summary", level=who, ticket=msg.ticket_id), card(body, [claim])


def owner_reminder(msg: OwnerReminder) -> tuple[str, Card]:
    lead, *rest = pieces("owner.took", ticket=ticket_run(msg.ticket_id, msg.title))
    body = [
        said(f"⌛ {lead}", *rest, "."),
        ours(
            f"{say('owner.claimed', since=_when(msg.claimed_at))} "
            f"{say('owner.click_done', done='**' + say('alert.done') + '**')}"
        ),
    ]
    return say("owner.summary", ticket=msg.ticket_id), card(body)


def lead_message(
    msg: DetractorAlert | CallbackReminder | OwnerReminder, people: People
) -> tuple[str, Card]:
    match msg:
        case DetractorAlert():
            return detractor_alert(msg, people)
        case CallbackReminder():
            return callback_reminder(msg)
        case OwnerReminder():
            return owner_reminder(msg)
        case _:
            assert_never(msg)


def callback_list(reply: CallbackList, people: People) -> tuple[str, Card]:
    title = said(
        run(say("list.title", scope=reply.scope), weight="Bolder"), f" {say('list.oldest_first')}"
    )
    if not reply.lines:
        return say("list.empty.summary"), card([title, ours(say("list.empty"))])
    rows: list[Element] = []
    left = LIST_BYTES
    for i, line in enumerate(reply.lines):
        row = _callback_row(line, people)
        left -= len(json.dumps(row))
        if left < 0:  # fifty long non-ASCII lines would pass Teams' 28 KB
            rows.append(ours(not_shown(len(reply.lines) - i), isSubtle=True))
            break
        rows.append(row)
    return say("list.summary", count=len(reply.lines)), card([title, *rows])


def _callback_row(line: CallbackLine, people: People) -> Element:
    ticket = ticket_run(clip(line.ticket_id, 40, 120), clip(line.title, 80, 240))
    return said(
        *pieces(
            "list.line",
            ticket=ticket,
            score=str(line.score),
            team=clip(line.team_label, 40, 120),
            age=age(line.waited),
            owner=_owner(line.owner_id, people),
        )
    )


def _owner(owner_id: str | None, people: People) -> Element:
    if not owner_id:
        return run(say("list.unclaimed"), weight="Bolder", color="Attention")
    name = clip(people.get(owner_id) or say("alert.a_lead"), 40, 120)
    return run(say("list.calling_back", owner=name))
