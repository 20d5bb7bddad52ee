"""Adaptive Cards (1.5) for each neutral message. Pure: values in, JSON-ready dicts out.

Teams renders a Markdown subset in TextBlock (and FactSet) text, so a title, a comment or a
name from outside could make links or formatting there. Text that is not ours only ever goes
into a TextRun of a RichTextBlock, which Teams shows verbatim (reliability.md §4.6).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any, assert_never
from urllib.parse import quote

from bot import gap_text
from bot.guess_messages import GuessPrompt, GuessThanks
from bot.handlers.teams.ids import Input, Verb
from bot.lost_time import CHOICES
from bot.messages import (
    CallbackReminder,
    CommentForm,
    DetractorAlert,
    MessageRemoved,
    Notice,
    OutboundMessage,
    OwnerReminder,
    Praise,
    ScoreThanks,
    SurveyClosed,
    SurveyOptedOut,
    SurveyPrompt,
    driver_question,
)
from bot.model import MAX_COMMENT_CHARS, driver_label
from bot.report_messages import WeeklyDigest
from bot.texts import pieces, say

Card = dict[str, Any]
Element = dict[str, Any]
People = Mapping[str, str]  # Teams user id (AAD object id) → display name, for mentions
CARD_CONTENT_TYPE = "application/vnd.microsoft.card.adaptive"
SCORE_ROWS = ((0, 1, 2, 3, 4, 5), (6, 7, 8, 9, 10))  # two rows: a thumb hits each on a phone
SHARE_LABEL = say("form.share")
# Teams refuses a message over about 28 KB, and the connector sends JSON with every non-ASCII
# character escaped (\uXXXX, six bytes): shown text is cut to a budget of escaped bytes.
SHOWN_COMMENT_CHARS = 1000
SHOWN_COMMENT_BYTES = 4000
MAX_LINK_CHARS = 2000  # a longer ticket link is left out: it would take the card's room
URI_KEEP = ":/?#[]@!$&'()*+,;=%~"  # RFC 3986 reserved characters and "%": kept as they are


def card(body: list[Element], actions: list[Element] | None = None, **msteams: Any) -> Card:
    built: Card = {
        "type": "AdaptiveCard",
        "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
        "version": "1.5",
        "body": body,
        "msteams": {"width": "Full", **msteams},
    }
    if actions:
        built["actions"] = actions
    return built


def ours(text: str, **style: Any) -> Element:
    """Our own wording, where Teams' Markdown subset (bold, lists) may be used."""
    return {"type": "TextBlock", "text": text, "wrap": True, **style}


def run(text: str, **style: Any) -> Element:
    return {"type": "TextRun", "text": text, **style}


def said(*runs: Element | str) -> Element:
    """Text that is not (only) ours: shown verbatim, never parsed as Markdown."""
    inlines = [run(r) if isinstance(r, str) else r for r in runs]
    return {"type": "RichTextBlock", "inlines": inlines}


def execute(title: str, verb: Verb, data: dict[str, Any], **extra: Any) -> Element:
    """Universal Action, with a Submit fallback for clients that predate Action.Execute."""
    return {
        "type": "Action.Execute",
        "title": title,
        "verb": verb.value,
        "data": data,
        **extra,
        "fallback": {"type": "Action.Submit", "title": title, "data": {**data, "verb": verb.value}},
    }


def clip(text: str, chars: int, budget: int) -> str:
    """At most `chars` characters and `budget` bytes once JSON-escaped, "…" where cut."""
    if len(text) <= chars and len(json.dumps(text)) - 2 <= budget:
        return text
    out, used = [], 3  # the ellipsis, escaped
    for char in text[: chars - 1]:
        used += len(json.dumps(char)) - 2
        if used > budget:
            break
        out.append(char)
    return "".join(out) + "…"


def ticket_run(ticket_id: str, title: str, url: str | None = None) -> Element:
    label = run(clip(f"{ticket_id} {title}", 300, 1200), weight="Bolder")
    link = web_link(url)
    if link is not None:
        label["selectAction"] = {"type": "Action.OpenUrl", "url": link}
    return label


def web_link(url: str | None) -> str | None:
    """An http(s) URL as a valid URI: what may not stand in one (`<>|"`, spaces, non-ASCII) is
    percent-encoded, as a browser would send it; None if it is no web URL or too long to carry."""
    if not url or not url.startswith(("https://", "http://")):
        return None
    encoded = quote(url, safe=URI_KEEP)
    return encoded if len(encoded) <= MAX_LINK_CHARS else None


def mention(user_id: str | None, people: People, fallback: str) -> tuple[str, list[Element]]:
    """`<at>Name</at>` and its entity; without a known name, plain words and no entity."""
    # Only word characters survive: a mention sits in Markdown-parsed text (a TextBlock).
    raw = people.get(user_id, "") if user_id else ""
    name = " ".join("".join(c for c in raw if c.isalnum() or c in " .'-").split())[:100]
    if not name or user_id is None:
        return fallback, []
    text = f"<at>{name}</at>"
    return text, [{"type": "mention", "text": text, "mentioned": {"id": user_id, "name": name}}]


def when(moment_iso: str) -> str:
    """Shown in each reader's own time zone by the Teams client."""
    return f"{{{{DATE({moment_iso}, SHORT)}}}} {{{{TIME({moment_iso})}}}}"


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


def bold(parts: list[str | Element]) -> list[Element]:
    return [run(p, weight="Bolder") if isinstance(p, str) else p for p in parts]


