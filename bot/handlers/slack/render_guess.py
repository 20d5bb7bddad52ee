"""Block Kit for the agent's guess: the 0–10 question and its answered form. Pure."""

from __future__ import annotations

from bot import gap_text
from bot.guess_messages import GuessPrompt, GuessThanks
from bot.handlers.slack.block_kit import Blocks, escape, label, section
from bot.handlers.slack.ids import SlackId, guess_action_id, score_value

NAME_CHARS = 80


def _names(msg: GuessPrompt | GuessThanks) -> tuple[str, str | None]:
    """The ticket id and the requester's name come from outside: no marker of theirs may act."""
    name = label(msg.requester_name, NAME_CHARS) if msg.requester_name else None
    return label(msg.ticket_id, NAME_CHARS), name


def guess_message(msg: GuessPrompt | GuessThanks) -> tuple[str, Blocks]:
    if isinstance(msg, GuessThanks):
        shown = gap_text.guess_thanks(*_names(msg), msg.score)
        text = gap_text.guess_thanks(msg.ticket_id, msg.requester_name, msg.score)
        return escape(text), [section(shown)]
    question = gap_text.guess_question(msg.ticket_id, msg.requester_name)
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
        section(gap_text.guess_question(*_names(msg))),
        {"type": "actions", "block_id": SlackId.GUESS_BLOCK.value, "elements": buttons},
    ]
    return escape(question), blocks
