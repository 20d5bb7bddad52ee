"""Adaptive Cards for reports: `nps team`, `nps teams`, `nps me` and the weekly digest. Pure.

The chart comes in as PNG bytes (drawn by the caller, off the event loop) and goes into the
card as a data URI: Teams shows it inline, and nothing has to host the picture.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Iterable

from bot.gap_messages import LineChart
from bot.gap_text import agent_extras, digest_extras, melon_cell, overview_legend, team_extras
from bot.handlers.teams.elements import Card, Element, card, clip, ours, run, said
from bot.report_messages import (
    AgentReport,
    BarChart,
    Chart,
    TeamLine,
    TeamReport,
    TeamsOverview,
    Week,
    WeeklyDigest,
)
from bot.report_text import (
    answers,
    comparisons,
    delta,
    margin,
    mix,
    rate,
    table_weeks,
)
from bot.scoring import MIN_MEANINGFUL_ANSWERS, change, signed
from bot.texts import pieces, say, short_day

QUOTED_CHARS = 400  # per comment: a report is read at a glance, the export has the full text
QUOTES_BYTES = 8000  # all comments of one card, JSON-escaped
CARD_BYTES = 25_700  # a team report card up to its quotes: Teams takes about 28 KB in all
COMMENT_LINE_BYTES = 300  # `/nps me`: score, ticket and date around each quoted comment
TABLE_WEEKS = 8  # rows of a team's week table: as many as `/nps team` shows by default
NAME_CHARS, NAME_BYTES = 40, 120  # a team's name or a ticket id in a list, JSON-escaped
FEW = "⚠"
STANDING = {"star": "⭐", "needs help": "🆘"}


def clipped_quotes(
    comments: Iterable[str], overhead: int = 0, budget: int = QUOTES_BYTES
) -> list[str]:
    """Flattened and cut, each and all together: the chart already takes about 13 KB of the
    message's 28, and non-ASCII text travels at six bytes a character."""
    quoted, left = [], budget
    for comment in comments:
        text = clip(" ".join(comment.split()), QUOTED_CHARS, min(left, QUOTED_CHARS * 4))
        left -= len(json.dumps(text)) + overhead  # overhead: what each quote's line adds
        if left < 0:
            break
        quoted.append(text)
    return quoted


def _quotes(comments: tuple[str, ...], why_none: str, budget: int = QUOTES_BYTES) -> list[Element]:
    if not comments:
        return [ours(why_none, isSubtle=True, size="Small")]
    quoted = [said(run(f"“{c}”", italic=True)) for c in clipped_quotes(comments, budget=budget)]
    return [ours(f"**{say('report.said')}** {say('report.never_attributed')}"), *quoted]


def chart_image(chart: Chart | BarChart | LineChart | None, png: bytes | None) -> list[Element]:
    if chart is None or png is None:
        return []
    url = "data:image/png;base64," + base64.b64encode(png).decode("ascii")
    return [{"type": "Image", "url": url, "altText": chart.title[:200], "size": "Stretch"}]


def _name(text: str) -> str:
    # Sixty teams or fifteen comments: each name is cut so the list fits in one card.
    return clip(text, NAME_CHARS, NAME_BYTES)


def _cell(text: str) -> Element:
    return {"type": "TableCell", "items": [ours(text, size="Small")]}


def _week_table(report: TeamReport) -> list[Element]:
    head = say("report.columns").split("|")
    rows = [{"type": "TableRow", "style": "accent", "cells": [_cell(h) for h in head]}]
    # Each row costs about 800 bytes: 26 or 52 of them would pass Teams' 28 KB with the chart.
    weeks = report.weeks[-TABLE_WEEKS:]
    for i, week in enumerate(weeks):
        label = short_day(week.start) + (f" {say('report.so_far')}" if i == len(weeks) - 1 else "")
        rows.append(_week_row(week, label))
    columns = [{"width": 3}] + [{"width": 2}] * 6
    table = {"type": "Table", "columns": columns, "rows": rows, "firstRowAsHeader": True}
    if len(weeks) == len(report.weeks):
        return [table]
    note = table_weeks(len(weeks), len(report.weeks))
    return [table, ours(note, size="Small", isSubtle=True)]


def _week_row(week: Week, label: str) -> Element:
    t = week.tally
    if week.withheld:
        return {
            "type": "TableRow",
            "cells": [_cell(f"{label}: {week.withheld}")] + [_cell("–")] * 6,
        }
    figures = (
        label + (f" {FEW}" if t.too_few and t.answers else ""),
        signed(t.nps),
        f"{t.margin}" if t.margin is not None else "–",
        str(t.promoters),
        str(t.passives),
        str(t.detractors),
        f"{t.response_rate}%" if t.response_rate is not None else "–",
    )
    return {"type": "TableRow", "cells": [_cell(c) for c in figures]}


def _headline(report: TeamReport) -> list[Element]:
    p, weeks = report.period, len(report.weeks)
    if report.withheld:
        return [ours(say("report.over_weeks", score=f"**{report.withheld}**", weeks=weeks))]
    over = say("report.over_weeks", score=f"**{signed(p.nps)}**{margin(p)}", weeks=weeks)
    figures = comparisons(report.organisation, report.benchmark)
    return [
        ours(f"{over} · {answers(p.answers)} · {rate(p)}"),
        ours(delta(p, report.previous)),
        said(say("report.compare", figures=figures)),
        ours(mix(p), isSubtle=True),
    ]


