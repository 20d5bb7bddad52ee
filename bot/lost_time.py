"""How much work time an issue cost the requester (nps.toml `ask_lost_time`): the choices the
comment form offers, and the hours each one counts for in reports. Pure.

Reports count each choice at its midpoint: none 0 h, under 1 hour 0.5 h, 1–4 hours 2.5 h,
about a day 8 h (a working day), more than a day 16 h (two working days: the choice is
open-ended, so this is a floor-leaning estimate rather than a midpoint)."""

from __future__ import annotations

LOST_TIME_QUESTION = "How much work time did this issue cost you?"
# (stored key, what the requester reads, hours counted in reports)
CHOICES: tuple[tuple[str, str, float], ...] = (
    ("none", "None", 0.0),
    ("under_1h", "Under 1 hour", 0.5),
    ("1_4h", "1–4 hours", 2.5),
    ("day", "About a day", 8.0),
    ("over_day", "More than a day", 16.0),
)
HOURS = {key: hours for key, _label, hours in CHOICES}


class LostTimeError(ValueError):
    """A lost-time value the form never offered; nothing is stored."""


def check_lost_time(value: str | None) -> str | None:
    """The stored key for a submitted choice; None when none was picked."""
    if not value:
        return None
    if value not in HOURS:
        raise LostTimeError("the work time lost is one of the choices offered")
    return value
