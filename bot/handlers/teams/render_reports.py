"""Adaptive Cards for reports: `nps team`, `nps teams`, `nps me` and the weekly digest. Pure.

The chart comes in as PNG bytes (drawn by the caller, off the event loop) and goes into the
card as a data URI: Teams shows it inline, and nothing has to host the picture.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Iterable
from datetime import date

from bot.gap_messages import LineChart
from bot.handlers.teams.render import Card, Element, card, clip, ours, run, said
from bot.messages import (
    AgentReport,
    BarChart,
    Chart,
    DriverReport,
    TeamLine,
    TeamReport,
    TeamsOverview,
    WeeklyDigest,
)
from bot.report_text import (
    MELON_LEGEND,
    NO_QUOTES,
    agent_extras,
    answers,
    change_legend,
    comparisons,
    delta,
    digest_extras,
    driver_footer,
    driver_headline,
    driver_line,
    margin,
    melon_cell,
    mix,
    rate,
    team_extras,
)
from bot.scoring import MIN_MEANINGFUL_ANSWERS, change, signed

QUOTED_CHARS = 400  # per comment: a report is read at a glance, the export has the full text
QUOTES_BYTES = 8000  # all comments of one card, JSON-escaped
FEW = "⚠"
STANDING = {"star": "⭐", "needs help": "🆘"}


def _day(day: date) -> str:
    return f"{day.day} {day:%b}"


def _quoted(comments: Iterable[str]) -> list[str]:
    """Flattened and cut, each and all together: the chart already takes about 13 KB of the
    message's 28, and non-ASCII text travels at six bytes a character."""
    quoted, left = [], QUOTES_BYTES
    for comment in comments:
        text = clip(" ".join(comment.split()), QUOTED_CHARS, min(left, QUOTED_CHARS * 4))
        left -= len(json.dumps(text))
        if left < 0:
            break
        quoted.append(text)
    return quoted


def _quotes(comments: tuple[str, ...], why_none: str) -> list[Element]:
    if not comments:
        return [ours(why_none, isSubtle=True, size="Small")]
    quoted = [said(run(f"“{c}”", italic=True)) for c in _quoted(comments)]
    return [ours("**What people said** (never attributed)"), *quoted]


def chart_image(chart: Chart | BarChart | LineChart, png: bytes | None) -> list[Element]:
    if png is None:
        return []
    url = "data:image/png;base64," + base64.b64encode(png).decode("ascii")
    return [{"type": "Image", "url": url, "altText": chart.title[:200], "size": "Stretch"}]


def _cell(text: str) -> Element:
    return {"type": "TableCell", "items": [ours(text, size="Small")]}


def _week_table(report: TeamReport) -> Element:
    head = ["Week of", "NPS", "±", "Prom", "Pass", "Detr", "Rate"]
    rows = [{"type": "TableRow", "style": "accent", "cells": [_cell(h) for h in head]}]
    for i, week in enumerate(report.weeks):
        t = week.tally
        label = _day(week.start) + (" (so far)" if i == len(report.weeks) - 1 else "")
        if week.withheld:
            cells = [_cell(f"{label}: {week.withheld}")] + [_cell("–")] * 6
            rows.append({"type": "TableRow", "cells": cells})
            continue
        rows.append({"type": "TableRow", "cells": [_cell(c) for c in (
            label + (f" {FEW}" if t.too_few and t.answers else ""), signed(t.nps),
            f"{t.margin}" if t.margin is not None else "–", str(t.promoters), str(t.passives),
            str(t.detractors), f"{t.response_rate}%" if t.response_rate is not None else "–",
        )]})  # fmt: skip
    columns = [{"width": 3}] + [{"width": 2}] * 6
    return {"type": "Table", "columns": columns, "rows": rows, "firstRowAsHeader": True}


def _headline(report: TeamReport) -> list[Element]:
    p, weeks = report.period, len(report.weeks)
    if report.withheld:
        return [ours(f"**{report.withheld}** over the last {weeks} weeks")]
    return [
        ours(f"**{signed(p.nps)}**{margin(p)} over the last {weeks} weeks · {answers(p.answers)} "
             f"· {rate(p)}"),
        ours(delta(p, report.previous)),
        said("Compare: " + comparisons(report.organisation, report.benchmark)),
        ours(mix(p), isSubtle=True),
    ]  # fmt: skip


def team_report(report: TeamReport, png: bytes | None) -> tuple[str, Card]:
    p, weeks = report.period, len(report.weeks)
    body: list[Element] = [
        said(run(f"NPS — {report.team_label}", weight="Bolder", size="Large")),
        *_headline(report),
        *[said(line) for line in team_extras(report)],
        *chart_image(report.chart, png),
        _week_table(report),
        ours(f"{FEW} fewer than {MIN_MEANINGFUL_ANSWERS} answers: one answer moves that week's "
             "score a lot. ± is the margin of error at 95 %. Weeks start Monday in the team's "
             "time zone.", size="Small", isSubtle=True),
    ]  # fmt: skip
    if report.undeliverable:
        body.append(ours(f"{report.undeliverable} survey(s) of this period could not be "
                         "delivered.", size="Small", isSubtle=True))  # fmt: skip
    body += _quotes(report.comments, NO_QUOTES)
    score = report.withheld or f"NPS {signed(p.nps)}"
    return f"{report.team_label}: {score} over the last {weeks} weeks", card(body)


