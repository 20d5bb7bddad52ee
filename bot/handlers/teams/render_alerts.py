"""Adaptive Cards for the leads' side: detractor alerts, reminders, the list of callbacks. Pure."""

from __future__ import annotations

import json
from datetime import datetime, timedelta

from bot.callbacks_model import CallbackStatus, Outcome
from bot.handlers.teams.ids import Input, Verb
from bot.handlers.teams.render import (
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
from bot.messages import (
    CallbackLine,
    CallbackList,
    CallbackReminder,
    DetractorAlert,
    OwnerReminder,
    RequesterDetails,
)
from bot.report_text import alert_summary, counted, elapsed, not_shown

LIST_BYTES = 20_000  # the callbacks' lines in one card, JSON-escaped (Teams takes about 28 KB)


def _when(moment: datetime) -> str:
    return when(moment.strftime("%Y-%m-%dT%H:%M:%SZ"))


def _fact(label: str, value: str) -> Element:
    return said(run(f"{label}: ", weight="Bolder"), value)


def _outcome_card(callback_id: str) -> Card:
    choices = [{"title": o.label, "value": o.value} for o in Outcome]
    body: list[Element] = [
        {"type": "Input.ChoiceSet", "id": Input.OUTCOME.value, "style": "expanded",
         "label": "Outcome", "isRequired": True, "errorMessage": "Pick an outcome",
         "choices": choices},
        {"type": "Input.Text", "id": Input.NOTES.value, "isMultiline": True, "maxLength": 3000,
         "label": "Notes"},
    ]  # fmt: skip
    close = execute("Close callback", Verb.DONE, {"callback": callback_id}, style="positive")
    return {"type": "AdaptiveCard", "body": body, "actions": [close]}


def _status(
    msg: DetractorAlert, people: People
) -> tuple[list[Element], list[Element], list[Element]]:
    """The alert's last lines, its buttons and the mention entities they need."""
    cid = msg.callback_id
    if msg.status is CallbackStatus.OPEN:
        return [], [execute("Call back", Verb.CLAIM, {"callback": cid}, style="positive")], []
    owner, entities = mention(msg.owner_id, people, "a lead")
    if msg.status is CallbackStatus.CLAIMED and msg.claimed_at is not None:
        line = ours(f"📞 {owner} is calling back (since {_when(msg.claimed_at)})")
        done = {"type": "Action.ShowCard", "title": "Done", "card": _outcome_card(cid)}
        return [line], [done, execute("Release", Verb.RELEASE, {"callback": cid})], entities
    outcome = msg.outcome.label if msg.outcome else "closed"
    took = elapsed(msg.created_at, msg.closed_at) if msg.closed_at else "?"
    return [ours(f"✅ Closed by {owner}: **{outcome}**, {took} after the answer")], [], entities


def detractor_alert(msg: DetractorAlert, people: People) -> tuple[str, Card]:
    requester, entities = mention(msg.requester_id, people, "the requester")
    body: list[Element] = [
        ours(f"🚨 **Detractor: {msg.score}/10**", color="Attention", size="Medium"),
        said(ticket_run(msg.ticket_id, msg.title, msg.url)),
        ours(f"**Requester:** {requester}"),
        _fact("Agent", msg.agent_name or "unknown"),
        _fact("Team", msg.team_label),
        ours(f"**Answered:** {_when(msg.created_at)}"),
        *answer_blocks(msg.comment, msg.drivers),
    ]
    lines, actions, more = _status(msg, people)
    summary = alert_summary(msg.score, msg.ticket_id, msg.status, msg.outcome)
    return summary, card(body + lines, actions, entities=entities + more)


def requester_details(msg: RequesterDetails, name: str | None) -> str:
    """Said only to the lead who claimed: the invoke's answer is shown to them alone."""
    who = f"{name} ({msg.requester_email})" if name else msg.requester_email
    return (
        f"You're calling back {who} about {msg.ticket_id}. "
        "Click Done on the alert when you have an outcome."
    )


def callback_reminder(msg: CallbackReminder) -> tuple[str, Card]:
    who = "Escalation" if msg.level > 1 else "Reminder"
    body = [
        ours(f"⏰ **{who}:** a detractor waits for a callback"),
        said(f"{msg.score}/10, {msg.team_label}, on ", ticket_run(msg.ticket_id, msg.title)),
        ours(f"Waiting since {_when(msg.answered_at)} and nobody is calling back yet."),
    ]
    claim = execute("Call back", Verb.CLAIM, {"callback": msg.callback_id}, style="positive")
    return f"{who}: a detractor on {msg.ticket_id} waits for a callback", card(body, [claim])


def owner_reminder(msg: OwnerReminder) -> tuple[str, Card]:
    body = [
        said("⌛ You took the callback about ", ticket_run(msg.ticket_id, msg.title), "."),
        ours(f"Claimed {_when(msg.claimed_at)}. When you have an outcome, click **Done** on the "
             "alert."),
    ]  # fmt: skip
    return f"Reminder: your callback about {msg.ticket_id} is still open", card(body)


def lead_message(
    msg: DetractorAlert | CallbackReminder | OwnerReminder, people: People
) -> tuple[str, Card]:
    if isinstance(msg, DetractorAlert):
        return detractor_alert(msg, people)
    if isinstance(msg, CallbackReminder):
        return callback_reminder(msg)
    return owner_reminder(msg)


def callback_list(reply: CallbackList, people: People) -> tuple[str, Card]:
    title = said(run(f"Open callbacks for {reply.scope}", weight="Bolder"), " (oldest first)")
    if not reply.lines:
        return "No open callbacks.", card([title, ours("None: every detractor was called back.")])
    rows: list[Element] = []
    left = LIST_BYTES
    for i, line in enumerate(reply.lines):
        row = _callback_row(line, people)
        left -= len(json.dumps(row))
        if left < 0:  # fifty long non-ASCII lines would pass Teams' 28 KB
            rows.append(ours(not_shown(len(reply.lines) - i), isSubtle=True))
            break
        rows.append(row)
    return counted(len(reply.lines), "open callback"), card([title, *rows])


def _callback_row(line: CallbackLine, people: People) -> Element:
    owner = clip(people.get(line.owner_id or "") or "a lead", 40, 120)
    return said(
        ticket_run(clip(line.ticket_id, 40, 120), clip(line.title, 80, 240)),
        f" — {line.score}/10, {clip(line.team_label, 40, 120)}, waiting {_age(line.waited)}, ",
        run(f"{owner} calling back")
        if line.owner_id
        else run("unclaimed", weight="Bolder", color="Attention"),
    )


def _age(waited: timedelta) -> str:
    hours = int(waited.total_seconds() // 3600)
    return f"{hours // 24}d {hours % 24}h" if hours >= 24 else f"{hours}h"
