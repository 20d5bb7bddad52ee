"""Block Kit for the App Home tab: one `home` view laid out from a HomePage. Pure."""

from __future__ import annotations

from typing import Any

from bot import home
from bot.handlers.slack.block_kit import (
    Blocks,
    context,
    escape,
    label,
    plain,
    section,
    ticket_label,
)
from bot.handlers.slack.ids import HOME_SELF, SlackId, score_action_id, score_value
from bot.handlers.slack.render_alerts import _button, _owner
from bot.handlers.slack.render_reports import teams_overview
from bot.messages import SurveyPrompt
from bot.report_text import age
from bot.texts import say

MAX_HOME_BLOCKS = 100  # Slack's limit for a Home tab view (a message holds 50)


def _header(text: str) -> dict[str, Any]:
    return {"type": "header", "text": plain(text, 150)}


def _survey(prompt: SurveyPrompt) -> Blocks:
    by = say("survey.by", agent=label(prompt.agent_name, 200)) if prompt.agent_name else ""
    ticket = ticket_label(prompt.ticket_id, prompt.title, prompt.url)
    question = say("survey.question", team=label(prompt.team_label, 200))
    intro = f"{say('survey.intro', ticket=ticket, by=by)}\n{question}"
    buttons = [
        {
            "type": "button",
            "action_id": score_action_id(n),
            "text": plain(str(n)),
            "value": score_value(prompt.survey_id, n),
        }
        for n in range(11)
    ]
    # Block ids are unique per view: one score row per survey.
    block_id = f"{SlackId.SCORE_BLOCK.value}.{prompt.survey_id}"
    return [section(intro), {"type": "actions", "block_id": block_id, "elements": buttons}]


def _opt_switch(page: home.HomePage) -> Blocks:
    if page.opted_out is None:
        return [context(escape(say("home.unknown_person")))]
    if page.opted_out:
        text, label, action = say("home.opted_out"), say("home.opt_in"), SlackId.HOME_OPT_IN
    else:
        text, label, action = say("home.opted_in"), say("survey.opt_out"), SlackId.HOME_OPT_OUT
    block = section(escape(text))
    return [{**block, "accessory": _button(label, action, HOME_SELF)}]


def _surveys(page: home.HomePage) -> Blocks:
    blocks: Blocks = [_header(say("home.surveys"))]
    for prompt in page.pending:
        blocks += _survey(prompt)
    if not page.pending:
        blocks.append(context(escape(say("home.no_surveys"))))
    return [*blocks, *_opt_switch(page)]


def _callback(line: home.HomeCallback) -> Blocks:
    text = say(
        "list.line",
        ticket=ticket_label(line.ticket_id, line.title),
        score=line.score,
        team=label(line.team_label, 200),
        age=age(line.waited),
        owner=_owner(line.owner_id),
    )
    if line.requester_email:
        text += "\n" + say("home.call", email=escape(line.requester_email))
    buttons = []
    if line.may_claim:
        buttons.append(
            _button(say("alert.call_back"), SlackId.CALLBACK_CLAIM, line.callback_id, "primary")
        )
    if line.may_close:
        buttons += [
            _button(say("alert.done"), SlackId.CALLBACK_DONE, line.callback_id, "primary"),
            _button(say("alert.release"), SlackId.CALLBACK_RELEASE, line.callback_id),
        ]
    actions = [{"type": "actions", "elements": buttons}] if buttons else []
    return [section(text), *actions]


def _callbacks(page: home.HomePage, room: int) -> Blocks:
    blocks: Blocks = [_header(say("home.callbacks"))]
    if not page.callbacks:
        return [*blocks, context(escape(say("home.no_callbacks")))]
    for i, line in enumerate(page.callbacks):
        drawn, left = _callback(line), len(page.callbacks) - i
        # While others follow, keep one block free for the "and N more" line.
        if len(blocks) + len(drawn) + (left > 1) > room:
            return [*blocks, context(escape(say("home.more_callbacks", count=left)))]
        blocks += drawn
    return blocks


def home_view(page: home.HomePage, notice: str | None = None) -> dict[str, Any]:
    """`notice`: what an action taken on the tab answered (a refusal), shown on top."""
    blocks = [context(escape(notice))] if notice else []
    blocks += _surveys(page)
    if page.teams is not None:
        blocks += [{"type": "divider"}, *teams_overview(page.teams)[1]]
    if page.lead:
        blocks.append({"type": "divider"})
        blocks += _callbacks(page, MAX_HOME_BLOCKS - len(blocks))
    return {"type": "home", "blocks": blocks[:MAX_HOME_BLOCKS]}
