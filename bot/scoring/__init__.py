"""Pure scoring maths: NPS from counts, margins, week boundaries. No I/O."""

from bot.scoring.nps import (
    MIN_ANSWERS_FOR_COMMENTS,
    MIN_MEANINGFUL_ANSWERS,
    Category,
    Tally,
    category,
    change,
    round_half_away,
    signed,
)
from bot.scoring.weeks import boundaries, local_midnight_utc, week_start

__all__ = [
    "MIN_ANSWERS_FOR_COMMENTS",
    "MIN_MEANINGFUL_ANSWERS",
    "Category",
    "Tally",
    "boundaries",
    "category",
    "change",
    "local_midnight_utc",
    "round_half_away",
    "signed",
    "week_start",
]
