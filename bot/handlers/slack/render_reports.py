"""Block Kit for reports: `/nps team`, `/nps teams`, `/nps me` and the weekly digest. Pure."""

from __future__ import annotations

from datetime import date

from bot.gap_messages import GapReport
from bot.handlers.slack.render import Blocks, escape, fit
from bot.handlers.slack.render import context as _context
from bot.handlers.slack.render import section as _section
from bot.messages import AgentReport, DriverReport, TeamReport, TeamsOverview, WeeklyDigest
from bot.report_text import (
    GAP_EXPLAINED,
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
    gap_period,
    gap_week,
    margin,
    melon_cell,
    mix,
    rate,
    team_extras,
)
from bot.scoring import MIN_MEANINGFUL_ANSWERS, change, signed

QUOTED_CHARS = 400  # per comment: a report is read at a glance, the export has the full text
FEW = "⚠"
STANDING = {"star": "⭐", "needs help": "🆘"}


def _day(day: date) -> str:
    return f"{day.day} {day:%b}"


def _header(text: str) -> dict[str, object]:
    return {"type": "header", "text": {"type": "plain_text", "text": text[:150]}}


def _quotes(comments: tuple[str, ...], why_none: str) -> Blocks:
    if not comments:
        return [_context(why_none)]
    quoted = "\n".join(f"> {fit(' '.join(c.split()), QUOTED_CHARS)}" for c in comments)
    return [_section("*What people said* (never attributed)\n" + quoted)]


def _week_table(report: TeamReport) -> str:
    rows = ["Week of   NPS    ±   Prom Pass Detr  Rate"]
    for i, week in enumerate(report.weeks):
        t = week.tally
        week_rate = f"{t.response_rate}%" if t.response_rate is not None else "–"
        week_margin = f"{t.margin}" if t.margin is not None else "–"
        flag = f" {FEW}" if t.too_few and t.answers else ""
        now = " (so far)" if i == len(report.weeks) - 1 else ""
        if week.withheld:
            rows.append(f"{_day(week.start):<8} {'–':>4} {'–':>4}  {week.withheld}{now}")
            continue
        rows.append(
            f"{_day(week.start):<8} {signed(t.nps):>4} {week_margin:>4} "
            f"{t.promoters:>4} {t.passives:>4} {t.detractors:>4} {week_rate:>5}{flag}{now}"
        )
    return "```" + "\n".join(rows) + "```"


def team_report(report: TeamReport) -> tuple[str, Blocks]:
    p = report.period
    weeks = len(report.weeks)
    headline = (
        f"*{signed(p.nps)}*{margin(p)} over the last {weeks} weeks · {answers(p.answers)} · "
        f"{rate(p)}\n{delta(p, report.previous)}\n"
        f"Compare: {escape(comparisons(report.organisation, report.benchmark))}\n{mix(p)}"
    )
    if report.withheld:
        headline = f"*{report.withheld}* over the last {weeks} weeks"
    blocks: Blocks = [
        _header(f"NPS — {report.team_label}"),
        _section(headline),
        _section(_week_table(report)),
        _context(
            f"{FEW} fewer than {MIN_MEANINGFUL_ANSWERS} answers: one answer moves that week's "
            "score a lot. ± is the margin of error at 95 %. Weeks start Monday in the team's "
            "time zone."
        ),
    ]
    if report.undeliverable:
        blocks.append(
            _context(f"{report.undeliverable} survey(s) of this period could not be delivered.")
        )
    extras = team_extras(report)
    if extras:
        blocks.insert(2, _section(escape("\n".join(extras))))
    blocks += _quotes(report.comments, NO_QUOTES)
    score = report.withheld or f"NPS {signed(p.nps)}"
    text = f"{report.team_label}: {score} over the last {weeks} weeks"
    return text, blocks


