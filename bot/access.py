"""Who may act on a survey or a callback, and what the others are told. Pure: no I/O.

The use cases apply these rules, so Slack and Teams refuse the same people with the same words.
"""

from __future__ import annotations

from collections.abc import Collection

from bot.texts import say

NOT_YOUR_SURVEY = say("score.not_yours")
CLAIM_FROM_LEAD_CHANNEL = say("callback.not_lead_channel")


def is_requester(actor: str, recipient_ids: Collection[str | None]) -> bool:
    """The survey's own person: an empty actor or an unsent survey matches nobody."""
    return bool(actor) and actor in {r for r in recipient_ids if r}


def may_claim(
    actor: str, channel: str, lead_channels: Collection[str | None], admins: Collection[str]
) -> bool:
    """A claim comes from a channel the callback was posted to, or from an admin anywhere."""
    if actor and actor in admins:
        return True
    return bool(channel) and channel in {c for c in lead_channels if c}


def may_manage(actor: str, owner_id: str | None, admins: Collection[str]) -> bool:
    """Release and Done: the callback's owner, or an admin."""
    return bool(actor) and (actor == owner_id or actor in admins)
