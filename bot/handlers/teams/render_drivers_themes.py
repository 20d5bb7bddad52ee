"""`/nps drivers` and `/nps themes` as Adaptive Cards: what moves a team's score, and what its
comments are about."""

from __future__ import annotations

from bot.handlers.teams.elements import Card, Element, card, clip, ours, run, said
from bot.handlers.teams.render_reports import QUOTES_BYTES, chart_image, clipped_quotes
from bot.report_messages import DriverReport, ThemeReport
from bot.report_text import (
    SHOWN_THEMES,
    driver_footer,
    driver_headline,
    driver_line,
    theme_headline,
    theme_label,
    theme_legend,
    theme_line,
)
from bot.texts import say

THEME_QUOTE_CHARS = 200  # two per theme, up to ten themes: a glance, not a read


def driver_report(report: DriverReport, png: bytes | None) -> tuple[str, Card]:
    headline = driver_headline(report)
    body: list[Element] = [
        said(run(say("drivers.title", team=report.team_label), weight="Bolder", size="Large")),
        ours(f"**{headline[0].upper() + headline[1:]}.**"),
        *(chart_image(report.chart, png) if report.chart else []),
        *[said(run(d.label, weight="Bolder"), " " + driver_line(d)) for d in report.drivers],
        ours(driver_footer(report), size="Small", isSubtle=True),
    ]
    return say("drivers.summary", team=report.team_label, headline=headline), card(body)


def theme_report(report: ThemeReport) -> tuple[str, Card]:
    headline = theme_headline(report)
    shown = report.themes[:SHOWN_THEMES]
    # One budget for every quote of the card, cut as the other reports' are.
    cut = (
        clip(" ".join(q.split()), THEME_QUOTE_CHARS, QUOTES_BYTES) for t in shown for q in t.quotes
    )
    quoted = iter(clipped_quotes(cut))
    body: list[Element] = [
        said(run(say("themes.title", team=report.team_label), weight="Bolder", size="Large")),
        ours(f"**{headline[0].upper() + headline[1:]}.**"),
    ]
    for line in shown:
        body.append(
            said(run(theme_label(line), weight="Bolder"), " " + theme_line(line, report.weeks))
        )
        body += [
            said(run(f"“{q}”", italic=True)) for _, q in zip(line.quotes, quoted, strict=False)
        ]
    if report.themes:
        body.append(ours(theme_legend(report), size="Small", isSubtle=True))
    return say("drivers.summary", team=report.team_label, headline=headline), card(body)