def team_report(report: TeamReport, png: bytes | None) -> tuple[str, Card]:
    p, weeks = report.period, len(report.weeks)
    body: list[Element] = [
        said(run(say("report.title", team=report.team_label), weight="Bolder", size="Large")),
        *_headline(report),
        *[said(line) for line in team_extras(report)],
        *chart_image(report.chart, png),
        *_week_table(report),
        ours(
            say("report.legend", few=FEW, min=MIN_MEANINGFUL_ANSWERS), size="Small", isSubtle=True
        ),
    ]
    if report.undeliverable:
        undelivered = say("report.undeliverable", count=report.undeliverable)
        body.append(ours(undelivered, size="Small", isSubtle=True))
    # The quotes get what is left of the card's bytes: with the issue-15 lines, a hostile name,
    # the chart and 8 weeks, the card is already near Teams' 28 KB.
    room = CARD_BYTES - len(json.dumps(body))
    body += _quotes(report.comments, say("report.no_quotes"), min(QUOTES_BYTES, room))
    score = report.withheld or say("report.nps", nps=signed(p.nps))
    return say("report.summary", team=report.team_label, score=score, weeks=weeks), card(body)


def _team_line(line: TeamLine) -> Element:
    t = line.period
    moved = change(t.nps, line.previous.nps)
    if line.withheld:
        return said(run(_name(line.team_label), weight="Bolder"), f" {line.withheld}")
    return said(
        f"{STANDING[line.standing]} " if line.standing else "",
        run(_name(line.team_label), weight="Bolder"),
        f" {signed(t.nps)}"
        + (f" ({signed(moved)})" if moved is not None else "")
        + f" · {answers(t.answers)}"
        + (
            f", {say('overview.response', rate=t.response_rate)}"
            if t.response_rate is not None
            else ""
        )
        + melon_cell(line.sla)
        + (f" {FEW}" if t.too_few else ""),
    )


def teams_overview(report: TeamsOverview) -> tuple[str, Card]:
    rows = [_team_line(line) for line in report.lines]
    body: list[Element] = [
        ours(
            f"**{say('overview.title', weeks=report.weeks)}** "
            f"{say('overview.since', day=short_day(report.since))}",
            size="Medium",
        ),
        *(rows or [ours(say("overview.no_teams"))]),
        *_organisation(report),
        ours(overview_legend(report.weeks, FEW), size="Small", isSubtle=True),
    ]
    return say("overview.summary", weeks=report.weeks), card(body)


def _organisation(report: TeamsOverview) -> list[Element]:
    """The organisation's figure (or why it is withheld), then the benchmark's if any."""
    org = report.organisation
    lines = [
        said(
            say("overview.organisation_withheld", withheld=report.organisation_withheld)
            if report.organisation_withheld
            else say(
                "overview.organisation",
                figures=f"{signed(org.nps)}{margin(org)} · "
                f"{answers(org.answers)} · {delta(org, report.previous_organisation)}",
            )
        )
    ]
    if report.benchmark:
        name, nps = report.benchmark.name, signed(report.benchmark.nps)
        lines.append(said(say("overview.benchmark", name=name, nps=nps)))
    return lines


def agent_report(report: AgentReport, png: bytes | None) -> tuple[str, Card]:
    body: list[Element] = [
        ours(f"**{say('me.title', weeks=report.weeks)}**", size="Medium"),
        *_agent_figures(report),
        *[said(line) for line in agent_extras(report)],
        *chart_image(report.chart, png),
        *_agent_comments(report),
    ]
    return say("me.summary", score=report.withheld or signed(report.period.nps)), card(body)


def _agent_figures(report: AgentReport) -> list[Element]:
    if report.withheld:
        return [ours(say("me.on_your_tickets", figures=f"**{report.withheld}**"))]
    p = report.period
    figures = f"**{signed(p.nps)}**{margin(p)} · {answers(p.answers)}"
    return [
        ours(say("me.on_your_tickets", figures=figures) + f" · {rate(p)}"),
        ours(delta(p, report.previous)),
        ours(mix(p), isSubtle=True),
    ]


def _agent_comments(report: AgentReport) -> list[Element]:
    if not report.comments:
        return [ours(say("me.no_comments"), isSubtle=True)]
    lines = [ours(f"**{say('me.comments')}**")]
    shown = clipped_quotes((c.comment for c in report.comments), overhead=COMMENT_LINE_BYTES)
    for c, text in zip(report.comments, shown, strict=False):
        score, day = run(f"{c.score}", weight="Bolder"), short_day(c.answered_at.date())
        line = pieces("me.comment", score=score, ticket=_name(c.ticket_id), day=day)
        lines.append(said(*line[:-1], f"{line[-1]}: ", run(f"“{text}”", italic=True)))
    return lines


def digest(msg: WeeklyDigest, png: bytes | None) -> tuple[str, Card]:
    w = msg.week.tally
    title = say("digest.title", team=msg.team_label)
    week_of = say("digest.week_of", day=short_day(msg.week.start))
    body: list[Element] = [
        said(run(title, weight="Bolder", size="Medium"), f", {week_of}"),
        *(
            [ours(f"**{msg.week.withheld}**")]
            if msg.week.withheld
            else [
                ours(f"**{signed(w.nps)}**{margin(w)} · {answers(w.answers)} · {rate(w)}"),
                ours(delta(w, msg.previous, "week")),
            ]
        ),
        ours(say("digest.open_callbacks", count=msg.open_callbacks)),
        *([said(msg.top_driver)] if msg.top_driver else []),
        *([said(msg.top_theme)] if msg.top_theme else []),
        *[said(line) for line in digest_extras(msg)],
    ]
    if w.too_few and not msg.week.withheld:
        body.append(ours(say("digest.few", few=FEW, min=MIN_MEANINGFUL_ANSWERS), isSubtle=True))
    body += chart_image(msg.chart, png)
    body += [said(run(f"“{c}”", italic=True)) for c in clipped_quotes(msg.comments)]
    return f"{title}, {week_of}", card(body)
