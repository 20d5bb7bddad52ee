"""Limits every parsed JSON payload must meet before a handler reads it, on every platform."""

from __future__ import annotations

import re
from typing import Any

from bot.storable import UNSTORABLE

MAX_DEPTH = 32  # real Slack and Teams payloads nest about 10 deep
# How JSON text spells what UNSTORABLE finds once parsed; a surrogate pair matches too.
_ESCAPED_UNSTORABLE = re.compile(r"\\u(?:0000|[dD][89a-fA-F])")


class PayloadError(ValueError):
    """The payload breaks a limit; the message is safe to return to the sender."""


def check_limits(payload: Any) -> None:
    """Depth, NUL and lone surrogates everywhere; iterative, so depth cannot overflow the stack."""
    stack: list[tuple[Any, int]] = [(payload, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise PayloadError(f"payload is nested deeper than {MAX_DEPTH} levels")
        if isinstance(node, dict):
            stack.extend((key, depth) for key in node)
            stack.extend((value, depth + 1) for value in node.values())
        elif isinstance(node, list):
            stack.extend((value, depth + 1) for value in node)
        elif isinstance(node, str) and UNSTORABLE.search(node):
            raise PayloadError("payload contains a NUL character or a lone surrogate")


def plainly_within_limits(json_text: str) -> bool:
    """True when the JSON text cannot hold what check_limits refuses, so the walk over its
    parsed tree (a third of a score click's checks) can be skipped: fewer brackets than
    levels allowed, and no NUL or surrogate, raw or escaped. False only means: walk the tree."""
    brackets = json_text.count("{") + json_text.count("[")
    return (
        brackets < MAX_DEPTH
        and not _raw_unstorable(json_text)
        and not _ESCAPED_UNSTORABLE.search(json_text)
    )


def _raw_unstorable(text: str) -> bool:
    # An ASCII text holds no surrogate, and a plain search for NUL is C speed: the class
    # regex took 6 us on a score click's 1 KB payload, which Slack sends as ASCII.
    if text.isascii():
        return "\x00" in text
    return UNSTORABLE.search(text) is not None