def _team_line(line: TeamLine) -> Element:
    t = line.period
    moved = change(t.nps, line.previous.nps)
    if line.withheld:
        return said(run(line.team_label, weight="Bolder"), f" {line.withheld}")
    return said(
        f"{STANDING[line.standing]} " if line.standing else "",
        run(line.team_label, weight="Bolder"),
        f" {signed(t.nps)}" + (f" ({signed(moved)})" if moved is not None else "")
        + f" · {answers(t.answers)}"
        + (f", {t.response_rate} % response" if t.response_rate is not None else "")
        + melon_cell(line.sla)
        + (f" {FEW}" if t.too_few else ""),
    )  # fmt: skip


def teams_overview(report: TeamsOverview) -> tuple[str, Card]:
    rows = [_team_line(line) for line in report.lines]
    org = report.organisation
    body: list[Element] = [
        ours(f"**NPS by team — last {report.weeks} weeks** (since {_day(report.since)})",
             size="Medium"),
        *(rows or [ours("No teams are configured in nps.toml yet.")]),
        said(f"Organisation: {report.organisation_withheld}" if report.organisation_withheld
             else f"Organisation {signed(org.nps)}{margin(org)} · {answers(org.answers)} · "
             f"{delta(org, report.previous_organisation)}"),
        *([said(f"Benchmark: {report.benchmark.name} {signed(report.benchmark.nps)}")]
          if report.benchmark else []),
        ours(f"{change_legend(report.weeks)} {MELON_LEGEND} ⭐ at least 10 "
             f"points above the organisation, 🆘 negative or 10 below; {FEW} fewer than "
             f"{MIN_MEANINGFUL_ANSWERS} answers, so no verdict.", size="Small", isSubtle=True),
    ]  # fmt: skip
    return f"NPS by team, last {report.weeks} weeks", card(body)


def agent_report(report: AgentReport, png: bytes | None) -> tuple[str, Card]:
    p = report.period
    body: list[Element] = [
        ours(f"**Your NPS — last {report.weeks} weeks**", size="Medium"),
        *([ours(f"**{report.withheld}** on your tickets")] if report.withheld else [
            ours(f"**{signed(p.nps)}**{margin(p)} · {answers(p.answers)} on your tickets · "
                 f"{rate(p)}"),
            ours(delta(p, report.previous)),
            ours(mix(p), isSubtle=True),
        ]),
        *[said(line) for line in agent_extras(report)],
        *chart_image(report.chart, png),
    ]  # fmt: skip
    if not report.comments:
        body.append(ours("No comments on your tickets in this period.", isSubtle=True))
    else:
        body.append(ours("**Recent comments on your tickets**"))
        shown = _quoted(c.comment for c in report.comments)
        for c, text in zip(report.comments, shown, strict=False):
            body.append(said(run(f"{c.score}", weight="Bolder"),
                             f" on {c.ticket_id} ({_day(c.answered_at.date())}): ",
                             run(f"“{text}”", italic=True)))  # fmt: skip
    return f"Your NPS: {report.withheld or signed(p.nps)}", card(body)


def digest(msg: WeeklyDigest, png: bytes | None) -> tuple[str, Card]:
    w = msg.week.tally
    body: list[Element] = [
        said(run(f"Weekly NPS — {msg.team_label}", weight="Bolder", size="Medium"),
             f", week of {_day(msg.week.start)}"),
        *([ours(f"**{msg.week.withheld}**")] if msg.week.withheld else [
            ours(f"**{signed(w.nps)}**{margin(w)} · {answers(w.answers)} · {rate(w)}"),
            ours(delta(w, msg.previous, "week")),
        ]),
        ours(f"Open callbacks: {msg.open_callbacks}"),
        *([said(msg.top_driver)] if msg.top_driver else []),
        *[said(line) for line in digest_extras(msg)],
    ]  # fmt: skip
    if w.too_few and not msg.week.withheld:
        body.append(ours(f"{FEW} fewer than {MIN_MEANINGFUL_ANSWERS} answers: read the score "
                         "loosely.", isSubtle=True))  # fmt: skip
    body += chart_image(msg.chart, png)
    body += [said(run(f"“{c}”", italic=True)) for c in _quoted(msg.comments)]
    return f"Weekly NPS — {msg.team_label}, week of {_day(msg.week.start)}", card(body)


def driver_report(report: DriverReport, png: bytes | None) -> tuple[str, Card]:
    headline = driver_headline(report)
    body: list[Element] = [
        said(run(f"What moves the score — {report.team_label}", weight="Bolder", size="Large")),
        ours(f"**{headline[0].upper() + headline[1:]}.**"),
        *(chart_image(report.chart, png) if report.chart else []),
        *[said(run(d.label, weight="Bolder"), " " + driver_line(d)) for d in report.drivers],
        ours(driver_footer(report), size="Small", isSubtle=True),
    ]
    return f"{report.team_label}: {headline}", card(body)
