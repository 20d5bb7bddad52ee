"""Block Kit for the leads' side: detractor alerts, requester details, the outcome form."""

from __future__ import annotations

from datetime import datetime
from typing import Any, assert_never

from bot.callbacks_model import CallbackStatus, Outcome
from bot.handlers.slack.block_kit import (
    Blocks,
    chunks,
    comment_blocks,
    escape,
    input_block,
    label,
    modal,
    plain,
    ticket_label,
)
from bot.handlers.slack.block_kit import section as _section
from bot.handlers.slack.ids import SlackId
from bot.messages import (
    CallbackList,
    CallbackReminder,
    DetractorAlert,
    OutcomeForm,
    OwnerReminder,
    RequesterDetails,
)
from bot.report_text import age, alert_summary, elapsed
from bot.texts import outcome_label, say


def _when(moment: datetime) -> str:
    """Slack shows this in each reader's own time zone; the fallback is UTC."""
    fallback = moment.strftime("%Y-%m-%d %H:%M UTC")
    return f"<!date^{int(moment.timestamp())}^{{date_short_pretty}} {{time}}|{fallback}>"


def _button(label: str, action: SlackId, value: str, style: str | None = None) -> dict[str, Any]:
    button = {"type": "button", "action_id": action.value, "text": plain(label), "value": value}
    return {**button, "style": style} if style else button


def _person(user_id: str | None) -> str:
    return f"<@{user_id}>" if user_id and user_id.isalnum() else say("alert.the_requester")


def _status_blocks(msg: DetractorAlert) -> Blocks:
    cid = msg.callback_id
    if msg.status is CallbackStatus.OPEN:
        claim = _button(say("alert.call_back"), SlackId.CALLBACK_CLAIM, cid, "primary")
        return [{"type": "actions", "elements": [claim]}]
    owner = _person(msg.owner_id)
    if msg.status is CallbackStatus.CLAIMED and msg.claimed_at is not None:
        since = _when(msg.claimed_at)
        text = f":telephone_receiver: {say('alert.calling_back', owner=owner, since=since)}"
        buttons = [
            _button(say("alert.done"), SlackId.CALLBACK_DONE, cid, "primary"),
            _button(say("alert.release"), SlackId.CALLBACK_RELEASE, cid),
        ]
        return [_section(text), {"type": "actions", "elements": buttons}]
    outcome = outcome_label(msg.outcome) if msg.outcome else say("alert.closed")
    took = elapsed(msg.created_at, msg.closed_at) if msg.closed_at else "?"
    closed = say("alert.closed_by", owner=owner, outcome=f"*{outcome}*", took=took)
    return [_section(f":white_check_mark: {closed}")]


def detractor_alert(msg: DetractorAlert) -> tuple[str, Blocks]:
    ticket = ticket_label(msg.ticket_id, msg.title, msg.url)
    title = f"*{say('alert.title', score=msg.score)}*"
    head = f":rotating_light: {say('alert.title_for', title=title, ticket=ticket)}"
    who = [
        f"*{say('alert.requester')}:* {_person(msg.requester_id)}",
        f"*{say('alert.agent')}:* {label(msg.agent_name or say('alert.unknown'), 200)}",
        f"*{say('alert.team')}:* {label(msg.team_label, 200)}",
        f"*{say('alert.answered')}:* {_when(msg.created_at)}",
    ]
    blocks: Blocks = [
        _section(head),
        {"type": "section", "fields": [{"type": "mrkdwn", "text": field} for field in who]},
    ]
    blocks += comment_blocks(msg.comment, msg.drivers)
    blocks += _status_blocks(msg)
    summary = alert_summary(msg.score, escape(msg.ticket_id), msg.status, msg.outcome)
    return summary, blocks


def requester_details(msg: RequesterDetails) -> tuple[str, Blocks]:
    who = f"{_person(msg.requester_id)} ({escape(msg.requester_email)})"
    ticket, done = f"*{escape(msg.ticket_id)}*", f"*{say('alert.done')}*"
    text = f"{say('details', who=who, ticket=ticket)} {say('details.done', done=done)}"
    return say("details.summary", ticket=escape(msg.ticket_id)), [_section(text)]


def outcome_modal(form: OutcomeForm, *, home: bool = False) -> dict[str, Any]:
    """`home`: opened from the App Home tab, which is redrawn once the form is sent."""
    options = [{"text": plain(outcome_label(o)), "value": o.value} for o in Outcome]
    meta = {"callback": form.callback_id} | ({"home": True} if home else {})
    notes = {
        "type": "plain_text_input",
        "action_id": SlackId.NOTES_INPUT.value,
        "multiline": True,
        "max_length": 3000,
    }
    radio = {"type": "radio_buttons", "action_id": SlackId.OUTCOME_INPUT.value, "options": options}
    blocks = [
        _section(say("outcome.question", ticket=f"*{escape(form.ticket_id)}*")),
        input_block(SlackId.OUTCOME_BLOCK, say("outcome.label"), radio, optional=False),
        input_block(SlackId.NOTES_BLOCK, say("outcome.notes"), notes),
    ]
    return modal(SlackId.OUTCOME_VIEW, meta, say("outcome.title"), say("outcome.submit"), blocks)


def callback_reminder(msg: CallbackReminder) -> tuple[str, Blocks]:
    ticket = ticket_label(msg.ticket_id, msg.title)
    who = say("reminder.escalation") if msg.level > 1 else say("reminder.reminder")
    waited = say(
        "reminder.slack",
        score=msg.score,
        team=label(msg.team_label, 200),
        ticket=ticket,
        since=_when(msg.answered_at),
    )
    text = f":alarm_clock: *{who}:* {waited}"
    claim = _button(say("alert.call_back"), SlackId.CALLBACK_CLAIM, msg.callback_id, "primary")
    blocks: Blocks = [_section(text), {"type": "actions", "elements": [claim]}]
    return say("reminder.summary", level=who, ticket=escape(msg.ticket_id)), blocks


def owner_reminder(msg: OwnerReminder) -> tuple[str, Blocks]:
    ticket = ticket_label(msg.ticket_id, msg.title)
    took = say("owner.took_on", ticket=ticket, since=_when(msg.claimed_at))
    click = say("owner.click_done", done=f"*{say('alert.done')}*")
    text = f":hourglass: {took} {click}"
    return say("owner.summary", ticket=escape(msg.ticket_id)), [_section(text)]


def lead_message(msg: DetractorAlert | CallbackReminder | OwnerReminder) -> tuple[str, Blocks]:
    match msg:
        case DetractorAlert():
            return detractor_alert(msg)
        case CallbackReminder():
            return callback_reminder(msg)
        case OwnerReminder():
            return owner_reminder(msg)
        case _:
            assert_never(msg)


def callback_list(reply: CallbackList) -> tuple[str, Blocks]:
    title = f"*{say('list.title', scope=escape(reply.scope))}* {say('list.oldest_first')}"
    if not reply.lines:
        return say("list.empty.summary"), [_section(f"{title}\n{say('list.empty')}")]
    rows = [
        "• "
        + say(
            "list.line",
            ticket=f"*{label(line.ticket_id, 80)}* {label(line.title, 80)}",
            score=line.score,
            team=label(line.team_label, 80),
            age=age(line.waited),
            owner=_owner(line.owner_id),
        )
        for line in reply.lines
    ]
    return say("list.summary", count=len(rows)), [
        _section(chunk) for chunk in chunks([title, *rows])
    ]


def _owner(owner_id: str | None) -> str:
    if not owner_id:
        return f"*{say('list.unclaimed')}*"
    return say("list.calling_back", owner=_person(owner_id))
