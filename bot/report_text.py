"""Report phrases every platform shows the same way: plain words, no markup, so Slack's mrkdwn
and Teams' cards say identical things. The words are the catalogue's (bot.texts); this module
picks the sentence and writes the figures that fill it."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Literal

from bot.callbacks_model import CallbackStatus, Outcome
from bot.report_messages import Benchmark, DriverLine, DriverReport, ThemeLine, ThemeReport
from bot.scoring import Tally, change, round_half_away, signed
from bot.scoring.drivers import MIN_DRIVER_ANSWERS
from bot.scoring.themes import MIN_THEME_COMMENTS
from bot.texts import outcome_label, say


def margin(tally: Tally) -> str:
    return f" (±{tally.margin})" if tally.margin is not None else ""


_DELTA = {"period": "report.delta", "week": "report.delta_week"}


def delta(current: Tally, previous: Tally, period: Literal["period", "week"] = "period") -> str:
    moved = change(current.nps, previous.nps)
    if moved is None:
        return say("report.no_earlier")
    arrow = "▲" if moved > 0 else "▼" if moved < 0 else "="
    return say(_DELTA[period], arrow=arrow, change=signed(moved), previous=signed(previous.nps))


def rate(tally: Tally) -> str:
    if tally.response_rate is None:
        return say("report.no_surveys")
    answered, delivered = tally.delivered_answered, tally.delivered
    return say("report.rate", rate=tally.response_rate, answered=answered, delivered=delivered)


def mix(tally: Tally) -> str:
    p, pa, d = tally.promoters, tally.passives, tally.detractors
    return say(
        "report.mix",
        promoters=p,
        promoters_share=tally.percent(p),
        passives=pa,
        passives_share=tally.percent(pa),
        detractors=d,
        detractors_share=tally.percent(d),
    )


def comparisons(org: Tally, benchmark: Benchmark | None) -> str:
    """Plain text: a renderer escapes it for its markup (the benchmark name is admin-written)."""
    parts = [say("report.organisation", nps=signed(org.nps))]
    if benchmark is not None:
        parts.append(f"{benchmark.name} {signed(benchmark.nps)}")
    return " · ".join(parts)


def too_few(answers: int, needed: int) -> str:
    """Instead of a score that would tell who said what (nps.toml `min_answers`)."""
    return say("report.too_few", answers=answers, needed=needed)


def hidden_with_others(answers: int) -> str:
    """A figure big enough on its own, hidden because the total minus it would give away the
    small figures beside it."""
    return say("report.hidden", count=answers)


def driver_headline(report: DriverReport) -> str:
    """The one sentence a lead acts on: the driver that moves the score most, and how often
    detractors blame it; "not enough answers yet (12 of 30)" until the analysis means something."""
    if report.r2 is None:
        return say("drivers.not_enough", answers=report.n, needed=MIN_DRIVER_ANSWERS)
    top = report.drivers[0] if report.drivers else None
    if top is None or top.importance is None:
        return say("drivers.no_variance", count=report.n)
    share = percent(top.importance)
    if not report.detractors:
        return say("drivers.headline", driver=top.label, share=share)
    blamed = round_half_away(100 * top.bad_detractors / report.detractors)
    return say("drivers.headline_blamed", driver=top.label, share=share, blamed=blamed)


def driver_line(line: DriverLine) -> str:
    good, bad = line.named_good, line.named_bad
    nps_good, nps_bad = signed(line.nps_good), signed(line.nps_bad)
    if line.importance is None:
        return say("drivers.line", good=good, nps_good=nps_good, bad=bad, nps_bad=nps_bad)
    share = percent(line.importance)
    return say(
        "drivers.line_share", share=share, good=good, nps_good=nps_good, bad=bad, nps_bad=nps_bad
    )


def driver_footer(report: DriverReport) -> str:
    fit = f"R² {report.r2:.2f} · " if report.r2 is not None else ""
    return say("drivers.footer", count=report.n, fit=fit, weeks=report.weeks)


def percent(share: float) -> int:
    return round_half_away(100 * share)


def digest_driver(report: DriverReport) -> str | None:
    """The digest's line on drivers, once the 12 weeks have enough answers naming one."""
    top = report.drivers[0] if report.r2 is not None and report.drivers else None
    if top is None or top.importance is None:
        return None
    share = percent(top.importance)
    return say("drivers.digest", weeks=report.weeks, driver=top.label, share=share)


SHOWN_THEMES = 10  # in a chat reply; `npsbot themes` lists every one


