"""Limits every parsed JSON payload must meet before a handler reads it, on every platform."""

from __future__ import annotations

from typing import Any

from bot.storable import UNSTORABLE

MAX_DEPTH = 32  # real Slack and Teams payloads nest about 10 deep


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
