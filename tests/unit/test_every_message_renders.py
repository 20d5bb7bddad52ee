"""Every neutral message and command reply has a renderer on both platforms.

The types come from the unions in bot.messages (typing.get_args), so a new message type without a
sample here, or without a renderer on either platform, fails this test (and mypy, through the
renderers' assert_never).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any, get_args

import pytest

from bot.callbacks_model import CallbackStatus
from bot.gap_messages import GapFigure, GapReport, GapWeek, LineChart
from bot.guess_messages import GuessPrompt, GuessThanks
from bot.handlers.slack import render as slack
from bot.handlers.teams import render as teams
from bot.handlers.teams.replies import reply_card
from bot.messages import (
    CallbackLine,
    CallbackList,
    CallbackReminder,
    MessageRemoved,
    Notice,
    OutboundMessage,
    OwnerReminder,
    Praise,
    Reply,
    ScoreThanks,
    SurveyClosed,
    SurveyOptedOut,
)
from bot.report_messages import (
    AgentComment,
    AgentReport,
    BarChart,
    Benchmark,
    DriverLine,
    DriverReport,
    TeamLine,
    TeamReport,
    TeamsOverview,
    ThemeLine,
    ThemeReport,
    Week,
    WeeklyDigest,
)
from bot.scoring.gap import GapTally
from tests.unit.test_teams_render import AT, CHART, LEAD, TALLY, alert, prompt

WEEK = Week(date(2026, 11, 16), TALLY)
DRIVER = DriverLine("speed", "Speed", 4, 2, 100, -50, 0.6, 1)
TEAM_LINE = TeamLine("eus", "EUS", TALLY, TALLY, None)

SAMPLES: dict[type, Any] = {
    sample.__class__: sample
    for sample in (
        prompt(),
        ScoreThanks("s1", "INC1", "VPN", 9, "Quick", ("speed",)),
        SurveyClosed("INC1", "VPN"),
        SurveyOptedOut("INC1", "VPN"),
        MessageRemoved(),
        alert(CallbackStatus.OPEN),
        CallbackReminder("cb01", "INC1", "VPN", 2, "EUS", 1, AT),
        OwnerReminder("cb01", "INC1", "VPN", AT),
        Praise("INC1", "VPN", 10, "Great", LEAD, "Carol", True),
        WeeklyDigest("eus", "EUS", WEEK, TALLY, 2, ("Quick",), CHART),
        Notice("Nothing to see."),
        CallbackList((CallbackLine("INC1", "VPN", 3, "EUS", None, timedelta(hours=3)),), "EUS"),
        TeamReport("eus", "EUS", (WEEK,), TALLY, TALLY, TALLY, ("Ok",), 0, None, CHART),
        TeamsOverview(4, date(2026, 10, 26), (TEAM_LINE,), TALLY, TALLY, Benchmark("Sector", 38)),
        AgentReport("you", 12, TALLY, TALLY, (AgentComment("INC1", 9, "Kind", AT),), CHART),
        DriverReport("eus", "EUS", 12, 40, 5, 0.3, (DRIVER,), BarChart("Why", (("Speed", 0.6),))),
        ThemeReport("eus", "EUS", 12, 40, (ThemeLine(("vpn", "slow"), 12, 4, 8, ("Slow VPN",)),)),
        GuessPrompt("s1", "INC1", "Ana"),
        GuessThanks("INC1", "Ana", 8),
        GapReport(
            "eus",
            "EUS",
            (GapWeek(WEEK.start, GapFigure(GapTally(TALLY, TALLY, 3, 20, 17))),),
            GapFigure(GapTally(TALLY, TALLY, 3, 20, 17)),
            LineChart("Gap", (WEEK.start,), (("IT's view", (40,)), ("Customers", (12,)))),
        ),
    )
}


class _People:
    """The one thing reply_card asks the Teams messenger: display names by user id."""

    async def names(self, ids: Iterable[str | None]) -> dict[str, str]:
        return {i: "Lead" for i in ids if i}


def _sample(kind: type) -> Any:
    assert kind in SAMPLES, f"add a sample {kind.__name__} to SAMPLES, and render it everywhere"
    return SAMPLES[kind]


def _has_words(rendered: object) -> bool:
    return len(json.dumps(rendered)) > 20


@pytest.mark.parametrize("kind", get_args(OutboundMessage), ids=lambda k: k.__name__)
def test_every_outbound_message_renders_on_slack_and_on_teams(kind: type) -> None:
    message = _sample(kind)
    summary, blocks = slack.message(message)
    assert summary
    assert _has_words(blocks)
    summary, card = teams.message(message, {LEAD: "Lead"})
    assert summary
    assert card["body"]
    assert _has_words(card)


@pytest.mark.parametrize("kind", get_args(Reply), ids=lambda k: k.__name__)
async def test_every_command_reply_renders_on_slack_and_on_teams(kind: type) -> None:
    reply = _sample(kind)
    summary, blocks = slack.command_reply(reply)
    assert summary
    assert _has_words(blocks)
    summary, card = await reply_card(reply, _People(), None)  # type: ignore[arg-type]
    assert summary
    assert card["body"]
    assert _has_words(card)
