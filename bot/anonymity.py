"""Which figures are too small to show: below `min_answers` a score tells who said what. Pure."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from bot.report_messages import Week
from bot.report_text import hidden_with_others, too_few
from bot.scoring import Tally


def withheld_weeks(answers: Sequence[int], needed: int) -> set[int]:
    """Indexes of the weeks whose figures are hidden. A week under `needed` is hidden; and when
    the hidden weeks together hold fewer than `needed` answers, the period's total minus the
    shown weeks would give them away, so the smallest shown weeks are hidden too until the
    hidden ones reach `needed` together (secondary suppression)."""
    hidden = {i for i, n in enumerate(answers) if 0 < n < needed}
    shown = sorted((n, i) for i, n in enumerate(answers) if n >= needed)
    while hidden and sum(answers[i] for i in hidden) < needed and shown:
        hidden.add(shown.pop(0)[1])
    return hidden


def shown(tally: Tally, needed: int) -> Tally:
    """The tally itself, or an empty one when it is too small to show."""
    return tally if tally.answers >= needed else Tally()


def why_hidden(tally: Tally, needed: int) -> str:
    return (
        too_few(tally.answers, needed)
        if tally.answers < needed
        else hidden_with_others(tally.answers)
    )


def withheld(tally: Tally, needed: int) -> str | None:
    """The text shown instead of a period's score, or None when the score may be shown."""
    return too_few(tally.answers, needed) if tally.answers < needed else None


def hidden_in(answers: Sequence[int], weeks: int, needed: int) -> set[int]:
    """`withheld_weeks` over runs of weeks shown together, counted back from the newest: the
    period of a report, the period before it, and so on."""
    hidden: set[int] = set()
    end = len(answers)
    while end > 0:
        start = max(0, end - weeks)
        hidden |= {start + i for i in withheld_weeks(answers[start:end], needed)}
        end = start
    return hidden


def weeks_shown(
    starts: Sequence[date], tallies: Sequence[Tally], hidden: set[int], needed: int
) -> tuple[Week, ...]:
    return tuple(
        Week(s, Tally(), why_hidden(t, needed)) if i in hidden else Week(s, t)
        for i, (s, t) in enumerate(zip(starts, tallies, strict=True))
    )


def trend_shown(
    starts: Sequence[date], tallies: Sequence[Tally], hidden: set[int]
) -> tuple[tuple[date, int | None], ...]:
    """The chart's weekly points: none for a hidden week."""
    return tuple(
        (s, None if i in hidden else t.nps)
        for i, (s, t) in enumerate(zip(starts, tallies, strict=True))
    )
