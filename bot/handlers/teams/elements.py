"""Adaptive Card building blocks shared by every Teams card: text that is ours or not, actions,
links, mentions, and a requester's answer shown back.

Teams renders a Markdown subset in TextBlock (and FactSet) text, so a title, a comment or a
name from outside could make links or formatting there. Text that is not ours only ever goes
into a TextRun of a RichTextBlock, which Teams shows verbatim (reliability.md §4.6).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any
from urllib.parse import quote

from bot.handlers.teams.ids import Verb
from bot.model import driver_label
from bot.texts import say

Card = dict[str, Any]
Element = dict[str, Any]
People = Mapping[str, str]  # Teams user id (AAD object id) → display name, for mentions
CARD_CONTENT_TYPE = "application/vnd.microsoft.card.adaptive"
SCORE_ROWS = ((0, 1, 2, 3, 4, 5), (6, 7, 8, 9, 10))  # two rows: a thumb hits each on a phone
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


def bold(parts: list[str | Element]) -> list[Element]:
    return [run(p, weight="Bolder") if isinstance(p, str) else p for p in parts]


def answer_blocks(comment: str | None, drivers: tuple[str, ...]) -> list[Element]:
    """What a requester wrote and ticked, shown back verbatim wherever an answer is shown."""
    shown = clip(comment, SHOWN_COMMENT_CHARS, SHOWN_COMMENT_BYTES) if comment else None
    blocks = [said(run(shown, italic=True))] if shown else []
    if drivers:
        labels = ", ".join(driver_label(d) for d in drivers)
        blocks.append(ours(say("comment.drivers", drivers=labels), isSubtle=True))
    return blocks
