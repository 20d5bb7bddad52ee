"""Block Kit building blocks shared by every Slack message: escaping, cutting, sections, forms."""

from __future__ import annotations

import json
from typing import Any

from bot.handlers.slack.ids import SlackId
from bot.model import driver_label
from bot.texts import say

Blocks = list[dict[str, Any]]
SHOWN_COMMENT_CHARS = 2800  # a section holds 3,000 characters; keep room for the framing


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


def plain(text: str, limit: int = 75) -> dict[str, Any]:
    return {"type": "plain_text", "text": text[:limit], "emoji": True}


def context(mrkdwn: str) -> dict[str, Any]:
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": mrkdwn[:3000]}]}


def section(mrkdwn: str) -> dict[str, Any]:
    return {"type": "section", "text": {"type": "mrkdwn", "text": mrkdwn[:3000]}}


def ticket_label(ticket_id: str, title: str, url: str | None = None, limit: int = 500) -> str:
    text = label(f"{ticket_id} {title}", limit)
    if url and url.startswith(("https://", "http://")) and "|" not in url and ">" not in url:
        return f"<{escape(url)}|{text}>"
    return f"*{text}*"


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


def modal(
    view: SlackId, meta: dict[str, Any], title: str, submit: str, blocks: Blocks
) -> dict[str, Any]:
    """A form: its blocks, sent with `submit`, closed with Cancel; `meta` comes back with it."""
    return {
        "type": "modal",
        "callback_id": view.value,
        "private_metadata": json.dumps(meta),
        "title": plain(title, 24),
        "submit": plain(submit, 24),
        "close": plain(say("form.cancel"), 24),
        "blocks": blocks,
    }


def input_block(
    block: SlackId, text: str, element: dict[str, Any], *, optional: bool = True
) -> dict[str, Any]:
    head = {"type": "input", "block_id": block.value} | ({"optional": True} if optional else {})
    return head | {"label": plain(text, 2000), "element": element}
