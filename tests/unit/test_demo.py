"""The demo history is reproducible and covers what reports and digests show."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.callbacks_model import CallbackStatus, Outcome
from bot.demo import DEFAULT_TEAMS, make_history

NOW = datetime(2026, 11, 25, 15, 0, tzinfo=UTC)
LABELS = list(DEFAULT_TEAMS[:4])


def test_same_seed_same_history_other_seed_other_history() -> None:
    assert make_history(5, LABELS, 26, NOW) == make_history(5, LABELS, 26, NOW)
    assert make_history(5, LABELS, 26, NOW) != make_history(6, LABELS, 26, NOW)


def test_history_has_every_band_callback_state_outcome_and_praise() -> None:
    history = make_history(1, LABELS, 52, NOW)
    answered = [s for s in history.surveys if s.score is not None]
    assert all(s.closed_at < NOW for s in history.surveys)
    assert len(answered) < len(history.surveys)  # some never answer: response rates < 100 %
    for low, high in ((0, 6), (7, 8), (9, 10)):
        assert any(low <= (s.score or 0) <= high and s.comment for s in answered)
    assert any(s.drivers for s in answered)
    assert any(s.praised for s in answered)
    callbacks = [s.callback for s in answered if s.callback]
    assert {c.status for c in callbacks} == set(CallbackStatus)
    assert {c.outcome for c in callbacks if c.outcome} == set(Outcome)
    weekdays = {s.closed_at.weekday() for s in history.surveys}
    assert weekdays == {0, 1, 2, 3, 4}  # working days only


def test_teams_differ_in_trend_and_response_rate() -> None:
    teams = make_history(1, LABELS, 52, NOW).teams
    assert len({round(t.response_rate, 2) for t in teams}) == len(teams)
    assert any(t.weekly_change > 0 for t in teams)
    assert any(t.weekly_change < 0 for t in teams)


def test_a_small_demo_leaves_a_callback_open_at_any_hour() -> None:
    # Two teams, seed 7 (the e2e demo test's): from 18:00 on 2026-12-03 the draw alone left
    # every callback claimed or closed for a day.
    two = [("eus", "End User Services"), ("net", "Network")]
    for hour in range(0, 48, 2):
        now = datetime(2026, 12, 3, tzinfo=UTC) + timedelta(hours=hour)
        statuses = {s.callback.status for s in make_history(7, two, 12, now).surveys if s.callback}
        assert statuses == set(CallbackStatus), now
