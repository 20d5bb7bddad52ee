"""Block Kit for the agent's guess: the 0–10 question and its answered form. Pure."""

from __future__ import annotations

from bot import report_text
from bot.guess_messages import GuessPrompt, GuessThanks
from bot.handlers.slack.ids import SlackId, guess_action_id, score_value
from bot.handlers.slack.render import Blocks, escape, section


def guess_message(msg: GuessPrompt | GuessThanks) -> tuple[str, Blocks]:
    if isinstance(msg, GuessThanks):
        text = report_text.guess_thanks(msg.ticket_id, msg.requester_name, msg.score)
        return text, [section(escape(text))]
    question = report_text.guess_question(msg.ticket_id, msg.requester_name)
    buttons = [
        {
            "type": "button",
            "action_id": guess_action_id(n),
            "text": {"type": "plain_text", "text": str(n)},
            "value": score_value(msg.survey_id, n),
        }
        for n in range(11)
    ]
    blocks: Blocks = [
        section(escape(question)),
        {"type": "actions", "block_id": SlackId.GUESS_BLOCK.value, "elements": buttons},
    ]
    return escape(question), blocks
