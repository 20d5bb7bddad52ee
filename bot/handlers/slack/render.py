"""Block Kit for each neutral message. Pure: values in, JSON-ready dicts out."""

from __future__ import annotations

import json
from typing import Any

from bot.gap_messages import GapReport
from bot.guess_messages import GuessPrompt, GuessThanks
from bot.handlers.slack.ids import SlackId, score_action_id, score_value
from bot.lost_time import CHOICES, LOST_TIME_QUESTION
from bot.messages import (
    CallbackList,
    CallbackReminder,
    CommentForm,
    DetractorAlert,
    DriverReport,
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
    TeamReport,
    TeamsOverview,
    WeeklyDigest,
    driver_question,
)
from bot.model import MAX_COMMENT_CHARS, driver_label

Blocks = list[dict[str, Any]]
SHOWN_COMMENT_CHARS = 2800  # a section holds 3,000 characters; keep room for the framing
SHARE_LABEL = "You may share this comment with the team (without my name)"


def escape(text: str) -> str:
    """Slack's three control characters; with them escaped, no mention or link can form."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def fit(text: str, limit: int) -> str:
    """Escapes `text` and cuts it to `limit` characters with "…", never inside an entity."""
    escaped = escape(text)
    if len(escaped) <= limit:
        return escaped
    out, used = [], 1  # room for the ellipsis
    for char in text:
        piece = escape(char)
        if used + len(piece) > limit:
            break
        out.append(piece)
        used += len(piece)
    return "".join(out) + "…"


def unescape(text: str) -> str:
    return text.replace("&gt;", ">").replace("&lt;", "<").replace("&amp;", "&")


def _plain(text: str, limit: int = 75) -> dict[str, Any]:
    return {"type": "plain_text", "text": text[:limit], "emoji": True}


def context(mrkdwn: str) -> dict[str, Any]:
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": mrkdwn[:3000]}]}


def section(mrkdwn: str) -> dict[str, Any]:
    return {"type": "section", "text": {"type": "mrkdwn", "text": mrkdwn[:3000]}}


def _ticket_label(ticket_id: str, title: str, url: str | None = None) -> str:
    label = fit(f"{ticket_id} {title}", 500)
    if url and url.startswith(("https://", "http://")) and "|" not in url and ">" not in url:
        return f"<{escape(url)}|{label}>"
    return f"*{label}*"


def survey_prompt(msg: SurveyPrompt) -> tuple[str, Blocks]:
    by = f" by {escape(msg.agent_name)}" if msg.agent_name else ""
    nudge = "*A quick reminder:* " if msg.reminder else ""
    intro = (
        f"{nudge}Your ticket {_ticket_label(msg.ticket_id, msg.title, msg.url)} was closed{by}.\n"
        f"*How likely are you to recommend {escape(msg.team_label)} to a colleague?*"
    )
    buttons = [
        {"type": "button", "action_id": score_action_id(n), "text": _plain(str(n)),
         "value": score_value(msg.survey_id, n)}
        for n in range(11)
    ]  # fmt: skip
    blocks: Blocks = [
        section(intro),
        {"type": "actions", "block_id": SlackId.SCORE_BLOCK.value, "elements": buttons},
        {"type": "context", "elements": [
            {"type": "mrkdwn", "text": "0 = not at all likely · 10 = extremely likely"}]},
        {"type": "actions", "elements": [
            {"type": "button", "action_id": SlackId.OPT_OUT.value, "value": msg.survey_id,
             "text": _plain("Don't ask me again")}]},
    ]  # fmt: skip
    return f"How did it go with {escape(msg.ticket_id)}? Rate it 0–10.", blocks


def score_thanks(msg: ScoreThanks) -> tuple[str, Blocks]:
    ticket = _ticket_label(msg.ticket_id, msg.title)
    blocks: Blocks = [
        section(f":white_check_mark: Thank you! You gave *{msg.score}* for {ticket}.")
    ]
    blocks += comment_blocks(msg.comment, msg.drivers)
    if msg.can_comment:
        label = "Edit your comment" if msg.comment or msg.drivers else "Add a comment"
        button = {"type": "button", "action_id": SlackId.COMMENT_OPEN.value,
                  "text": _plain(label), "value": msg.survey_id}  # fmt: skip
        blocks.append({"type": "actions", "elements": [button]})
    return f"Thank you! You gave {msg.score} for {escape(msg.ticket_id)}.", blocks


def comment_blocks(comment: str | None, drivers: tuple[str, ...]) -> Blocks:
    """What a requester wrote and ticked, shown back escaped, wherever an answer is shown."""
    blocks: Blocks = [section(quote(comment))] if comment else []
    if drivers:
        labels = ", ".join(driver_label(d) for d in drivers)
        text = {"type": "mrkdwn", "text": f"What mattered: {labels}"}
        blocks.append({"type": "context", "elements": [text]})
    return blocks


def quote(comment: str) -> str:
    lines = comment.splitlines() or [""]
    # Every line costs "> " and a newline; what is left is shared out in order.
    budget = SHOWN_COMMENT_CHARS - 3 * min(len(lines), 200)
    shown = []
    for line in lines:
        if budget <= 1:
            break
        piece = fit(line, budget)
        shown.append("> " + piece)
        budget -= len(piece)
    return "\n".join(shown) or "> …"


def survey_closed(msg: SurveyClosed) -> tuple[str, Blocks]:
    text = (
        f"This survey about {_ticket_label(msg.ticket_id, msg.title)} has closed. Thank you anyway!"
    )
    return f"This survey about {escape(msg.ticket_id)} has closed.", [section(text)]


def praise(msg: Praise) -> tuple[str, Blocks]:
    ticket = _ticket_label(msg.ticket_id, msg.title)
    agent = f"<@{msg.agent_id}>" if msg.agent_id else escape(msg.agent_name or "the agent")
    if msg.for_team:
        head = f":tada: *Kudos to {agent}!* A requester gave {msg.score}/10 for {ticket}:"
    else:
        head = f":tada: A requester gave you {msg.score}/10 for {ticket} and wrote:"
    return f"Praise for {escape(msg.ticket_id)}", [section(head), section(quote(msg.comment))]


def survey_opted_out(msg: SurveyOptedOut) -> tuple[str, Blocks]:
    text = (
        f"Understood: you won't be asked about your tickets any more. "
        f"(This was about {_ticket_label(msg.ticket_id, msg.title)}.) "
        "Changed your mind? Type `/nps optin`."
    )
    return "You won't be asked again.", [section(text)]


def message(msg: OutboundMessage) -> tuple[str, Blocks]:
    if isinstance(msg, SurveyPrompt):
        return survey_prompt(msg)
    if isinstance(msg, ScoreThanks):
        return score_thanks(msg)
    if isinstance(msg, DetractorAlert | CallbackReminder | OwnerReminder):
        from bot.handlers.slack import render_alerts

        return render_alerts.lead_message(msg)
    if isinstance(msg, SurveyOptedOut):
        return survey_opted_out(msg)
    if isinstance(msg, MessageRemoved):
        return msg.text, [section(escape(msg.text))]
    if isinstance(msg, Praise):
        return praise(msg)
    if isinstance(msg, WeeklyDigest):
        from bot.handlers.slack import render_reports

        return render_reports.digest(msg)
    if isinstance(msg, GuessPrompt | GuessThanks):
        from bot.handlers.slack import render_guess

        return render_guess.guess_message(msg)
    return survey_closed(msg)


def notice(msg: Notice) -> tuple[str, Blocks]:
    return msg.text, [section(escape(msg.text))]


def comment_modal(form: CommentForm) -> dict[str, Any]:
    options = [{"text": _plain(driver_label(d)), "value": d} for d in form.offered]
    checkboxes: dict[str, Any] = {"type": "checkboxes", "action_id": SlackId.DRIVERS_INPUT.value,
                                  "options": options}  # fmt: skip
    chosen = [o for o in options if o["value"] in form.drivers]
    if chosen:
        checkboxes["initial_options"] = chosen
    text_input: dict[str, Any] = {
        "type": "plain_text_input", "action_id": SlackId.COMMENT_INPUT.value, "multiline": True,
        "max_length": MAX_COMMENT_CHARS,
    }  # fmt: skip
    if form.comment:
        text_input["initial_value"] = form.comment
    return {
        "type": "modal",
        "callback_id": SlackId.COMMENT_VIEW.value,
        "private_metadata": json.dumps({"survey": form.survey_id}),
        "title": _plain("Tell us more", 24),
        "submit": _plain("Send", 24),
        "close": _plain("Cancel", 24),
        "blocks": [
            section(f"You gave *{form.score}* for *{escape(form.ticket_id)}*."),
            {"type": "input", "block_id": SlackId.COMMENT_BLOCK.value, "optional": True,
             "label": _plain("Anything you want to add?", 2000), "element": text_input},
            {"type": "input", "block_id": SlackId.DRIVERS_BLOCK.value, "optional": True,
             "label": _plain(driver_question(form.score), 2000), "element": checkboxes},
            *_lost_time_block(form),
            {"type": "input", "block_id": SlackId.SHARE_BLOCK.value, "optional": True,
             "label": _plain("Sharing", 2000),
             "element": {"type": "checkboxes", "action_id": SlackId.SHARE_INPUT.value,
                         "options": [{"text": _plain(SHARE_LABEL, 150), "value": "yes"}]}},
        ],
    }  # fmt: skip


def _lost_time_block(form: CommentForm) -> Blocks:
    """nps.toml `ask_lost_time`: one of the choices, or none picked."""
    if not form.ask_lost_time:
        return []
    options = [{"text": _plain(label), "value": key} for key, label, _hours in CHOICES]
    element: dict[str, Any] = {
        "type": "radio_buttons", "action_id": SlackId.LOST_TIME_INPUT.value, "options": options,
    }  # fmt: skip
    chosen = [o for o in options if o["value"] == form.lost_time]
    if chosen:
        element["initial_option"] = chosen[0]
    block = {"type": "input", "block_id": SlackId.LOST_TIME_BLOCK.value, "optional": True,
             "label": _plain(LOST_TIME_QUESTION, 2000), "element": element}  # fmt: skip
    return [block]


def command_reply(reply: Reply) -> tuple[str, Blocks]:
    from bot.handlers.slack import render_alerts, render_reports

    if isinstance(reply, Notice):
        # Help text is ours, written in mrkdwn; it holds no user input beyond a quoted word.
        return reply.text, [section(reply.text)]
    if isinstance(reply, CallbackList):
        return render_alerts.callback_list(reply)
    if isinstance(reply, TeamReport):
        return render_reports.team_report(reply)
    if isinstance(reply, TeamsOverview):
        return render_reports.teams_overview(reply)
    if isinstance(reply, DriverReport):
        return render_reports.driver_report(reply)
    if isinstance(reply, GapReport):
        return render_reports.gap_report(reply)
    return render_reports.agent_report(reply)
