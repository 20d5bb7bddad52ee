"""The shell says what Slack says (and, for the surveys, Teams): each sentence the terminal
prints is found in the same message rendered for Slack, once its markup is taken off."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

import pytest

from bot.callbacks_model import CallbackStatus
from bot.handlers.shell import render as shell
from bot.handlers.shell import render_reports as shell_reports
from bot.handlers.shell import where_stored
from bot.handlers.slack import render as slack
from bot.handlers.teams import render as teams
from bot.messages import (
    CallbackLine,
    CallbackList,
    CallbackReminder,
    OutboundMessage,
    OwnerReminder,
    Praise,
    Reply,
    ScoreThanks,
    SurveyClosed,
    SurveyOptedOut,
    SurveyPrompt,
)
from bot.report_messages import (
    AgentComment,
    AgentReport,
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
from bot.scoring import Tally
from tests.unit.test_teams_render import AT, CHART, TALLY, alert

LEAD = "U0LEAD1"  # a Slack id, which Slack mentions; the shell's ids are e-mails
PROMPT = SurveyPrompt("s1", "INC1", "Printer jammed", None, "Bob", "End User Services")
THANKS = ScoreThanks("s1", "INC1", "Printer jammed", 3, "Took three days", ("timeliness",))


def messages() -> Iterator[OutboundMessage]:
    yield PROMPT
    yield SurveyPrompt("s1", "INC1", "Printer jammed", None, None, "EUS", reminder=True)
    yield THANKS
    yield SurveyClosed("INC1", "Printer jammed")
    yield SurveyOptedOut("INC1", "Printer jammed")
    for status in CallbackStatus:
        yield alert(
            status,
            owner_id=LEAD if status is not CallbackStatus.OPEN else None,
            comment="Too slow",
            drivers=("timeliness",),
        )
    yield CallbackReminder("cb1", "INC1", "VPN", 3, "EUS", 2, AT)
    yield OwnerReminder("cb1", "INC1", "VPN", AT)
    yield Praise("INC1", "VPN", 10, "Brilliant", None, "Carol", for_team=True)
    yield Praise("INC1", "VPN", 10, "Brilliant", None, "Carol", for_team=False)
    yield WeeklyDigest(
        "eus",
        "EUS",
        Week(date(2026, 11, 16), TALLY),
        TALLY,
        2,
        ("Good",),
        CHART,
        top_driver="What moves the score most (last 12 weeks): Timeliness, 40 % of it",
        top_theme="Fastest-growing theme (last 12 weeks): waited · days, 12 comments (+10 on "
        "the 12 weeks before)",
    )


def replies() -> Iterator[Reply]:
    week = Week(date(2026, 11, 16), TALLY)
    bench = Benchmark("IT support", 38)
    yield TeamReport("eus", "EUS", (week, week), TALLY, TALLY, TALLY, ("Nice",), 1, bench, CHART)
    yield TeamReport(
        "eus",
        "EUS",
        (week,),
        Tally(),
        Tally(),
        TALLY,
        (),
        0,
        None,
        CHART,
        withheld="too few answers to show a score (1 of 5)",
    )
    line = TeamLine("eus", "End User Services", TALLY, TALLY, "star")
    yield TeamsOverview(4, date(2026, 10, 26), (line,), TALLY, TALLY, bench)
    comment = AgentComment("INC1", 9, "Kind and quick", AT)
    yield AgentReport("you", 12, TALLY, TALLY, (comment,), CHART)
    driver = DriverLine("timeliness", "Timeliness", 4, 3, 100, -33, 0.4, 2)
    yield DriverReport("eus", "EUS", 12, 40, 10, 0.31, (driver,), None)
    theme = ThemeLine(("waited", "days"), 12, 9, 2, ("Waited a week", "Nobody came"))
    yield ThemeReport("eus", "EUS", 12, 20, (theme, ThemeLine(("fast",), 8, 0, None, ())))
    yield ThemeReport("eus", "EUS", 12, 3, (), "too few answers to show themes (3 of 5)")
    waiting = CallbackLine("INC1", "VPN", 3, "EUS", None, timedelta(hours=30))
    yield CallbackList((waiting, CallbackLine("INC2", "Mail", 5, "EUS", LEAD, timedelta())), "EUS")
    yield CallbackList((), "EUS")


def texts(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        if isinstance(node.get("text"), str):
            yield node["text"]
        for value in node.values():
            if not isinstance(value, str):
                yield from texts(value)
    elif isinstance(node, list):
        for item in node:
            yield from texts(item)


def slack_words(blocks: list[dict[str, Any]]) -> str:
    text = "\n".join(texts(blocks))
    text = re.sub(r"<!date\^\d+\^[^|]*\|([^>]*)>", r"\1", text)
    text = re.sub(r"<@([^>]*)>", r"\1", text)
    text = re.sub(r":[a-z_]+: ", "", text).replace("*", "").replace("```", "\n")
    return " ".join(html.unescape(text).split())


def teams_words(card: dict[str, Any]) -> str:
    blocks = []
    for node in teams_nodes(card):
        if node.get("type") == "RichTextBlock":
            blocks.append("".join(r["text"] for r in node["inlines"]))
        elif node.get("type") == "TextBlock":
            blocks.append(node["text"])
    return " ".join(" ".join(blocks).replace("**", "").split())


def teams_nodes(node: Any) -> Iterator[dict[str, Any]]:
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from teams_nodes(value)
    elif isinstance(node, list):
        for item in node:
            yield from teams_nodes(item)


def sentences(lines: list[str]) -> Iterator[str]:
    """The shell's lines that carry the platforms' words: not its `→ command` hints, nor the
    one-line layout of fields Slack draws as a grid."""
    for line in lines:
        if line.startswith(("→", "  ", "Requester: ")) or re.fullmatch(
            r"\d+ open callbacks?", line
        ):
            continue
        yield " ".join(line.removeprefix("• ").lstrip("🚨⏰⌛ ").split())


@pytest.mark.parametrize("msg", list(messages()), ids=lambda m: type(m).__name__)
def test_every_message_says_what_slack_says(msg: OutboundMessage) -> None:
    slack_text = slack_words(slack.message(msg)[1])
    for sentence in sentences(shell.message(msg)):
        assert sentence in slack_text, (sentence, slack_text)


@pytest.mark.parametrize("reply", list(replies()), ids=lambda r: type(r).__name__)
def test_every_reply_says_what_slack_says(reply: Reply) -> None:
    slack_text = slack_words(slack.command_reply(reply)[1])
    for sentence in sentences(shell_reports.reply(reply)):
        assert sentence in slack_text, (sentence, slack_text)


@pytest.mark.parametrize("msg", [PROMPT, THANKS, SurveyClosed("INC1", "Printer jammed")])
def test_the_survey_says_what_teams_says(msg: OutboundMessage) -> None:
    teams_text = teams_words(teams.message(msg, {})[1])
    for sentence in sentences(shell.message(msg)):
        assert sentence.removeprefix("> ") in teams_text, (sentence, teams_text)


def test_the_survey_shows_the_question_the_scale_and_how_to_answer() -> None:
    lines = shell.message(PROMPT)
    assert lines[:3] == [
        "Your ticket INC1 Printer jammed was closed by Bob.",
        "How likely are you to recommend End User Services to a colleague?",
        "0 = not at all likely · 10 = extremely likely",
    ]
    assert lines[3].startswith("→ score 0-10")


def test_the_thanks_offers_the_drivers_of_the_score_band_in_the_forms_order() -> None:
    detractor = shell.message(ScoreThanks("s1", "INC1", "t", 3, offered=("courtesy", "timeliness")))
    assert detractor[-1] == "  What went wrong? courtesy (Courtesy) · timeliness (Timeliness)"
    promoter = shell.message(ScoreThanks("s1", "INC1", "t", 9))
    assert promoter[-1].startswith("  What went well? ")


def test_the_banner_names_the_database_without_its_credentials() -> None:
    assert where_stored("sqlite:///npsbot.db") == "SQLite npsbot.db"
    assert where_stored("postgresql+asyncpg://nps:s3cret@db:5432/nps") == "postgresql://db/nps"
