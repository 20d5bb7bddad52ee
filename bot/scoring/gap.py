"""The perception gap on counts: IT's guesses against customers' answers on the same tickets.

Counting happens in SQL (store/perception.py); this only combines the counts. Pure."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from bot.scoring.nps import Tally, change


@dataclass(frozen=True, slots=True)
class GapTally:
    """Tickets with both a guess and an answer: each side by category, and point sums."""

    guessed: Tally = field(default_factory=Tally)  # the agents' guesses, as if answers
    answered: Tally = field(default_factory=Tally)  # the answers on the same tickets
    abs_diff: int = 0  # Σ |guess − score|
    guess_sum: int = 0
    score_sum: int = 0

    @classmethod
    def of(cls, counts: Sequence[int]) -> GapTally:
        """From its nine counts in order: the guesses by category, the answers by category,
        then the three sums (store.rollups.GAP)."""
        if len(counts) != 9:
            raise ValueError(f"a gap tally has 9 counts, not {len(counts)}")
        return cls(Tally(*counts[0:3]), Tally(*counts[3:6]), *counts[6:9])

    def counts(self) -> list[int]:
        """The nine counts, in the order `of` takes them."""
        g, a = self.guessed, self.answered
        sides = [g.promoters, g.passives, g.detractors, a.promoters, a.passives, a.detractors]
        return [*sides, self.abs_diff, self.guess_sum, self.score_sum]

    @property
    def pairs(self) -> int:
        return self.guessed.answers

    @property
    def gap(self) -> int | None:
        """IT's NPS minus the customers' NPS, in points (positive: IT thinks better of itself)."""
        return change(self.guessed.nps, self.answered.nps)

    @property
    def mean_diff(self) -> float | None:
        """How far a guess is from its answer, on average, in score points (0–10 scale)."""
        return self.abs_diff / self.pairs if self.pairs else None

    @property
    def mean_guess(self) -> float | None:
        return self.guess_sum / self.pairs if self.pairs else None

    @property
    def mean_score(self) -> float | None:
        return self.score_sum / self.pairs if self.pairs else None

    def __add__(self, other: GapTally) -> GapTally:
        return GapTally(
            self.guessed + other.guessed,
            self.answered + other.answered,
            self.abs_diff + other.abs_diff,
            self.guess_sum + other.guess_sum,
            self.score_sum + other.score_sum,
        )


@dataclass(frozen=True, slots=True)
class SlaTally:
    """Answered tickets and what their ticket events said of the SLA: the watermelon count."""

    answered: int = 0  # answered tickets of the period, with or without SLA data
    with_sla: int = 0  # of those, tickets whose event said whether the SLA was met
    met: int = 0
    met_detractors: int = 0  # answered 0–6 although the SLA was met: green outside, red inside

    @property
    def met_share(self) -> float | None:
        return self.met / self.with_sla if self.with_sla else None

    @property
    def melon_share(self) -> float | None:
        return self.met_detractors / self.met if self.met else None
