"""Words people read, the same on Slack and Teams: plurals, durations, the legend, alert notices."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest

from bot.callbacks_model import CallbackStatus
from bot.handlers.slack import render_alerts as slack_alerts
from bot.handlers.slack import render_reports as slack_reports
from bot.handlers.teams import render_alerts as teams_alerts
from bot.handlers.teams import render_reports as teams_reports
from bot.messages import CallbackLine, CallbackList
from bot.report_messages import TeamLine, TeamsOverview
from bot.report_text import chart_title, counted, elapsed
from bot.scoring import Tally
from tests.unit.test_teams_render import AT, LEAD, alert

ONE = Tally(promoters=1, passives=0, detractors=0, delivered=1, delivered_answered=1)


def test_counts_are_singular_for_one() -> None:
    assert counted(1, "answer") == "1 answer"
    assert counted(0, "answer") == "0 answers"
    assert counted(2, "open callback") == "2 open callbacks"


@pytest.mark.parametrize(
    ("seconds", "said"),
    [
        (0, "under a minute"),
        (59, "under a minute"),
        (60, "1 min"),
        (3660, "1h 01m"),
        (90000, "1d 1h"),
    ],
)
def test_durations_never_read_0h_00m(seconds: int, said: str) -> None:
    assert elapsed(AT, AT + timedelta(seconds=seconds)) == said


def _overview() -> TeamsOverview:
    line = TeamLine("eus", "End User Services", ONE, ONE, None)
    return TeamsOverview(4, date(2026, 10, 26), (line,), ONE, ONE, None)


def test_the_overview_legend_says_brackets_are_the_change_and_plural_is_right() -> None:
    for text in (
        json.dumps(slack_reports.teams_overview(_overview())[1], ensure_ascii=False),
        json.dumps(teams_reports.teams_overview(_overview())[1], ensure_ascii=False),
    ):
        assert "(+N) is the change on the 4 weeks before, ± the margin of error." in text
        assert "(±N) is the change" not in text
        assert "1 answer" in text
        assert "1 answers" not in text


def test_the_alert_notice_follows_the_callback() -> None:
    for status, notice in (
        (CallbackStatus.OPEN, "Detractor 3/10 for INC1: call back"),
        (CallbackStatus.CLAIMED, "Detractor 3/10 for INC1: being called back"),
        (CallbackStatus.CLOSED, "Detractor 3/10 for INC1: closed (Resolved the issue)"),
    ):
        assert slack_alerts.detractor_alert(alert(status))[0] == notice
        assert teams_alerts.detractor_alert(alert(status), {})[0] == notice


def test_a_callback_closed_within_the_minute_does_not_say_0h_00m() -> None:
    quick = alert(CallbackStatus.CLOSED, closed_at=AT - timedelta(hours=1, seconds=-20))
    for text in (
        json.dumps(slack_alerts.detractor_alert(quick)[1], ensure_ascii=False),
        json.dumps(teams_alerts.detractor_alert(quick, {})[1], ensure_ascii=False),
    ):
        assert "under a minute after the answer" in text
        assert "0h 00m" not in text


def test_one_open_callback_is_singular() -> None:
    line = CallbackLine("INC1", "VPN", 3, "EUS", LEAD, timedelta(hours=3))
    reply = CallbackList((line,), "End User Services")
    assert slack_alerts.callback_list(reply)[0] == "1 open callback"
    assert teams_alerts.callback_list(reply, {})[0] == "1 open callback"


def test_the_chart_title_matches_its_12_week_axis() -> None:
    assert chart_title("EUS", 12, 12) == "EUS — last 12 weeks"
    assert chart_title("EUS", 8, 12) == "EUS — score over 8 weeks, trend over 12"
