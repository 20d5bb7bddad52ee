"""Tests for bot.delivery.backoff: 5 s, 15 s, 45 s … capped at an hour, with ±20 % jitter."""

from __future__ import annotations

import random

import pytest

from bot.delivery import backoff

SCHEDULE = [(1, 5.0), (2, 15.0), (3, 45.0), (4, 135.0), (5, 405.0), (6, 1215.0), (7, 3600.0)]


@pytest.mark.parametrize(("attempt", "base"), [*SCHEDULE, (0, 5.0), (8, 3600.0), (30, 3600.0)])
def test_delay_stays_within_twenty_percent_of_the_schedule(attempt: int, base: float) -> None:
    rng = random.Random(attempt)
    delays = [backoff(attempt, rng) for _ in range(200)]
    assert all(0.8 * base <= d <= 1.2 * base for d in delays)
    assert max(delays) - min(delays) > 0.2 * base  # jittered, not constant


def test_extreme_jitter_gives_the_band_edges() -> None:
    class Edge(random.Random):
        def __init__(self, pick: str) -> None:
            super().__init__()
            self.pick = pick

        def uniform(self, a: float, b: float) -> float:
            return a if self.pick == "low" else b

    assert backoff(3, Edge("low")) == pytest.approx(36.0)
    assert backoff(3, Edge("high")) == pytest.approx(54.0)
    assert backoff(50, Edge("high")) == pytest.approx(4320.0)


def test_same_seed_gives_the_same_delays() -> None:
    first = [backoff(n, random.Random(42)) for n in range(1, 10)]
    second = [backoff(n, random.Random(42)) for n in range(1, 10)]
    assert first == second
    assert first != [backoff(n, random.Random(43)) for n in range(1, 10)]


def test_without_an_rng_the_delay_is_still_in_the_band() -> None:
    assert 4.0 <= backoff(1) <= 6.0


def test_very_high_attempt_is_still_capped_at_an_hour() -> None:
    assert 2880.0 <= backoff(1000, random.Random(1)) <= 4320.0
