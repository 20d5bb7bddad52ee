"""Tests for bot.handlers.teams.render*: Adaptive Cards 1.5, and outside text only in TextRuns."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from bot.callbacks_model import CallbackStatus, Outcome
from bot.charts import render_chart
from bot.handlers.teams import render, render_alerts, render_reports, render_survey
from bot.messages import (
    CallbackLine,
    CallbackList,
    CallbackReminder,
    CommentForm,
    DetractorAlert,
    Notice,
    OwnerReminder,
    Praise,
    ScoreThanks,
    SurveyClosed,
    SurveyOptedOut,
    SurveyPrompt,
)
from bot.model import MAX_COMMENT_CHARS, Driver
from bot.report_messages import (
    AgentComment,
    AgentReport,
    Benchmark,
    Chart,
    TeamLine,
    TeamReport,
    TeamsOverview,
    Week,
    WeeklyDigest,
)
from bot.scoring import Tally

SURVEY = "0123456789abcdef"
HOSTILE = "[pwn](https://evil.example) **loud** <at>Boss</at> _x_ # h"
AT = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)
LEAD = "6f1c5e2a-0100-4a2b-9c3d-0123456789ab"
REQUESTER = "6f1c5e2a-0001-4a2b-9c3d-0123456789ab"
PNG = b"\x89PNG\r\n\x1a\n" + b"0" * 100
CHART = Chart("End User Services — last 8 weeks", 40, ((date(2026, 11, 16), 40),))
TALLY = Tally(promoters=6, passives=2, detractors=2, delivered=12, delivered_answered=10)


def nodes(node: Any) -> Iterator[dict[str, Any]]:
    if isinstance(node, list):
        for item in node:
            yield from nodes(item)
    elif isinstance(node, dict):
        yield node
        for value in node.values():
            yield from nodes(value)


def of_type(card: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    return [n for n in nodes(card) if n.get("type") == kind]


def prompt(**changes: Any) -> SurveyPrompt:
    fields: dict[str, Any] = {
        "survey_id": SURVEY,
        "ticket_id": "INC0012345",
        "title": "VPN keeps disconnecting",
        "url": "https://itsm.example.com/INC0012345",
        "agent_name": "Carol",
        "team_label": "End User Services",
    }
    return SurveyPrompt(**{**fields, **changes})


def alert(status: CallbackStatus, **changes: Any) -> DetractorAlert:
    fields: dict[str, Any] = {
        "callback_id": "cb01",
        "ticket_id": "INC1",
        "title": "VPN",
        "url": None,
        "requester_id": REQUESTER,
        "agent_name": "Carol",
        "team_label": "EUS",
        "score": 3,
        "comment": None,
        "drivers": (),
        "status": status,
        "owner_id": LEAD if status is not CallbackStatus.OPEN else None,
        "claimed_at": AT if status is not CallbackStatus.OPEN else None,
        "closed_at": AT + timedelta(hours=2) if status is CallbackStatus.CLOSED else None,
        "outcome": Outcome.RESOLVED if status is CallbackStatus.CLOSED else None,
        "created_at": AT - timedelta(hours=1),
    }
    return DetractorAlert(**{**fields, **changes})


def test_the_survey_card_offers_0_to_10_in_rows_a_thumb_can_hit() -> None:
    summary, card = render_survey.survey_prompt(prompt())
    assert card["type"] == "AdaptiveCard"
    assert card["version"] == "1.5"
    rows = of_type(card, "ColumnSet")
    assert [len(r["columns"]) for r in rows] == [6, 5]
    boxes = [c["selectAction"] for r in rows for c in r["columns"]]
    assert [b["data"] for b in boxes] == [{"survey": SURVEY, "score": n} for n in range(11)]
    assert {b["type"] for b in boxes} == {"Action.Execute"}
    assert {b["verb"] for b in boxes} == {"nps.score"}
    for box in boxes:  # older clients get the same answer through Action.Submit
        assert box["fallback"]["type"] == "Action.Submit"
        assert box["fallback"]["data"] == {**box["data"], "verb": "nps.score"}
    (opt_out,) = card["actions"]
    assert opt_out["verb"] == "nps.optout"
    assert summary.startswith("How did it go with INC0012345")


def test_the_ticket_links_to_the_itsm_tool_only_for_a_web_url() -> None:
    _, linked = render_survey.survey_prompt(prompt())
    (ticket,) = [r for r in of_type(linked, "TextRun") if r["text"].startswith("INC0012345")]
    assert ticket["selectAction"] == {
        "type": "Action.OpenUrl",
        "url": "https://itsm.example.com/INC0012345",
    }
    _, unlinked = render_survey.survey_prompt(prompt(url="javascript:alert(1)"))
    assert "javascript" not in json.dumps(unlinked)


def test_a_reminder_says_so() -> None:
    _, card = render_survey.survey_prompt(prompt(reminder=True))
    assert "A quick reminder" in json.dumps(card)


def test_thanks_offers_the_comment_form_prefilled_with_what_was_said() -> None:
    thanks = ScoreThanks(SURVEY, "INC1", "VPN", 4, "Slow", (Driver.TIMELINESS,))
    _, card = render_survey.score_thanks(thanks)
    (show,) = card["actions"]
    assert show["type"] == "Action.ShowCard"
    assert show["title"] == "Edit your comment"
    inputs = {n["id"]: n for n in nodes(show["card"]) if str(n.get("type")).startswith("Input.")}
    assert inputs["comment"]["value"] == "Slow"
    assert inputs["comment"]["maxLength"] == MAX_COMMENT_CHARS
    assert inputs["drivers"]["value"] == "timeliness"
    assert {c["value"] for c in inputs["drivers"]["choices"]} == {d.value for d in Driver}
    assert inputs["share"]["value"] == "false"
    (send,) = show["card"]["actions"]
    assert (send["verb"], send["data"]) == ("nps.comment", {"survey": SURVEY})
    _, done = render_survey.score_thanks(ScoreThanks(SURVEY, "INC1", "VPN", 4, can_comment=False))
    assert "actions" not in done


def test_the_comment_form_card_stands_alone_too() -> None:
    _, card = render_survey.comment_form(CommentForm(SURVEY, "INC1", 9))
    assert [a["verb"] for a in card["actions"]] == ["nps.comment"]
    assert {n.get("id") for n in nodes(card)} >= {"comment", "drivers", "share"}


def every_card() -> Iterator[tuple[str, dict[str, Any]]]:
    """Each renderer, fed HOSTILE wherever text comes from a requester, an ITSM tool or a name."""
    people = {REQUESTER: HOSTILE, LEAD: HOSTILE}
    week = Week(date(2026, 11, 16), TALLY)
    bench = Benchmark(HOSTILE, 38)
    yield (
        "prompt",
        render_survey.survey_prompt(prompt(title=HOSTILE, agent_name=HOSTILE, team_label=HOSTILE))[
            1
        ],
    )
    yield "thanks", render_survey.score_thanks(ScoreThanks(SURVEY, "INC1", HOSTILE, 3, HOSTILE))[1]
    yield "closed", render.survey_closed(SurveyClosed("INC1", HOSTILE))[1]
    yield "opted out", render.survey_opted_out(SurveyOptedOut("INC1", HOSTILE))[1]
    for for_team in (True, False):
        praise = Praise("INC1", HOSTILE, 10, HOSTILE, LEAD, HOSTILE, for_team)
        yield "praise", render.praise(praise, people)[1]
        yield "praise, no name", render.praise(praise, {})[1]
    for status in CallbackStatus:
        hostile = alert(
            status, title=HOSTILE, agent_name=HOSTILE, team_label=HOSTILE, comment=HOSTILE
        )
        yield f"alert {status}", render_alerts.detractor_alert(hostile, people)[1]
    reminder = CallbackReminder("cb01", "INC1", HOSTILE, 2, HOSTILE, 1, AT)
    yield "reminder", render_alerts.callback_reminder(reminder)[1]
    yield (
        "owner reminder",
        render_alerts.owner_reminder(OwnerReminder("cb", "INC1", HOSTILE, AT))[1],
    )
    line = CallbackLine("INC1", HOSTILE, 3, HOSTILE, LEAD, timedelta(hours=30))
    yield "list", render_alerts.callback_list(CallbackList((line,), HOSTILE), people)[1]
    report = TeamReport("eus", HOSTILE, (week,), TALLY, TALLY, TALLY, (HOSTILE,), 1, bench, CHART)
    yield "team report", render_reports.team_report(report, PNG)[1]
    line_of_team = TeamLine("eus", HOSTILE, TALLY, TALLY, "star")
    overview = TeamsOverview(4, date(2026, 10, 26), (line_of_team,), TALLY, TALLY, bench)
    yield "overview", render_reports.teams_overview(overview)[1]
    comment = AgentComment("INC1", 9, HOSTILE, AT)
    yield (
        "me",
        render_reports.agent_report(AgentReport("you", 12, TALLY, TALLY, (comment,), CHART), PNG)[
            1
        ],
    )
    digest = WeeklyDigest("eus", HOSTILE, week, TALLY, 2, (HOSTILE,), CHART)
    yield "digest", render_reports.digest(digest, PNG)[1]


@pytest.mark.parametrize(("name", "card"), list(every_card()), ids=lambda v: str(v)[:20])
def test_outside_text_never_reaches_markdown(name: str, card: dict[str, Any]) -> None:
    """Teams parses Markdown in TextBlock, not in TextRun (reliability.md §4.6)."""
    assert card["version"] == "1.5"
    for block in of_type(card, "TextBlock"):
        # A mention's name is cleaned to words (tested below); the rest must be ours alone.
        text = re.sub(r"<at>[^<]*</at>", "", block["text"])
        assert "evil" not in text, (name, block)
        assert "**loud**" not in text, (name, block)
    # In the runs, whole: nothing dropped it on the way (a known person's name is a mention).
    assert any(HOSTILE in r["text"] for r in of_type(card, "TextRun")), name


def test_a_mention_carries_the_id_and_a_name_stripped_of_markup() -> None:
    _, card = render_alerts.detractor_alert(alert(CallbackStatus.CLAIMED), {LEAD: HOSTILE})
    (mention,) = card["msteams"]["entities"]
    assert mention["mentioned"]["id"] == LEAD
    name = mention["mentioned"]["name"]
    assert not set(name) & set("<>[]()*_~`#:/")
    assert f"<at>{name}</at> is calling back" in json.dumps(card)


def test_the_alert_moves_from_call_back_to_done_and_release_to_no_buttons() -> None:
    verbs = {}
    for status in CallbackStatus:
        _, card = render_alerts.detractor_alert(alert(status), {})
        verbs[status] = sorted(n["verb"] for n in of_type(card, "Action.Execute"))
    assert verbs[CallbackStatus.OPEN] == ["nps.callback.claim"]
    assert verbs[CallbackStatus.CLAIMED] == ["nps.callback.done", "nps.callback.release"]
    assert verbs[CallbackStatus.CLOSED] == []
    _, closed = render_alerts.detractor_alert(alert(CallbackStatus.CLOSED), {})
    assert "Resolved the issue" in json.dumps(closed)
    assert "3h 00m" in json.dumps(closed)
    assert "a lead" in json.dumps(closed)  # no name known: no mention, no raw id


def test_the_outcome_form_offers_every_outcome() -> None:
    _, card = render_alerts.detractor_alert(alert(CallbackStatus.CLAIMED), {})
    (choice,) = [n for n in nodes(card) if n.get("id") == "outcome"]
    assert [c["value"] for c in choice["choices"]] == [o.value for o in Outcome]


def test_notices_written_for_slack_read_right_in_teams() -> None:
    _, card = render.notice(Notice("Type `/nps team eus` here.\n• `/nps help` — this"))
    runs = of_type(card, "TextRun")
    assert [r["text"] for r in runs if r.get("fontType") == "Monospace"] == [
        "nps team eus",
        "nps help",
    ]
    assert "`" not in json.dumps(card)
    assert "/nps" not in json.dumps(card)
    _, in_channel = render.notice(Notice("hi"), channel_id="19:abc@thread.tacv2")
    assert "19:abc@thread.tacv2" in json.dumps(in_channel)


def test_reports_carry_the_chart_as_a_data_uri_and_a_week_table() -> None:
    week = Week(date(2026, 11, 16), TALLY)
    report = TeamReport("eus", "EUS", (week,), TALLY, Tally(), TALLY, (), 0, None, CHART)
    _, card = render_reports.team_report(report, PNG)
    (image,) = of_type(card, "Image")
    assert image["url"].startswith("data:image/png;base64,iVBORw0KGgo")
    assert image["altText"] == CHART.title
    (table,) = of_type(card, "Table")
    assert len(table["rows"]) == 2  # the header and one week
    _, without = render_reports.team_report(report, None)
    assert of_type(without, "Image") == []


def test_the_longest_comment_keeps_every_card_within_teams_message_size() -> None:
    """Non-ASCII text is the worst case: the connector sends each character as six bytes."""
    longest = "é" * MAX_COMMENT_CHARS
    thanks = ScoreThanks(SURVEY, "INC1", "t" * 300, 3, longest, tuple(Driver))
    hostile = alert(CallbackStatus.CLAIMED, comment=longest, title="t" * 300)
    for card in (
        render_survey.score_thanks(thanks)[1],
        render_alerts.detractor_alert(hostile, {})[1],
    ):
        # Teams refuses about 28 KB; the activity around the card adds about 1 KB.
        assert len(json.dumps(card).encode()) < 26_000


def test_reports_with_many_long_comments_and_the_chart_stay_within_the_message_size() -> None:
    trend = tuple((date(2026, 9, 7) + timedelta(weeks=i), (i * 17) % 200 - 100) for i in range(12))
    chart = Chart("Ünïcode — last 12 weeks", -35, trend)
    png = render_chart(chart.title, chart.current, chart.trend)
    comments = tuple(AgentComment(f"INC{i}", i % 11, "ж" * 3000, AT) for i in range(15))
    _, me = render_reports.agent_report(AgentReport("you", 12, TALLY, TALLY, comments, chart), png)
    week = Week(date(2026, 11, 16), TALLY)
    digest = WeeklyDigest("eus", "EUS", week, TALLY, 2, tuple("ж" * 3000 for _ in range(9)), chart)
    _, weekly = render_reports.digest(digest, png)
    for card in (me, weekly):
        assert of_type(card, "Image")
        assert len(json.dumps(card).encode()) < 26_000
