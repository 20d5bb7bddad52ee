"""The requester's survey on Teams: the 0–10 prompt, the thanks, and the comment form."""

from __future__ import annotations

from bot.handlers.teams.elements import (
    SCORE_ROWS,
    Card,
    Element,
    answer_blocks,
    bold,
    card,
    execute,
    ours,
    run,
    said,
    ticket_run,
)
from bot.handlers.teams.ids import Input, Verb
from bot.lost_time import CHOICES
from bot.messages import (
    CommentForm,
    ScoreThanks,
    SurveyPrompt,
    driver_question,
)
from bot.model import MAX_COMMENT_CHARS, driver_label
from bot.texts import pieces, say

SHARE_LABEL = say("form.share")


def survey_prompt(msg: SurveyPrompt) -> tuple[str, Card]:
    by = say("survey.by", agent=msg.agent_name) if msg.agent_name else ""
    ticket = ticket_run(msg.ticket_id, msg.title, msg.url)
    intro = said(
        *([run(say("survey.reminder") + " ", weight="Bolder")] if msg.reminder else []),
        *pieces("survey.intro", ticket=ticket, by=by),
    )
    team = run(msg.team_label, weight="Bolder")
    question = said(*bold(pieces("survey.question", team=team)))
    body = [intro, question, *score_rows(msg.survey_id)]
    body.append(ours(say("survey.scale"), size="Small", isSubtle=True))
    opt_out = execute(say("survey.opt_out"), Verb.OPT_OUT, {"survey": msg.survey_id})
    return say("survey.summary", ticket=msg.ticket_id), card(body, [opt_out])


def score_rows(survey_id: str, verb: Verb = Verb.SCORE, *, large: bool = True) -> list[Element]:
    """Tappable boxes rather than 11 buttons, which Teams folds into a "…" menu on phones: the
    requester's score, and the agent's guess of it (Verb.GUESS, numbers of the usual size)."""
    style = {"size": "Large"} if large else {}
    return [
        {
            "type": "ColumnSet",
            "spacing": "Small",
            "columns": [
                {
                    "type": "Column",
                    "width": "stretch",
                    "style": "emphasis",
                    "selectAction": execute(str(n), verb, {"survey": survey_id, "score": n}),
                    "items": [ours(str(n), horizontalAlignment="Center", weight="Bolder", **style)],
                }
                for n in row
            ],
        }
        for row in SCORE_ROWS
    ]


def score_thanks(msg: ScoreThanks) -> tuple[str, Card]:
    score, ticket = run(str(msg.score), weight="Bolder"), ticket_run(msg.ticket_id, msg.title)
    lead, *rest = pieces("thanks", score=score, ticket=ticket)
    body = [said(f"✅ {lead}", *rest), *answer_blocks(msg.comment, msg.drivers)]
    actions = []
    if msg.can_comment:
        label = say("comment.edit") if msg.comment or msg.drivers else say("comment.add")
        form = CommentForm(
            msg.survey_id,
            msg.ticket_id,
            msg.score,
            msg.comment,
            msg.drivers,
            msg.offered,
            msg.ask_lost_time,
            msg.lost_time,
        )
        actions.append({"type": "Action.ShowCard", "title": label, "card": _form_card(form)})
    return say("thanks", score=msg.score, ticket=msg.ticket_id), card(body, actions)


def comment_form(form: CommentForm) -> tuple[str, Card]:
    score, ticket = run(str(form.score), weight="Bolder"), run(form.ticket_id, weight="Bolder")
    head = said(*pieces("form.you_gave", score=score, ticket=ticket))
    inner = _form_card(form)
    summary = say("form.summary", ticket=form.ticket_id)
    return summary, card([head, *inner["body"]], inner["actions"])


def _form_card(form: CommentForm) -> Card:
    body = [_comment_input(form), _drivers_input(form), *_lost_time_input(form), _share_toggle()]
    send = execute(say("form.send"), Verb.COMMENT, {"survey": form.survey_id}, style="positive")
    return {"type": "AdaptiveCard", "body": body, "actions": [send]}


def _comment_input(form: CommentForm) -> Element:
    return {
        "type": "Input.Text",
        "id": Input.COMMENT.value,
        "isMultiline": True,
        "maxLength": MAX_COMMENT_CHARS,
        "label": say("form.comment"),
        "value": form.comment or "",
    }


def _drivers_input(form: CommentForm) -> Element:
    return {
        "type": "Input.ChoiceSet",
        "id": Input.DRIVERS.value,
        "isMultiSelect": True,
        "style": "expanded",
        "label": driver_question(form.score),
        "choices": [{"title": driver_label(d), "value": d} for d in form.offered],
        "value": ",".join(d for d in form.drivers if d in form.offered),
    }


def _share_toggle() -> Element:
    return {
        "type": "Input.Toggle",
        "id": Input.SHARE.value,
        "title": SHARE_LABEL,
        "valueOn": "true",
        "valueOff": "false",
        "value": "false",
    }


def _lost_time_input(form: CommentForm) -> list[Element]:
    if not form.ask_lost_time:
        return []
    choices = [{"title": say(text), "value": key} for key, text, _hours in CHOICES]
    return [
        {
            "type": "Input.ChoiceSet",
            "id": Input.LOST_TIME.value,
            "style": "compact",
            "label": say("lost_time.question"),
            "choices": choices,
            "value": form.lost_time or "",
        }
    ]
