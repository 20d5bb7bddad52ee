"""Plain text for `/nps team`, `/nps teams`, `/nps me`, `/nps drivers`, `/nps themes` and the
digest. Pure."""

from __future__ import annotations

from typing import assert_never

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
from bot.handlers.shell.render import Lines, callback_list, quote
from bot.messages import CallbackList, Notice, Reply
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

FEW = "⚠"
STANDING = {"star": "⭐", "needs help": "🆘"}


def _week_rows(report: TeamReport) -> Lines:
    rows = ["{}   {}    {}   {} {} {}  {}".format(*say("report.columns").split("|"))]
    for i, week in enumerate(report.weeks):
        t = week.tally
        now = f" {say('report.so_far')}" if i == len(report.weeks) - 1 else ""
        if week.withheld:
            rows.append(f"{short_day(week.start):<8} {'–':>4} {'–':>4}  {week.withheld}{now}")
            continue
        week_rate = f"{t.response_rate}%" if t.response_rate is not None else "–"
        week_margin = f"{t.margin}" if t.margin is not None else "–"
        flag = f" {FEW}" if t.too_few and t.answers else ""
        rows.append(
            f"{short_day(week.start):<8} {signed(t.nps):>4} {week_margin:>4} "
            f"{t.promoters:>4} {t.passives:>4} {t.detractors:>4} {week_rate:>5}{flag}{now}"
        )
    return rows


def team_report(report: TeamReport) -> Lines:
    p, weeks = report.period, len(report.weeks)
    head = [
        say("report.over_weeks", score=f"{signed(p.nps)}{margin(p)}", weeks=weeks)
        + f" · {answers(p.answers)} · {rate(p)}",
        delta(p, report.previous),
        say("report.compare", figures=comparisons(report.organisation, report.benchmark)),
        mix(p),
    ]
    if report.withheld:
        head = [say("report.over_weeks", score=report.withheld, weeks=weeks)]
    title = say("report.title", team=report.team_label)
    lines = [title, *head, *team_extras(report), *_week_rows(report)]
    lines.append(say("report.legend", few=FEW, min=MIN_MEANINGFUL_ANSWERS))
    if report.undeliverable:
        lines.append(say("report.undeliverable", count=report.undeliverable))
    return lines + _quotes(report.comments)


def _quotes(comments: tuple[str, ...]) -> Lines:
    if not comments:
        return [say("report.no_quotes")]
    said = f"{say('report.said')} {say('report.never_attributed')}"
    return [said, *(quote(c) for c in comments)]


def _overview_line(line: TeamLine) -> str:
    t = line.period
    if line.withheld:
        return f"{line.team_label} {line.withheld}"
    mark = f"{STANDING[line.standing]} " if line.standing else ""
    moved = change(t.nps, line.previous.nps)
    trend = f" ({signed(moved)})" if moved is not None else ""
    shown = t.response_rate
    response = f", {say('overview.response', rate=shown)}" if shown is not None else ""
    few = f"{melon_cell(line.sla)} {FEW}" if t.too_few else melon_cell(line.sla)
    return f"{mark}{line.team_label} {signed(t.nps)}{trend} · {answers(t.answers)}{response}{few}"


def teams_overview(report: TeamsOverview) -> Lines:
    org = report.organisation
    since = say("overview.since", day=short_day(report.since))
    lines = [f"{say('overview.title', weeks=report.weeks)} {since}"]
    lines += [_overview_line(line) for line in report.lines] or [say("overview.no_teams")]
    if report.organisation_withheld:
        withheld = report.organisation_withheld
        lines.append(say("overview.organisation_withheld", withheld=withheld))
    else:
        figures = f"{signed(org.nps)}{margin(org)} · {answers(org.answers)} · "
        figures += delta(org, report.previous_organisation)
        lines.append(say("overview.organisation", figures=figures))
    if report.benchmark:
        name, nps = report.benchmark.name, signed(report.benchmark.nps)
        lines.append(say("overview.benchmark", name=name, nps=nps))
    return [*lines, overview_legend(report.weeks, FEW)]


def agent_report(report: AgentReport) -> Lines:
    p = report.period
    lines = [say("me.title", weeks=report.weeks)]
    if report.withheld:
        lines.append(say("me.on_your_tickets", figures=report.withheld))
    else:
        figures = f"{signed(p.nps)}{margin(p)} · {answers(p.answers)}"
        lines += [
            f"{say('me.on_your_tickets', figures=figures)} · {rate(p)}",
            delta(p, report.previous),
            mix(p),
        ]
    lines += agent_extras(report)
    if not report.comments:
        return [*lines, say("me.no_comments")]
    lines.append(say("me.comments"))
    for c in report.comments:
        day = short_day(c.answered_at.date())
        lines += [say("me.comment", score=c.score, ticket=c.ticket_id, day=day), quote(c.comment)]
    return lines


def driver_report(report: DriverReport) -> Lines:
    headline = driver_headline(report)
    title = say("drivers.title", team=report.team_label)
    lines = [title, headline[0].upper() + headline[1:] + "."]
    lines += [f"{d.label} {driver_line(d)}" for d in report.drivers] or [say("drivers.none")]
    return [*lines, driver_footer(report)]


def theme_report(report: ThemeReport) -> Lines:
    headline = theme_headline(report)
    title = say("themes.title", team=report.team_label)
    lines = [title, headline[0].upper() + headline[1:] + "."]
    for t in report.themes[:SHOWN_THEMES]:
        lines += [f"{theme_label(t)} {theme_line(t, report.weeks)}", *map(quote, t.quotes)]
    return lines + ([theme_legend(report)] if report.themes else [])


def digest(msg: WeeklyDigest) -> Lines:
    w = msg.week.tally
    week_of = say("digest.week_of", day=short_day(msg.week.start))
    lines = [f"{say('digest.title', team=msg.team_label)}, {week_of}"]
    if msg.week.withheld:
        lines.append(msg.week.withheld)
    else:
        lines += [
            f"{signed(w.nps)}{margin(w)} · {answers(w.answers)} · {rate(w)}",
            delta(w, msg.previous, "week"),
        ]
    lines.append(say("digest.open_callbacks", count=msg.open_callbacks))
    if msg.top_driver:
        lines.append(msg.top_driver)
    if msg.top_theme:
        lines.append(msg.top_theme)
    lines += digest_extras(msg)
    if w.too_few and not msg.week.withheld:
        lines.append(say("digest.few", few=FEW, min=MIN_MEANINGFUL_ANSWERS))
    return lines + [quote(c) for c in msg.comments]


def gap_report(report: GapReport) -> Lines:
    """`/nps gap`: the week table as text; the chart is drawn by Slack and Teams only."""
    last = len(report.weeks) - 1
    rows = [gap_week(week, i == last) for i, week in enumerate(report.weeks)]
    return [
        say("gap.title", team=report.team_label),
        gap_period(report),
        *rows,
        say("gap.explained"),
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
