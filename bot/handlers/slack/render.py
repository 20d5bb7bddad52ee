"""Block Kit for each neutral message. Pure: values in, JSON-ready dicts out."""

from __future__ import annotations

import json
from typing import Any, assert_never

from bot.gap_messages import GapReport
from bot.guess_messages import GuessPrompt, GuessThanks
from bot.handlers.slack.ids import SlackId, score_action_id, score_value
from bot.lost_time import CHOICES
from bot.messages import (
    CallbackList,
    CallbackReminder,
    CommentForm,
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
    driver_question,
)
from bot.model import MAX_COMMENT_CHARS, driver_label
from bot.report_messages import (
    AgentReport,
    DriverReport,
    TeamReport,
    TeamsOverview,
    ThemeReport,
    WeeklyDigest,
)
from bot.texts import say

Blocks = list[dict[str, Any]]
SHOWN_COMMENT_CHARS = 2800  # a section holds 3,000 characters; keep room for the framing
SHARE_LABEL = say("form.share")


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


# Slack's mrkdwn has no escape for its markers: in a name or a title they are swapped for
# look-alikes, so "Printer *on fire*" inside the bold ticket label cannot end the bold early.
_INERT = str.maketrans({"*": "∗", "_": "ˍ", "~": "∼", "`": "ˋ"})


def label(text: str, limit: int = 500) -> str:
    """A name or a title from outside, for mrkdwn: escaped, cut with "…", and without markers."""
    return fit(text, limit).translate(_INERT)


def unescape(text: str) -> str:
    return text.replace("&gt;", ">").replace("&lt;", "<").replace("&amp;", "&")


def chunks(lines: list[str], limit: int = 2900) -> list[str]:
    """Whole lines per section: a section holds 3,000 characters and must not cut an entity."""
    out: list[str] = []
    for line in lines:
        if out and len(out[-1]) + len(line) + 1 <= limit:
            out[-1] += "\n" + line
        else:
            out.append(line[:limit])
    return out


def _plain(text: str, limit: int = 75) -> dict[str, Any]:
    return {"type": "plain_text", "text": text[:limit], "emoji": True}


def context(mrkdwn: str) -> dict[str, Any]:
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": mrkdwn[:3000]}]}


def section(mrkdwn: str) -> dict[str, Any]:
    return {"type": "section", "text": {"type": "mrkdwn", "text": mrkdwn[:3000]}}


def _ticket_label(ticket_id: str, title: str, url: str | None = None, limit: int = 500) -> str:
    text = label(f"{ticket_id} {title}", limit)
    if url and url.startswith(("https://", "http://")) and "|" not in url and ">" not in url:
        return f"<{escape(url)}|{text}>"
    return f"*{text}*"


def _intro(msg: SurveyPrompt, by: str, nudge: str, question: str) -> str:
    """The ticket linked when the whole fits in a section; a link too long to leave room for
    the question (a section holds 3,000 characters) gives way to the plain label."""

    def written(url: str | None) -> str:
        ticket = _ticket_label(msg.ticket_id, msg.title, url, 300)
        return f"{nudge}{say('survey.intro', ticket=ticket, by=by)}\n{question}"

    linked = written(msg.url)
    return linked if len(linked) <= 3000 else written(None)


def survey_prompt(msg: SurveyPrompt) -> tuple[str, Blocks]:
    by = say("survey.by", agent=label(msg.agent_name, 200)) if msg.agent_name else ""
    nudge = f"*{say('survey.reminder')}* " if msg.reminder else ""
    question = f"*{say('survey.question', team=label(msg.team_label, 200))}*"
    intro = _intro(msg, by, nudge, question)
    blocks: Blocks = [
        section(intro),
        {
            "type": "actions",
            "block_id": SlackId.SCORE_BLOCK.value,
            "elements": _score_buttons(msg.survey_id),
        },
        {"type": "context", "elements": [{"type": "mrkdwn", "text": say("survey.scale")}]},
        {"type": "actions", "elements": [_opt_out_button(msg.survey_id)]},
    ]
    return say("survey.summary", ticket=escape(msg.ticket_id)), blocks


def _score_buttons(survey_id: str) -> Blocks:
    return [
        {
            "type": "button",
            "action_id": score_action_id(n),
            "text": _plain(str(n)),
            "value": score_value(survey_id, n),
        }
        for n in range(11)
    ]


def _opt_out_button(survey_id: str) -> dict[str, Any]:
    return {
        "type": "button",
        "action_id": SlackId.OPT_OUT.value,
        "value": survey_id,
        "text": _plain(say("survey.opt_out")),
    }


