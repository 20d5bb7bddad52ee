"""The requester's survey on Slack: the 0–10 prompt, the thanks, and the comment modal."""

from __future__ import annotations

from typing import Any

from bot.handlers.slack.block_kit import (
    Blocks,
    comment_blocks,
    escape,
    input_block,
    label,
    modal,
    plain,
    section,
    ticket_label,
)
from bot.handlers.slack.ids import SlackId, score_action_id, score_value
from bot.lost_time import CHOICES
from bot.messages import (
    CommentForm,
    ScoreThanks,
    SurveyPrompt,
    driver_question,
)
from bot.model import MAX_COMMENT_CHARS, driver_label
from bot.texts import say

SHARE_LABEL = say("form.share")


def _intro(msg: SurveyPrompt, by: str, nudge: str, question: str) -> str:
    """The ticket linked when the whole fits in a section; a link too long to leave room for
    the question (a section holds 3,000 characters) gives way to the plain label."""

    def written(url: str | None) -> str:
        ticket = ticket_label(msg.ticket_id, msg.title, url, 300)
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
            "text": plain(str(n)),
            "value": score_value(survey_id, n),
        }
        for n in range(11)
    ]


def _opt_out_button(survey_id: str) -> dict[str, Any]:
    return {
        "type": "button",
        "action_id": SlackId.OPT_OUT.value,
        "value": survey_id,
        "text": plain(say("survey.opt_out")),
    }


def score_thanks(msg: ScoreThanks) -> tuple[str, Blocks]:
    ticket = ticket_label(msg.ticket_id, msg.title)
    blocks: Blocks = [
        section(f":white_check_mark: {say('thanks', score=f'*{msg.score}*', ticket=ticket)}")
    ]
    blocks += comment_blocks(msg.comment, msg.drivers)
    if msg.can_comment:
        label = say("comment.edit") if msg.comment or msg.drivers else say("comment.add")
        button = {
            "type": "button",
            "action_id": SlackId.COMMENT_OPEN.value,
            "text": plain(label),
            "value": msg.survey_id,
        }
        blocks.append({"type": "actions", "elements": [button]})
    return say("thanks", score=msg.score, ticket=escape(msg.ticket_id)), blocks


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
    options = [{"text": plain(driver_label(d)), "value": d} for d in form.offered]
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
    checkbox = {"text": plain(SHARE_LABEL, 150), "value": "yes"}
    element = {"type": "checkboxes", "action_id": SlackId.SHARE_INPUT.value, "options": [checkbox]}
    return input_block(SlackId.SHARE_BLOCK, say("form.sharing"), element)


def _lost_time_block(form: CommentForm) -> Blocks:
    """nps.toml `ask_lost_time`: one of the choices, or none picked."""
    if not form.ask_lost_time:
        return []
    options = [{"text": plain(say(text)), "value": key} for key, text, _hours in CHOICES]
    element: dict[str, Any] = {
        "type": "radio_buttons",
        "action_id": SlackId.LOST_TIME_INPUT.value,
        "options": options,
    }
    chosen = [o for o in options if o["value"] == form.lost_time]
    if chosen:
        element["initial_option"] = chosen[0]
    return [input_block(SlackId.LOST_TIME_BLOCK, say("lost_time.question"), element)]
