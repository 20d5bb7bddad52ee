"""The perception texts and the gap maths on hand-worked figures (issue 15). Pure."""

from __future__ import annotations

import pytest

from bot import commands
from bot.gap_messages import GapFigure, Rank
from bot.gap_text import agent_gap_line, gap_line, one_decimal, ordinal, rank_line
from bot.scoring import Tally
from bot.scoring.gap import GapTally


@pytest.mark.parametrize(
    ("n", "text"),
    [
        (1, "1st"),
        (2, "2nd"),
        (3, "3rd"),
        (4, "4th"),
        (11, "11th"),
        (12, "12th"),
        (13, "13th"),
        (21, "21st"),
        (22, "22nd"),
        (111, "111th"),
    ],
)
def test_ordinals(n: int, text: str) -> None:
    assert ordinal(n) == text


def test_rank_line_is_the_issues_example() -> None:
    assert rank_line(Rank(3, 11)) == "3rd of 11 teams (top 27 %)"


@pytest.mark.parametrize(
    ("value", "text"), [(9.0, "9"), (7.1, "7.1"), (7.15, "7.2"), (8.95, "9"), (None, "–")]
)
def test_one_decimal_rounds_half_away_and_drops_a_zero(value: float | None, text: str) -> None:
    assert one_decimal(value) == text


def test_gap_line_and_agent_line_on_a_hand_worked_tally() -> None:
    # 40 tickets: guesses 25 P, 8 Pa, 7 D → +45; answers 18 P, 7 Pa, 15 D → +8 (7.5 → 8).
    t = GapTally(Tally(25, 8, 7), Tally(18, 7, 15), abs_diff=72, guess_sum=340, score_sum=284)
    assert gap_line(GapFigure(t)) == (
        "IT's view +45 · customers +8 · gap 37 points (40 tickets with both; a guess was 1.8 "
        "points off on average)"
    )
    assert agent_gap_line(GapFigure(t)) == (
        "you expected 8.5 on average; customers gave 7.1 (40 tickets with both)"
    )


def test_a_negative_gap_keeps_its_sign() -> None:
    t = GapTally(Tally(0, 5, 0), Tally(5, 0, 0), abs_diff=10, guess_sum=40, score_sum=50)
    assert "gap −100 points" in gap_line(GapFigure(t))


def test_gap_command_parses_team_and_weeks() -> None:
    assert commands.parse("gap eus weeks 4") == commands.TeamGap("eus", 4)
    assert commands.parse("nps gap") == commands.TeamGap(None, commands.GAP_WEEKS)
    assert isinstance(commands.parse("gap eus weeks 99"), commands.Help)
