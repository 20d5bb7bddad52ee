"""How much work time an issue cost the requester (nps.toml `ask_lost_time`): the choices the
comment form offers, and the hours each one counts for in reports. Pure.

Reports count each choice at its midpoint: none 0 h, under 1 hour 0.5 h, 1–4 hours 2.5 h,
about a day 8 h (a working day), more than a day 16 h (two working days: the choice is
open-ended, so this is a floor-leaning estimate rather than a midpoint)."""

from __future__ import annotations

from bot.texts import say

# (stored key, the catalogue's key of what the requester reads, hours counted in reports)
CHOICES: tuple[tuple[str, str, float], ...] = (
    ("none", "lost_time.none", 0.0),
    ("under_1h", "lost_time.under_1h", 0.5),
    ("1_4h", "lost_time.1_4h", 2.5),
    ("day", "lost_time.day", 8.0),
    ("over_day", "lost_time.over_day", 16.0),
)
HOURS = {key: hours for key, _text, hours in CHOICES}


class LostTimeError(ValueError):
    """A lost-time value the form never offered; nothing is stored."""


def check_lost_time(value: str | None) -> str | None:
    """The stored key for a submitted choice; None when none was picked."""
    if not value:
        return None
    if value not in HOURS:
        raise LostTimeError(say("lost_time.not_offered"))
    return value
