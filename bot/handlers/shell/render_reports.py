"""Plain text for `/nps team`, `/nps teams`, `/nps me`, `/nps drivers`, `/nps themes` and the
digest. Pure."""

from __future__ import annotations

from datetime import date
from typing import assert_never

from bot import chat_text as say
from bot import texts
from bot.gap_messages import GapReport
from bot.gap_text import (
    GAP_EXPLAINED,
    MELON_LEGEND,
    agent_extras,
    digest_extras,
    gap_period,
    gap_week,
    melon_cell,
    team_extras,
)
from bot.handlers.shell.render import Lines, callback_list, quote
from bot.messages import (
    AgentReport,
    CallbackList,
    DriverReport,
    Notice,
    Reply,
    TeamLine,
    TeamReport,
    TeamsOverview,
    ThemeReport,
    WeeklyDigest,
)
from bot.report_text import (
    NO_QUOTES,
    SHOWN_THEMES,
    answers,
    change_legend,
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

FEW = "⚠"
STANDING = {"star": "⭐", "needs help": "🆘"}


def _day(day: date) -> str:
    return f"{day.day} {day:%b}"


def _week_rows(report: TeamReport) -> Lines:
    rows = ["Week of   NPS    ±   Prom Pass Detr  Rate"]
    for i, week in enumerate(report.weeks):
        t = week.tally
        now = " (so far)" if i == len(report.weeks) - 1 else ""
        if week.withheld:
            rows.append(f"{_day(week.start):<8} {'–':>4} {'–':>4}  {week.withheld}{now}")
            continue
        week_rate = f"{t.response_rate}%" if t.response_rate is not None else "–"
        week_margin = f"{t.margin}" if t.margin is not None else "–"
        flag = f" {FEW}" if t.too_few and t.answers else ""
        rows.append(
            f"{_day(week.start):<8} {signed(t.nps):>4} {week_margin:>4} "
            f"{t.promoters:>4} {t.passives:>4} {t.detractors:>4} {week_rate:>5}{flag}{now}"
        )
    return rows


def team_report(report: TeamReport) -> Lines:
    p, weeks = report.period, len(report.weeks)
    head = [
        say.over_weeks(f"{signed(p.nps)}{margin(p)}", weeks)
        + f" · {answers(p.answers)} · {rate(p)}",
        delta(p, report.previous),
        f"Compare: {comparisons(report.organisation, report.benchmark)}",
        mix(p),
    ]
    if report.withheld:
        head = [say.over_weeks(report.withheld, weeks)]
    lines = [say.team_head(report.team_label), *head, *team_extras(report), *_week_rows(report)]
    lines.append(f"{FEW} {say.few_legend(MIN_MEANINGFUL_ANSWERS)}")
    if report.undeliverable:
        lines.append(say.undelivered(report.undeliverable))
    return lines + _quotes(report.comments)


def _quotes(comments: tuple[str, ...]) -> Lines:
    if not comments:
        return [NO_QUOTES]
    return [say.QUOTES_HEAD, *(quote(c) for c in comments)]


def _overview_line(line: TeamLine) -> str:
    t = line.period
    if line.withheld:
        return f"{line.team_label} {line.withheld}"
    mark = f"{STANDING[line.standing]} " if line.standing else ""
    moved = change(t.nps, line.previous.nps)
    trend = f" ({signed(moved)})" if moved is not None else ""
    response = f", {t.response_rate} % response" if t.response_rate is not None else ""
    few = f"{melon_cell(line.sla)} {FEW}" if t.too_few else melon_cell(line.sla)
    return f"{mark}{line.team_label} {signed(t.nps)}{trend} · {answers(t.answers)}{response}{few}"


def teams_overview(report: TeamsOverview) -> Lines:
    org = report.organisation
    lines = [say.overview_head(report.weeks, _day(report.since))]
    lines += [_overview_line(line) for line in report.lines] or [say.NO_TEAMS]
    if report.organisation_withheld:
        lines.append(f"Organisation: {report.organisation_withheld}")
    else:
        lines.append(
            f"Organisation {signed(org.nps)}{margin(org)} · {answers(org.answers)} · "
            f"{delta(org, report.previous_organisation)}"
        )
    if report.benchmark:
        lines.append(f"Benchmark: {report.benchmark.name} {signed(report.benchmark.nps)}")
    legend = say.standing_legend(MIN_MEANINGFUL_ANSWERS)
    lines.append(f"{change_legend(report.weeks)} {MELON_LEGEND} {legend}")
    return lines


def agent_report(report: AgentReport) -> Lines:
    p = report.period
    lines = [say.agent_head(report.weeks)]
    if report.withheld:
        lines.append(f"{report.withheld} on your tickets")
    else:
        lines += [
            f"{signed(p.nps)}{margin(p)} · {answers(p.answers)} on your tickets · {rate(p)}",
            delta(p, report.previous),
            mix(p),
        ]
    lines += agent_extras(report)
    if not report.comments:
        return [*lines, say.NO_COMMENTS_OF_YOURS]
    lines.append(say.YOUR_COMMENTS_HEAD)
    for c in report.comments:
        lines += [f"{c.score} on {c.ticket_id} ({_day(c.answered_at.date())})", quote(c.comment)]
    return lines


def driver_report(report: DriverReport) -> Lines:
    headline = driver_headline(report)
    lines = [say.drivers_head(report.team_label), headline[0].upper() + headline[1:] + "."]
    lines += [f"{d.label} {driver_line(d)}" for d in report.drivers] or [say.NO_DRIVERS]
    return [*lines, driver_footer(report)]


def theme_report(report: ThemeReport) -> Lines:
    headline = theme_headline(report)
    lines = [f"Comment themes — {report.team_label}", headline[0].upper() + headline[1:] + "."]
    for t in report.themes[:SHOWN_THEMES]:
        lines += [f"{theme_label(t)} {theme_line(t, report.weeks)}", *map(quote, t.quotes)]
    return lines + ([theme_legend(report)] if report.themes else [])


def digest(msg: WeeklyDigest) -> Lines:
    w = msg.week.tally
    lines = [say.digest_head(msg.team_label, _day(msg.week.start))]
    if msg.week.withheld:
        lines.append(msg.week.withheld)
    else:
        lines += [
            f"{signed(w.nps)}{margin(w)} · {answers(w.answers)} · {rate(w)}",
            delta(w, msg.previous, "week"),
        ]
    lines.append(f"Open callbacks: {msg.open_callbacks}")
    if msg.top_driver:
        lines.append(msg.top_driver)
    if msg.top_theme:
        lines.append(msg.top_theme)
    lines += digest_extras(msg)
    if w.too_few and not msg.week.withheld:
        lines.append(say.loose(MIN_MEANINGFUL_ANSWERS))
    return lines + [quote(c) for c in msg.comments]


def gap_report(report: GapReport) -> Lines:
    """`/nps gap`: the week table as text; the chart is drawn by Slack and Teams only."""
    last = len(report.weeks) - 1
    rows = [gap_week(week, i == last) for i, week in enumerate(report.weeks)]
    return [
        texts.say("gap.title", team=report.team_label),
        gap_period(report),
        *rows,
        GAP_EXPLAINED,
    ]


def reply(answer: Reply) -> Lines:
    match answer:
        case Notice():
            return answer.text.splitlines()
        case CallbackList():
            return callback_list(answer)
        case TeamReport():
            return team_report(answer)
        case TeamsOverview():
            return teams_overview(answer)
        case AgentReport():
            return agent_report(answer)
        case DriverReport():
            return driver_report(answer)
        case ThemeReport():
            return theme_report(answer)
        case GapReport():
            return gap_report(answer)
        case _:
            assert_never(answer)
