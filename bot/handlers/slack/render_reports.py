"""Block Kit for reports: `/nps team`, `/nps teams`, `/nps me` and the weekly digest. Pure."""

from __future__ import annotations

from typing import Any

from bot.gap_messages import GapReport
from bot.gap_text import (
    agent_extras,
    digest_extras,
    gap_period,
    gap_week,
    melon_cell,
    overview_legend,
    team_extras,
)
from bot.handlers.slack.block_kit import Blocks, chunks, escape, fit, label
from bot.handlers.slack.block_kit import context as _context
from bot.handlers.slack.block_kit import section as _section
from bot.report_messages import (
    AgentReport,
    DriverReport,
    TeamLine,
    TeamReport,
    TeamsOverview,
    ThemeReport,
    WeeklyDigest,
)
from bot.report_text import (
    SHOWN_THEMES,
    answers,
    comparisons,
    delta,
    driver_footer,
    driver_headline,
    driver_line,
    margin,
    mix,
    rate,
    theme_headline,
    theme_label,
    theme_legend,
    theme_line,
)
from bot.scoring import MIN_MEANINGFUL_ANSWERS, change, signed
from bot.texts import say, short_day

QUOTED_CHARS = 400  # per comment: a report is read at a glance, the export has the full text
THEME_QUOTE_CHARS = 200  # two per theme, up to ten themes: a glance, not a read
FEW = "⚠"
STANDING = {"star": "⭐", "needs help": "🆘"}


def _header(text: str) -> dict[str, object]:
    return {"type": "header", "text": {"type": "plain_text", "text": text[:150]}}


def _quotes(comments: tuple[str, ...], why_none: str) -> Blocks:
    if not comments:
        return [_context(why_none)]
    quoted = "\n".join(f"> {fit(' '.join(c.split()), QUOTED_CHARS)}" for c in comments)
    said = f"*{say('report.said')}* {say('report.never_attributed')}"
    return [_section(f"{said}\n{quoted}")]


def _week_table(report: TeamReport) -> str:
    rows = ["{}   {}    {}   {} {} {}  {}".format(*say("report.columns").split("|"))]
    for i, week in enumerate(report.weeks):
        t = week.tally
        week_rate = f"{t.response_rate}%" if t.response_rate is not None else "–"
        week_margin = f"{t.margin}" if t.margin is not None else "–"
        flag = f" {FEW}" if t.too_few and t.answers else ""
        now = f" {say('report.so_far')}" if i == len(report.weeks) - 1 else ""
        if week.withheld:
            rows.append(f"{short_day(week.start):<8} {'–':>4} {'–':>4}  {week.withheld}{now}")
            continue
        rows.append(
            f"{short_day(week.start):<8} {signed(t.nps):>4} {week_margin:>4} "
            f"{t.promoters:>4} {t.passives:>4} {t.detractors:>4} {week_rate:>5}{flag}{now}"
        )
    return "```" + "\n".join(rows) + "```"


def team_report(report: TeamReport) -> tuple[str, Blocks]:
    p, weeks = report.period, len(report.weeks)
    blocks: Blocks = [
        _header(say("report.title", team=report.team_label)),
        _section(_headline(report)),
        _section(_week_table(report)),
        _context(say("report.legend", few=FEW, min=MIN_MEANINGFUL_ANSWERS)),
    ]
    if report.undeliverable:
        blocks.append(_context(say("report.undeliverable", count=report.undeliverable)))
    extras = team_extras(report)
    if extras:
        blocks.insert(2, _section(escape("\n".join(extras))))
    blocks += _quotes(report.comments, say("report.no_quotes"))
    score = report.withheld or say("report.nps", nps=signed(p.nps))
    return say("report.summary", team=report.team_label, score=score, weeks=weeks), blocks


def _headline(report: TeamReport) -> str:
    p, weeks = report.period, len(report.weeks)
    if report.withheld:
        return say("report.over_weeks", score=f"*{report.withheld}*", weeks=weeks)
    over = say("report.over_weeks", score=f"*{signed(p.nps)}*{margin(p)}", weeks=weeks)
    compare = say(
        "report.compare", figures=escape(comparisons(report.organisation, report.benchmark))
    )
    return (
        f"{over} · {answers(p.answers)} · {rate(p)}\n{delta(p, report.previous)}\n"
        f"{compare}\n{mix(p)}"
    )


def _overview_row(line: TeamLine) -> str:
    t = line.period
    if line.withheld:
        return f"*{label(line.team_label, 80)}* {line.withheld}"
    mark = f"{STANDING[line.standing]} " if line.standing else ""
    few = f" {FEW}" if t.too_few else ""
    moved = change(t.nps, line.previous.nps)
    trend = f" ({signed(moved)})" if moved is not None else ""
    rate = t.response_rate
    response = f", {say('overview.response', rate=rate)}" if rate is not None else ""
    return (
        f"{mark}*{label(line.team_label, 80)}* {signed(t.nps)}{trend} · {answers(t.answers)}"
        f"{response}{melon_cell(line.sla)}{few}"
    )


