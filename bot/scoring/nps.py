"""Net Promoter arithmetic on counts. Counting happens in SQL; this only combines the counts."""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

# Below this many answers a week's score swings on one person: reports warn (and say by how much).
MIN_MEANINGFUL_ANSWERS = 10
# Comments are quoted only when at least this many people answered, so none can be singled out
# (Viva Insights' default minimum group size).
MIN_ANSWERS_FOR_COMMENTS = 5
Z_95 = 1.96


class Category(StrEnum):
    PROMOTER = "promoter"
    PASSIVE = "passive"
    DETRACTOR = "detractor"


def category(score: int) -> Category:
    if score >= 9:
        return Category.PROMOTER
    if score >= 7:
        return Category.PASSIVE
    return Category.DETRACTOR


def round_half_away(value: float) -> int:
    """Round 12.5 to 13 and −12.5 to −13, as people expect; Python's round() gives 12 and −12."""
    return int(Decimal(str(value)).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def ratio_half_away(numerator: int, denominator: int) -> int:
    """round_half_away(numerator / denominator) for a positive denominator, in integers: the
    same figure (a ratio of counts is a half exactly or lies further from one than a float's
    error), without the Decimal, which cost `/nps team` a tenth of its time ranking teams."""
    rounded = (2 * abs(numerator) + denominator) // (2 * denominator)
    return rounded if numerator >= 0 else -rounded


@dataclass(frozen=True, slots=True)
class Tally:
    """Answers by category, and how many surveys reached people (for the response rate)."""

    promoters: int = 0
    passives: int = 0
    detractors: int = 0
    delivered: int = 0  # surveys delivered in the period
    delivered_answered: int = 0  # of those, how many have an answer by now

    @property
    def answers(self) -> int:
        return self.promoters + self.passives + self.detractors

    @property
    def nps(self) -> int | None:
        if not self.answers:
            return None
        return ratio_half_away(100 * (self.promoters - self.detractors), self.answers)

    def percent(self, count: int) -> int:
        return ratio_half_away(100 * count, self.answers) if self.answers else 0

    @property
    def response_rate(self) -> int | None:
        """Answered / delivered, in %, for the surveys delivered in the period."""
        if not self.delivered:
            return None
        return ratio_half_away(100 * self.delivered_answered, self.delivered)

    @property
    def margin(self) -> int | None:
        """Half-width of the 95 % interval of the NPS, in points.

        Each answer is +1, 0 or −1; the NPS is their mean × 100, so its standard error is
        sqrt(variance / n). The variance uses add-one smoothing (one more answer of each kind) so
        that 3 passives do not claim a margin of ±0."""
        n = self.answers
        if not n:
            return None
        p = (self.promoters + 1) / (n + 3)
        d = (self.detractors + 1) / (n + 3)
        variance = p + d - (p - d) ** 2
        return min(100, round_half_away(100 * Z_95 * math.sqrt(variance / n)))

    @property
    def too_few(self) -> bool:
        return self.answers < MIN_MEANINGFUL_ANSWERS

    def __add__(self, other: Tally) -> Tally:
        return Tally(
            self.promoters + other.promoters,
            self.passives + other.passives,
            self.detractors + other.detractors,
            self.delivered + other.delivered,
            self.delivered_answered + other.delivered_answered,
        )


def signed(nps: int | None) -> str:
    """+33, −12, 0; "–" when there is nothing to score."""
    if nps is None:
        return "–"
    if nps > 0:
        return f"+{nps}"
    return f"−{-nps}" if nps < 0 else "0"


def change(current: int | None, previous: int | None) -> int | None:
    if current is None or previous is None:
        return None
    return current - previous
