"""NPS arithmetic and week boundaries against hand-computed cases."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from bot.anonymity import withheld, withheld_weeks
from bot.scoring import Tally, boundaries, category, round_half_away, signed, week_start
from bot.scoring.nps import ratio_half_away


@pytest.mark.parametrize(
    ("tally", "nps"),
    [
        (Tally(), None),  # an empty week has no score, not 0
        (Tally(passives=4), 0),  # all passives
        (Tally(promoters=1), 100),  # a team with one answer
        (Tally(detractors=1), -100),
        (Tally(promoters=2, passives=1, detractors=1), 25),
        (Tally(promoters=1, passives=1, detractors=1), 0),
        (Tally(promoters=5, passives=2, detractors=1), 50),  # 62.5 − 12.5
        (Tally(promoters=1, passives=6, detractors=0), 14),  # 14.29
        (Tally(promoters=1, passives=6, detractors=1), 0),
        (Tally(promoters=3, passives=4, detractors=1), 25),  # 37.5 − 12.5
        (Tally(promoters=1, passives=14, detractors=0), 7),  # 6.67
        (Tally(promoters=1, passives=7), 13),  # 12.5 rounds away from zero
        (Tally(detractors=1, passives=7), -13),  # −12.5 too
    ],
)
def test_nps_from_counts(tally: Tally, nps: int | None) -> None:
    assert tally.nps == nps


def test_round_half_away_from_zero_unlike_python_round() -> None:
    rounded = [round_half_away(x) for x in (0.5, 1.5, 2.5, -0.5, -2.5, 2.4999)]
    assert rounded == [1, 2, 3, -1, -3, 2]


def test_the_ratio_of_counts_rounds_as_the_float_does() -> None:
    for numerator in range(-400, 401):
        for denominator in range(1, 90):
            expected = round_half_away(numerator / denominator)
            assert ratio_half_away(numerator, denominator) == expected, (numerator, denominator)


CATEGORIES = [
    (0, "detractor"),
    (6, "detractor"),
    (7, "passive"),
    (8, "passive"),
    (9, "promoter"),
    (10, "promoter"),
]


@pytest.mark.parametrize(("score", "kind"), CATEGORIES)
def test_categories(score: int, kind: str) -> None:
    assert category(score) == kind


def test_response_rate_is_answered_over_delivered() -> None:
    assert Tally(delivered=3, delivered_answered=1).response_rate == 33
    assert Tally(delivered=8, delivered_answered=5).response_rate == 63  # 62.5
    assert Tally().response_rate is None


def test_percentages_of_each_category() -> None:
    tally = Tally(promoters=2, passives=1, detractors=1)
    assert (tally.percent(2), tally.percent(1)) == (50, 25)


def test_margin_shrinks_with_more_answers_and_is_never_zero() -> None:
    small, large = Tally(promoters=2, passives=1, detractors=1), Tally(200, 100, 100)
    assert small.margin is not None
    assert large.margin is not None
    assert large.margin < small.margin
    assert large.margin == 8  # 1.96 × sqrt(0.75 − 0.0625) / sqrt(400) × 100 ≈ 8.1
    assert Tally(passives=3).margin > 0  # type: ignore[operator]  # all alike: still unsure
    assert Tally(promoters=1).margin == 100  # capped: one answer says next to nothing
    assert Tally().margin is None
    assert Tally(passives=9).too_few
    assert not Tally(passives=10).too_few


def test_signed_uses_a_real_minus() -> None:
    assert [signed(33), signed(-12), signed(0), signed(None)] == ["+33", "−12", "0", "–"]


def test_sum_of_tallies() -> None:
    assert Tally(1, 2, 3, 4, 2) + Tally(1, 0, 0, 1, 1) == Tally(2, 2, 3, 5, 3)


def test_week_starts_monday_in_the_team_time_zone() -> None:
    # Sunday 23:30 in New York is already Monday 04:30 UTC.
    sunday_night = datetime(2026, 11, 9, 4, 30, tzinfo=UTC)
    assert week_start(sunday_night, "America/New_York") == date(2026, 11, 2)
    assert week_start(sunday_night, "UTC") == date(2026, 11, 9)
    # Monday 08:00 in Auckland is still Sunday 19:00 UTC.
    assert week_start(datetime(2026, 11, 8, 19, tzinfo=UTC), "Pacific/Auckland") == date(
        2026, 11, 9
    )


def test_boundaries_follow_daylight_saving_changes() -> None:
    # Paris moves to summer time on 29 March 2026: that Monday starts at 22:00 UTC, not 23:00.
    b = boundaries(datetime(2026, 3, 31, 12, tzinfo=UTC), "Europe/Paris", 3)
    assert b == [
        datetime(2026, 3, 15, 23, tzinfo=UTC),
        datetime(2026, 3, 22, 23, tzinfo=UTC),
        datetime(2026, 3, 29, 22, tzinfo=UTC),
        datetime(2026, 4, 5, 22, tzinfo=UTC),
    ]
    # The week of the change is an hour short; every other week is 168 hours.
    hours = [(b[i + 1] - b[i]).total_seconds() / 3600 for i in range(3)]
    assert hours == [168, 167, 168]
    # Auckland leaves summer time on 5 April 2026: that week is an hour longer.
    nz = boundaries(datetime(2026, 4, 8, tzinfo=UTC), "Pacific/Auckland", 2)
    assert [(nz[i + 1] - nz[i]).total_seconds() / 3600 for i in range(2)] == [169, 168]


@pytest.mark.parametrize(
    ("answers", "hidden"),
    [
        ([0, 4, 3], {1, 2}),  # hidden together they hold 7: nothing more to hide
        ([6, 2], {0, 1}),  # 8 − 6 would give the 2 away: the 6 goes too
        ([9, 6, 2], {1, 2}),  # the smallest shown week (6) is hidden with the 2
        ([5, 5, 0], set()),  # an empty week reveals nothing
        ([3], {0}),
        ([], set()),
    ],
)
def test_withheld_weeks_hide_small_weeks_and_what_would_give_them_away(
    answers: list[int], hidden: set[int]
) -> None:
    assert withheld_weeks(answers, 5) == hidden


def test_too_few_text() -> None:
    assert withheld(Tally(1, 1, 1), 5) == "too few answers to show a score (3 of 5)"
    assert withheld(Tally(5), 5) is None