def themes_withheld(answers: int, needed: int) -> str:
    """Instead of themes whose words and quotes would point at the few who answered."""
    return say("themes.withheld", answers=answers, needed=needed)


def not_enough_comments(n: int) -> str:
    return say("themes.not_enough", comments=n, needed=MIN_THEME_COMMENTS)


def theme_label(line: ThemeLine) -> str:
    return " · ".join(line.terms) or say("themes.no_words")


def theme_change(line: ThemeLine, weeks: int) -> str:
    if line.previous is None:
        return say("report.no_earlier")
    return say("themes.change", change=signed(line.comments - line.previous), weeks=weeks)


def theme_line(line: ThemeLine, weeks: int) -> str:
    share = round_half_away(100 * line.detractors / line.comments)
    comments = say("comments", count=line.comments)
    return say("themes.line", comments=comments, change=theme_change(line, weeks), share=share)


def theme_headline(report: ThemeReport) -> str:
    if report.withheld:
        return report.withheld
    comments = say("comments", count=report.comments)
    themes = say("themes", count=len(report.themes))
    return say("themes.headline", comments=comments, themes=themes, weeks=report.weeks)


def theme_legend(report: ThemeReport) -> str:
    total = len(report.themes)
    if total <= SHOWN_THEMES:
        return say("themes.legend")
    largest = say("themes.largest", shown=SHOWN_THEMES, total=total)
    return f"{largest} {say('themes.legend')}"


def digest_theme(report: ThemeReport) -> str | None:
    """The digest's fastest-growing theme: the most comments gained on the period before."""
    grown = [t for t in report.themes if t.previous is not None and t.comments > t.previous]
    if not grown:
        return None
    top = max(grown, key=lambda t: t.comments - (t.previous or 0))
    return say(
        "themes.digest",
        weeks=report.weeks,
        theme=theme_label(top),
        comments=say("comments", count=top.comments),
        change=theme_change(top, report.weeks),
    )


# The plural forms of the nouns that reports count, by the catalogue's key.
_COUNTED = {
    "answer": "answers",
    "comment": "comments",
    "theme": "themes",
    "ticket": "tickets",
    "open callback": "list.summary",
}


def counted(n: int, noun: str) -> str:
    """'1 answer', '2 answers', '1 open callback': never '1 answers'."""
    return say(_COUNTED[noun], count=n)


def answers(n: int) -> str:
    return say("answers", count=n)


def change_legend(weeks: int) -> str:
    # The per-team figure in brackets is the change; ± is only ever the margin of error.
    return say("overview.change", weeks=weeks)


def elapsed(start: datetime, end: datetime) -> str:
    minutes = max(0, int((end - start).total_seconds() // 60))
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    if days:
        return say("time.days_hours", days=days, hours=hours)
    if hours:
        return say("time.hours_minutes", hours=hours, minutes=f"{mins:02d}")
    return say("time.minutes", minutes=mins) if mins else say("time.under_a_minute")


def age(waited: timedelta) -> str:
    """How long a callback has waited, in the list of open ones: "5h", "2d 3h"."""
    hours = int(waited.total_seconds() // 3600)
    if hours >= 24:
        return say("time.days_hours", days=hours // 24, hours=hours % 24)
    return say("time.hours", hours=hours)


_SUMMARY = {
    CallbackStatus.OPEN: "alert.summary.open",
    CallbackStatus.CLAIMED: "alert.summary.claimed",
    CallbackStatus.CLOSED: "alert.summary.closed",
}


def alert_summary(score: int, ticket: str, status: CallbackStatus, outcome: Outcome | None) -> str:
    """The notification text of a detractor alert, true to where the callback stands."""
    if status == CallbackStatus.CLOSED and outcome:
        label = outcome_label(outcome)
        return say("alert.summary.closed_as", score=score, ticket=ticket, outcome=label)
    return say(_SUMMARY[status], score=score, ticket=ticket)


def chart_title(name: str, weeks: int, trend_weeks: int) -> str:
    """The gauge shows the `weeks` asked for, the trend `trend_weeks`: both said if unequal."""
    if weeks == trend_weeks:
        return say("chart.title", team=name, weeks=weeks)
    return say("chart.title_trend", team=name, weeks=weeks, trend=trend_weeks)


def table_weeks(shown: int, total: int) -> str:
    """Under a week table cut to its latest rows (a Teams card holds about 28 KB)."""
    return say("report.table_cut", shown=shown, total=total)


def not_shown(n: int) -> str:
    return say("list.not_shown", count=n)