def teams_overview(report: TeamsOverview) -> tuple[str, Blocks]:
    rows = []
    for line in report.lines:
        t = line.period
        mark = f"{STANDING[line.standing]} " if line.standing else ""
        few = f" {FEW}" if t.too_few else ""
        moved = change(t.nps, line.previous.nps)
        trend = f" ({signed(moved)})" if moved is not None else ""
        response = f", {t.response_rate} % response" if t.response_rate is not None else ""
        if line.withheld:
            rows.append(f"*{escape(line.team_label)}* {line.withheld}")
            continue
        rows.append(
            f"{mark}*{escape(line.team_label)}* {signed(t.nps)}{trend} · {answers(t.answers)}"
            f"{response}{melon_cell(line.sla)}{few}"
        )
    org = report.organisation
    blocks: Blocks = [
        _header(f"NPS by team — last {report.weeks} weeks (since {_day(report.since)})"),
        _section("\n".join(rows) or "No teams are configured in nps.toml yet."),
        _section(
            (
                f"Organisation: {report.organisation_withheld}"
                if report.organisation_withheld
                else f"Organisation {signed(org.nps)}{margin(org)} · {answers(org.answers)} · "
                f"{delta(org, report.previous_organisation)}"
            )
            + (
                f"\nBenchmark: {escape(report.benchmark.name)} {signed(report.benchmark.nps)}"
                if report.benchmark
                else ""
            )
        ),
        _context(
            f"{change_legend(report.weeks)} {MELON_LEGEND} ⭐ at least 10 "
            f"points above the organisation, 🆘 negative or 10 below; {FEW} fewer than "
            f"{MIN_MEANINGFUL_ANSWERS} answers, so no verdict."
        ),
    ]
    return f"NPS by team, last {report.weeks} weeks", blocks


def agent_report(report: AgentReport) -> tuple[str, Blocks]:
    p = report.period
    headline = report.withheld and f"*{report.withheld}* on your tickets"
    blocks: Blocks = [
        _header(f"Your NPS — last {report.weeks} weeks"),
        _section(
            headline
            or f"*{signed(p.nps)}*{margin(p)} · {answers(p.answers)} on your tickets · "
            f"{rate(p)}\n{delta(p, report.previous)}\n{mix(p)}"
        ),
    ]
    blocks += [_section(escape(line)) for line in agent_extras(report)]
    if report.comments:
        lines = [
            f"*{c.score}* on {escape(c.ticket_id)} ({_day(c.answered_at.date())})\n"
            f"> {fit(' '.join(c.comment.split()), QUOTED_CHARS)}"
            for c in report.comments
        ]
        blocks.append(_section("*Recent comments on your tickets*\n" + "\n".join(lines)))
    else:
        blocks.append(_context("No comments on your tickets in this period."))
    return f"Your NPS: {report.withheld or signed(p.nps)}", blocks


def digest_text(digest: WeeklyDigest) -> str:
    """The digest as one mrkdwn text: it goes out as the comment of the chart's upload."""
    w = digest.week.tally
    lines = [f"*Weekly NPS — {escape(digest.team_label)}*, week of {_day(digest.week.start)}"]
    if digest.week.withheld:
        lines.append(f"*{digest.week.withheld}*")
    else:
        lines += [
            f"*{signed(w.nps)}*{margin(w)} · {answers(w.answers)} · {rate(w)}",
            delta(w, digest.previous, "week"),
        ]
    lines.append(f"Open callbacks: {digest.open_callbacks}")
    if digest.top_driver:
        lines.append(escape(digest.top_driver))
    lines += [escape(line) for line in digest_extras(digest)]
    if w.too_few and not digest.week.withheld:
        lines.append(f"{FEW} fewer than {MIN_MEANINGFUL_ANSWERS} answers: read the score loosely.")
    lines += [f"> {fit(' '.join(c.split()), QUOTED_CHARS)}" for c in digest.comments]
    return "\n".join(lines)


def digest(digest: WeeklyDigest) -> tuple[str, Blocks]:
    text = digest_text(digest)
    return text.splitlines()[0].replace("*", ""), [_section(text)]


def driver_report(report: DriverReport) -> tuple[str, Blocks]:
    headline = driver_headline(report)
    lines = [f"*{escape(d.label)}* {driver_line(d)}" for d in report.drivers]
    blocks: Blocks = [
        _header(f"What moves the score — {report.team_label}"),
        _section(f"*{escape(headline[0].upper() + headline[1:])}.*"),
        _section("\n".join(lines) or "No drivers are configured."),
        _context(escape(driver_footer(report))),
    ]
    return f"{report.team_label}: {headline}", blocks


def gap_report(report: GapReport) -> tuple[str, Blocks]:
    last = len(report.weeks) - 1
    rows = [gap_week(week, i == last) for i, week in enumerate(report.weeks)]
    blocks: Blocks = [
        _header(f"IT's view and customers' — {report.team_label}"),
        _section(escape(gap_period(report))),
        _section("```" + escape("\n".join(rows)) + "```"),
        _context(escape(GAP_EXPLAINED)),
    ]
    return f"{report.team_label}: {gap_period(report)}", blocks