def score_thanks(msg: ScoreThanks) -> tuple[str, Blocks]:
    ticket = _ticket_label(msg.ticket_id, msg.title)
    blocks: Blocks = [
        section(f":white_check_mark: {say('thanks', score=f'*{msg.score}*', ticket=ticket)}")
    ]
    blocks += comment_blocks(msg.comment, msg.drivers)
    if msg.can_comment:
        label = say("comment.edit") if msg.comment or msg.drivers else say("comment.add")
        button = {
            "type": "button",
            "action_id": SlackId.COMMENT_OPEN.value,
            "text": _plain(label),
            "value": msg.survey_id,
        }
        blocks.append({"type": "actions", "elements": [button]})
    return say("thanks", score=msg.score, ticket=escape(msg.ticket_id)), blocks


def comment_blocks(comment: str | None, drivers: tuple[str, ...]) -> Blocks:
    """What a requester wrote and ticked, shown back escaped, wherever an answer is shown."""
    blocks: Blocks = [section(quote(comment))] if comment else []
    if drivers:
        labels = ", ".join(driver_label(d) for d in drivers)
        text = {"type": "mrkdwn", "text": say("comment.drivers", drivers=labels)}
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
    text = say("closed", ticket=_ticket_label(msg.ticket_id, msg.title))
    return say("closed.summary", ticket=escape(msg.ticket_id)), [section(text)]


def praise(msg: Praise) -> tuple[str, Blocks]:
    ticket = _ticket_label(msg.ticket_id, msg.title)
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
    about = say("opted_out.about", ticket=_ticket_label(msg.ticket_id, msg.title))
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


def _you_gave(form: CommentForm) -> str:
    return say("form.you_gave", score=f"*{form.score}*", ticket=f"*{escape(form.ticket_id)}*")


def comment_modal(form: CommentForm) -> dict[str, Any]:
    blocks = [
        section(_you_gave(form)),
        _comment_input(form),
        _drivers_input(form),
        *_lost_time_block(form),
        _share_input(),
    ]
    meta = {"survey": form.survey_id}
    return modal(SlackId.COMMENT_VIEW, meta, say("form.title"), say("form.send"), blocks)


def modal(
    view: SlackId, meta: dict[str, Any], title: str, submit: str, blocks: Blocks
) -> dict[str, Any]:
    """A form: its blocks, sent with `submit`, closed with Cancel; `meta` comes back with it."""
    return {
        "type": "modal",
        "callback_id": view.value,
        "private_metadata": json.dumps(meta),
        "title": _plain(title, 24),
        "submit": _plain(submit, 24),
        "close": _plain(say("form.cancel"), 24),
        "blocks": blocks,
    }


def input_block(
    block: SlackId, text: str, element: dict[str, Any], *, optional: bool = True
) -> dict[str, Any]:
    head = {"type": "input", "block_id": block.value} | ({"optional": True} if optional else {})
    return head | {"label": _plain(text, 2000), "element": element}


def _comment_input(form: CommentForm) -> dict[str, Any]:
    text_input: dict[str, Any] = {
        "type": "plain_text_input",
        "action_id": SlackId.COMMENT_INPUT.value,
        "multiline": True,
        "max_length": MAX_COMMENT_CHARS,
    }
    if form.comment:
        text_input["initial_value"] = form.comment
    return input_block(SlackId.COMMENT_BLOCK, say("form.comment"), text_input)


def _drivers_input(form: CommentForm) -> dict[str, Any]:
    options = [{"text": _plain(driver_label(d)), "value": d} for d in form.offered]
    checkboxes: dict[str, Any] = {
        "type": "checkboxes",
        "action_id": SlackId.DRIVERS_INPUT.value,
        "options": options,
    }
    chosen = [o for o in options if o["value"] in form.drivers]
    if chosen:
        checkboxes["initial_options"] = chosen
    return input_block(SlackId.DRIVERS_BLOCK, driver_question(form.score), checkboxes)


def _share_input() -> dict[str, Any]:
    checkbox = {"text": _plain(SHARE_LABEL, 150), "value": "yes"}
    element = {"type": "checkboxes", "action_id": SlackId.SHARE_INPUT.value, "options": [checkbox]}
    return input_block(SlackId.SHARE_BLOCK, say("form.sharing"), element)


def _lost_time_block(form: CommentForm) -> Blocks:
    """nps.toml `ask_lost_time`: one of the choices, or none picked."""
    if not form.ask_lost_time:
        return []
    options = [{"text": _plain(say(text)), "value": key} for key, text, _hours in CHOICES]
    element: dict[str, Any] = {
        "type": "radio_buttons",
        "action_id": SlackId.LOST_TIME_INPUT.value,
        "options": options,
    }
    chosen = [o for o in options if o["value"] == form.lost_time]
    if chosen:
        element["initial_option"] = chosen[0]
    return [input_block(SlackId.LOST_TIME_BLOCK, say("lost_time.question"), element)]


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
        case _:
            assert_never(reply)