def _organisation(report: TeamsOverview) -> str:
    org = report.organisation
    if report.organisation_withheld:
        text = say("overview.organisation_withheld", withheld=report.organisation_withheld)
    else:
        figures = f"{signed(org.nps)}{margin(org)} · {answers(org.answers)} · "
        text = say(
            "overview.organisation", figures=figures + delta(org, report.previous_organisation)
        )
    if report.benchmark:
        name, nps = escape(report.benchmark.name), signed(report.benchmark.nps)
        text += "\n" + say("overview.benchmark", name=name, nps=nps)
    return text


def teams_overview(report: TeamsOverview) -> tuple[str, Blocks]:
    rows = [_overview_row(line) for line in report.lines]
    title = say("overview.title", weeks=report.weeks)
    legend = overview_legend(report.weeks, FEW)
    blocks: Blocks = [
        _header(f"{title} {say('overview.since', day=short_day(report.since))}"),
        # Sixty teams pass a section's 3,000 characters: whole lines per section, none lost.
        *[_section(c) for c in chunks(rows or [say("overview.no_teams")])],
        _section(_organisation(report)),
        _context(legend),
    ]
    return say("overview.summary", weeks=report.weeks), blocks


def agent_report(report: AgentReport) -> tuple[str, Blocks]:
    p = report.period
    figures = f"*{signed(p.nps)}*{margin(p)} · {answers(p.answers)}"
    headline = say(
        "me.on_your_tickets", figures=f"*{report.withheld}*" if report.withheld else figures
    )
    if not report.withheld:
        headline += f" · {rate(p)}\n{delta(p, report.previous)}\n{mix(p)}"
    blocks: Blocks = [
        _header(say("me.title", weeks=report.weeks)),
        _section(headline),
    ]
    blocks += [_section(escape(line)) for line in agent_extras(report)]
    blocks.append(_agent_comments(report))
    return say("me.summary", score=report.withheld or signed(p.nps)), blocks


def _agent_comments(report: AgentReport) -> dict[str, Any]:
    if not report.comments:
        return _context(say("me.no_comments"))
    lines = [
        say(
            "me.comment",
            score=f"*{c.score}*",
            ticket=escape(c.ticket_id),
            day=short_day(c.answered_at.date()),
        )
        + f"\n> {fit(' '.join(c.comment.split()), QUOTED_CHARS)}"
        for c in report.comments
    ]
    return _section(f"*{say('me.comments')}*\n" + "\n".join(lines))


def digest_text(digest: WeeklyDigest) -> str:
    """The digest as one mrkdwn text: it goes out as the comment of the chart's upload."""
    w = digest.week.tally
    title = say("digest.title", team=label(digest.team_label, 200))
    lines = [f"*{title}*, {say('digest.week_of', day=short_day(digest.week.start))}"]
    if digest.week.withheld:
        lines.append(f"*{digest.week.withheld}*")
    else:
        lines += [
            f"*{signed(w.nps)}*{margin(w)} · {answers(w.answers)} · {rate(w)}",
            delta(w, digest.previous, "week"),
        ]
    lines.append(say("digest.open_callbacks", count=digest.open_callbacks))
    if digest.top_driver:
        lines.append(escape(digest.top_driver))
    lines += [escape(line) for line in digest_extras(digest)]
    if digest.top_theme:
        lines.append(escape(digest.top_theme))
    if w.too_few and not digest.week.withheld:
        lines.append(say("digest.few", few=FEW, min=MIN_MEANINGFUL_ANSWERS))
    lines += [f"> {fit(' '.join(c.split()), QUOTED_CHARS)}" for c in digest.comments]
    return "\n".join(lines)


def digest(digest: WeeklyDigest) -> tuple[str, Blocks]:
    text = digest_text(digest)
    return text.splitlines()[0].replace("*", ""), [_section(text)]


def driver_report(report: DriverReport) -> tuple[str, Blocks]:
    headline = driver_headline(report)
    lines = [f"*{escape(d.label)}* {driver_line(d)}" for d in report.drivers]
    blocks: Blocks = [
        _header(say("drivers.title", team=report.team_label)),
        _section(f"*{escape(headline[0].upper() + headline[1:])}.*"),
        _section("\n".join(lines) or say("drivers.none")),
        _context(escape(driver_footer(report))),
    ]
    return say("drivers.summary", team=report.team_label, headline=headline), blocks


def theme_report(report: ThemeReport) -> tuple[str, Blocks]:
    headline = theme_headline(report)
    blocks: Blocks = [
        _header(say("themes.title", team=report.team_label)),
        _section(f"*{escape(headline[0].upper() + headline[1:])}.*"),
    ]
    for line in report.themes[:SHOWN_THEMES]:
        quotes = "".join(f"\n> {fit(' '.join(q.split()), THEME_QUOTE_CHARS)}" for q in line.quotes)
        blocks.append(
            _section(f"*{escape(theme_label(line))}* {theme_line(line, report.weeks)}{quotes}")
        )
    if report.themes:
        blocks.append(_context(escape(theme_legend(report))))
    return say("drivers.summary", team=report.team_label, headline=headline), blocks


def gap_report(report: GapReport) -> tuple[str, Blocks]:
    last = len(report.weeks) - 1
    rows = [gap_week(week, i == last) for i, week in enumerate(report.weeks)]
    blocks: Blocks = [
        _header(say("gap.title", team=report.team_label)),
        _section(escape(gap_period(report))),
        _section("```" + escape("\n".join(rows)) + "```"),
        _context(escape(say("gap.explained"))),
    ]
    return f"{report.team_label}: {gap_period(report)}", blocks