def score_rows(survey_id: str) -> list[Element]:
    """Tappable boxes rather than 11 buttons, which Teams folds into a "…" menu on phones."""
    return [
        {
            "type": "ColumnSet",
            "spacing": "Small",
            "columns": [
                {
                    "type": "Column",
                    "width": "stretch",
                    "style": "emphasis",
                    "selectAction": execute(str(n), Verb.SCORE, {"survey": survey_id, "score": n}),
                    "items": [
                        ours(str(n), horizontalAlignment="Center", weight="Bolder", size="Large")
                    ],
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


def answer_blocks(comment: str | None, drivers: tuple[str, ...]) -> list[Element]:
    """What a requester wrote and ticked, shown back verbatim wherever an answer is shown."""
    shown = clip(comment, SHOWN_COMMENT_CHARS, SHOWN_COMMENT_BYTES) if comment else None
    blocks = [said(run(shown, italic=True))] if shown else []
    if drivers:
        labels = ", ".join(driver_label(d) for d in drivers)
        blocks.append(ours(say("comment.drivers", drivers=labels), isSubtle=True))
    return blocks


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


def survey_closed(msg: SurveyClosed) -> tuple[str, Card]:
    body = [said(*pieces("closed", ticket=ticket_run(msg.ticket_id, msg.title)))]
    return say("closed.summary", ticket=msg.ticket_id), card(body)


def survey_opted_out(msg: SurveyOptedOut) -> tuple[str, Card]:
    lead, *rest = pieces("opted_out.about", ticket=ticket_run(msg.ticket_id, msg.title))
    body = [
        said(f"{say('opted_out')} {lead}", *rest),
        ours(say("opted_out.teams"), isSubtle=True),
    ]
    return say("opted_out.summary"), card(body)


def praise(msg: Praise, people: People) -> tuple[str, Card]:
    ticket = ticket_run(msg.ticket_id, msg.title)
    summary = say("praise.summary", ticket=msg.ticket_id)
    if not msg.for_team:
        lead, *rest = pieces("praise.to_agent", score=str(msg.score), ticket=ticket)
        body = [said(f"🎉 {lead}", *rest)]
        return summary, card([*body, *answer_blocks(msg.comment, ())])
    agent, entities = mention(msg.agent_id, people, "")
    if agent:
        head = ours(f"🎉 **{say('praise.kudos', agent=agent)}**")
    else:
        name = run(msg.agent_name or say("praise.the_agent"), weight="Bolder")
        first, *runs = bold(pieces("praise.kudos", agent=name))
        head = said({**first, "text": f"🎉 {first['text']}"}, *runs)
    body = [head, said(*pieces("praise.to_team", score=str(msg.score), ticket=ticket))]
    body += answer_blocks(msg.comment, ())
    return summary, card(body, entities=entities)


def notice(msg: Notice, channel_id: str | None = None) -> tuple[str, Card]:
    """Our own texts, written for Slack: `code` becomes monospace, `/nps x` becomes `nps x`."""
    body = [_notice_line(line) for line in msg.text.split("\n") if line.strip()]
    if channel_id:
        body.append(
            said(run(say("teams.channel_id"), isSubtle=True), run(channel_id, fontType="Monospace"))
        )
    return msg.text.split("\n", 1)[0][:200], card(body)


def _notice_line(line: str) -> Element:
    pieces = line.replace("/nps ", "nps ").split("`")
    # Odd pieces were between backticks. Kept verbatim in TextRuns: notices may quote a word
    # the user typed.
    runs = [run(p, fontType="Monospace") if i % 2 else run(p) for i, p in enumerate(pieces) if p]
    return said(*runs)


def message(
    msg: OutboundMessage, people: People, chart_png: bytes | None = None
) -> tuple[str, Card]:
    from bot.handlers.teams import render_alerts, render_reports

    match msg:
        case SurveyPrompt():
            return survey_prompt(msg)
        case ScoreThanks():
            return score_thanks(msg)
        case SurveyOptedOut():
            return survey_opted_out(msg)
        case SurveyClosed():
            return survey_closed(msg)
        case MessageRemoved():
            return msg.text, card([ours(msg.text)])
        case Praise():
            return praise(msg, people)
        case WeeklyDigest():
            return render_reports.digest(msg, chart_png)
        case GuessPrompt() | GuessThanks():
            return guess_card(msg)
        case DetractorAlert() | CallbackReminder() | OwnerReminder():
            return render_alerts.lead_message(msg, people)
        case _:
            assert_never(msg)


def guess_card(msg: GuessPrompt | GuessThanks) -> tuple[str, Card]:
    """The agent's guess: the names and ticket id are not ours, so they go in TextRuns."""
    if isinstance(msg, GuessThanks):
        thanks = gap_text.guess_thanks(msg.ticket_id, msg.requester_name, msg.score)
        return thanks, card([said(thanks.replace("`/nps ", "nps ").replace("`", ""))])
    question = gap_text.guess_question(msg.ticket_id, msg.requester_name)
    boxes = [
        {
            "type": "ColumnSet",
            "spacing": "Small",
            "columns": [
                {
                    "type": "Column",
                    "width": "stretch",
                    "style": "emphasis",
                    "selectAction": execute(
                        str(n), Verb.GUESS, {"survey": msg.survey_id, "score": n}
                    ),
                    "items": [ours(str(n), horizontalAlignment="Center", weight="Bolder")],
                }
                for n in row
            ],
        }
        for row in SCORE_ROWS
    ]
    return question, card([said(run(question, weight="Bolder")), *boxes])
