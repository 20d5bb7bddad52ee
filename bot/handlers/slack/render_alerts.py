"""Block Kit for the leads' side: detractor alerts, requester details, the outcome form."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Any

from bot.callbacks_model import CallbackStatus, Outcome
from bot.handlers.slack.ids import SlackId
from bot.handlers.slack.render import (
    Blocks,
    _plain,
    _ticket_label,
    chunks,
    comment_blocks,
    escape,
    label,
)
from bot.handlers.slack.render import (
    section as _section,
)
from bot.messages import (
    CallbackList,
    CallbackReminder,
    DetractorAlert,
    OutcomeForm,
    OwnerReminder,
    RequesterDetails,
)
from bot.report_text import alert_summary, counted, elapsed


def _when(moment: datetime) -> str:
    """Slack shows this in each reader's own time zone; the fallback is UTC."""
    fallback = moment.strftime("%Y-%m-%d %H:%M UTC")
    return f"<!date^{int(moment.timestamp())}^{{date_short_pretty}} {{time}}|{fallback}>"


def _button(label: str, action: SlackId, value: str, style: str | None = None) -> dict[str, Any]:
    button = {"type": "button", "action_id": action.value, "text": _plain(label), "value": value}
    return {**button, "style": style} if style else button


def _person(user_id: str | None) -> str:
    return f"<@{user_id}>" if user_id and user_id.isalnum() else "the requester"


def _status_blocks(msg: DetractorAlert) -> Blocks:
    cid = msg.callback_id
    if msg.status is CallbackStatus.OPEN:
        claim = _button("Call back", SlackId.CALLBACK_CLAIM, cid, "primary")
        return [{"type": "actions", "elements": [claim]}]
    owner = _person(msg.owner_id)
    if msg.status is CallbackStatus.CLAIMED and msg.claimed_at is not None:
        text = f":telephone_receiver: {owner} is calling back (since {_when(msg.claimed_at)})"
        buttons = [_button("Done", SlackId.CALLBACK_DONE, cid, "primary"),
                   _button("Release", SlackId.CALLBACK_RELEASE, cid)]  # fmt: skip
        return [_section(text), {"type": "actions", "elements": buttons}]
    outcome = msg.outcome.label if msg.outcome else "closed"
    took = elapsed(msg.created_at, msg.closed_at) if msg.closed_at else "?"
    return [_section(f":white_check_mark: Closed by {owner}: *{outcome}*, {took} after the answer")]


def detractor_alert(msg: DetractorAlert) -> tuple[str, Blocks]:
    ticket = _ticket_label(msg.ticket_id, msg.title, msg.url)
    head = f":rotating_light: *Detractor: {msg.score}/10* for {ticket}"
    who = [
        f"*Requester:* {_person(msg.requester_id)}",
        f"*Agent:* {label(msg.agent_name or 'unknown', 200)}",
        f"*Team:* {label(msg.team_label, 200)}",
        f"*Answered:* {_when(msg.created_at)}",
    ]
    blocks: Blocks = [_section(head), {"type": "section", "fields": [
        {"type": "mrkdwn", "text": field} for field in who]}]  # fmt: skip
    blocks += comment_blocks(msg.comment, msg.drivers)
    blocks += _status_blocks(msg)
    summary = alert_summary(msg.score, escape(msg.ticket_id), msg.status, msg.outcome)
    return summary, blocks


def requester_details(msg: RequesterDetails) -> tuple[str, Blocks]:
    text = (
        f"You're calling back {_person(msg.requester_id)} ({escape(msg.requester_email)}) about "
        f"*{escape(msg.ticket_id)}*. Click *Done* on the alert when you have an outcome."
    )
    return f"Requester details for {escape(msg.ticket_id)}", [_section(text)]


def outcome_modal(form: OutcomeForm, *, home: bool = False) -> dict[str, Any]:
    """`home`: opened from the App Home tab, which is redrawn once the form is sent."""
    options = [{"text": _plain(o.label), "value": o.value} for o in Outcome]
    meta = {"callback": form.callback_id} | ({"home": True} if home else {})
    notes = {"type": "plain_text_input", "action_id": SlackId.NOTES_INPUT.value,
             "multiline": True, "max_length": 3000}  # fmt: skip
    return {
        "type": "modal",
        "callback_id": SlackId.OUTCOME_VIEW.value,
        "private_metadata": json.dumps(meta),
        "title": _plain("Callback outcome", 24),
        "submit": _plain("Close callback", 24),
        "close": _plain("Cancel", 24),
        "blocks": [
            _section(f"How did the call about *{escape(form.ticket_id)}* go?"),
            {"type": "input", "block_id": SlackId.OUTCOME_BLOCK.value,
             "label": _plain("Outcome", 2000),
             "element": {"type": "radio_buttons", "action_id": SlackId.OUTCOME_INPUT.value,
                         "options": options}},
            {"type": "input", "block_id": SlackId.NOTES_BLOCK.value, "optional": True,
             "label": _plain("Notes", 2000), "element": notes},
        ],
    }  # fmt: skip


def callback_reminder(msg: CallbackReminder) -> tuple[str, Blocks]:
    ticket = _ticket_label(msg.ticket_id, msg.title)
    who = "Escalation" if msg.level > 1 else "Reminder"
    text = (
        f":alarm_clock: *{who}:* the detractor ({msg.score}/10, {label(msg.team_label, 200)}) on "
        f"{ticket} has waited since {_when(msg.answered_at)} and nobody is calling back yet."
    )
    claim = _button("Call back", SlackId.CALLBACK_CLAIM, msg.callback_id, "primary")
    blocks: Blocks = [_section(text), {"type": "actions", "elements": [claim]}]
    return f"{who}: a detractor on {escape(msg.ticket_id)} waits for a callback", blocks


def owner_reminder(msg: OwnerReminder) -> tuple[str, Blocks]:
    text = (
        f":hourglass: You took the callback about {_ticket_label(msg.ticket_id, msg.title)} "
        f"on {_when(msg.claimed_at)}. When you have an outcome, click *Done* on the alert."
    )
    return f"Reminder: your callback about {escape(msg.ticket_id)} is still open", [_section(text)]


def lead_message(msg: DetractorAlert | CallbackReminder | OwnerReminder) -> tuple[str, Blocks]:
    if isinstance(msg, DetractorAlert):
        return detractor_alert(msg)
    if isinstance(msg, CallbackReminder):
        return callback_reminder(msg)
    return owner_reminder(msg)


def callback_list(reply: CallbackList) -> tuple[str, Blocks]:
    title = f"*Open callbacks for {escape(reply.scope)}* (oldest first)"
    if not reply.lines:
        return "No open callbacks.", [
            _section(f"{title}\nNone: every detractor has been called back.")
        ]
    rows = [
        f"• *{label(line.ticket_id, 80)}* {label(line.title, 80)} — {line.score}/10, "
        f"{label(line.team_label, 80)}, waiting {_age(line.waited)}, "
        + (f"{_person(line.owner_id)} calling back" if line.owner_id else "*unclaimed*")
        for line in reply.lines
    ]
    return counted(len(rows), "open callback"), [
        _section(chunk) for chunk in chunks([title, *rows])
    ]


def _age(waited: timedelta) -> str:
    hours = int(waited.total_seconds() // 3600)
    return f"{hours // 24}d {hours % 24}h" if hours >= 24 else f"{hours}h"
