"""Adaptive Card for `nps gap`: IT's view beside customers' week by week, with the chart. Pure."""

from __future__ import annotations

from bot.gap_messages import GapReport
from bot.gap_text import gap_period, gap_week
from bot.handlers.teams.elements import Card, Element, card, ours, run, said
from bot.handlers.teams.render_reports import chart_image
from bot.report_text import table_weeks
from bot.texts import say

# Rows cost about 150 bytes each: 52 of them and the chart would pass Teams' 28 KB.
ROWS = 26


def gap_report(report: GapReport, png: bytes | None) -> tuple[str, Card]:
    shown = report.weeks[-ROWS:]
    rows = [said(gap_week(week, i == len(shown) - 1)) for i, week in enumerate(shown)]
    if len(shown) < len(report.weeks):
        rows.append(ours(table_weeks(len(shown), len(report.weeks)), size="Small", isSubtle=True))
    body: list[Element] = [
        said(run(say("gap.title", team=report.team_label), weight="Bolder", size="Large")),
        said(gap_period(report)),
        *chart_image(report.chart, png),
        *rows,
        ours(say("gap.explained"), size="Small", isSubtle=True),
    ]
    return f"{report.team_label}: {gap_period(report)}", card(body)
