"""Adaptive Card for `nps gap`: IT's view beside customers' week by week, with the chart. Pure."""

from __future__ import annotations

from bot.gap_messages import GapReport
from bot.handlers.teams.render import Card, Element, card, ours, run, said
from bot.handlers.teams.render_reports import chart_image
from bot.report_text import GAP_EXPLAINED, gap_period, gap_week


def gap_report(report: GapReport, png: bytes | None) -> tuple[str, Card]:
    last = len(report.weeks) - 1
    body: list[Element] = [
        said(run(f"IT's view and customers' — {report.team_label}", weight="Bolder", size="Large")),
        said(gap_period(report)),
        *chart_image(report.chart, png),
        *[said(gap_week(week, i == last)) for i, week in enumerate(report.weeks)],
        ours(GAP_EXPLAINED, size="Small", isSubtle=True),
    ]
    return f"{report.team_label}: {gap_period(report)}", card(body)
