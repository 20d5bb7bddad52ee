"""Report phrases every platform shows the same way: plain words, no markup, so Slack's mrkdwn
and Teams' cards say identical things and a change of wording is made once."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from bot.callbacks_model import CallbackStatus, Outcome
from bot.messages import (
    Benchmark,
    DriverLine,
    DriverReport,
    ThemeLine,
    ThemeReport,
)
from bot.scoring import Tally, change, round_half_away, signed
from bot.scoring.drivers import MIN_DRIVER_ANSWERS
from bot.scoring.themes import MIN_THEME_COMMENTS
from bot.texts import say

NO_QUOTES = "Comments are quoted once enough people answered that none can be picked out."


def margin(tally: Tally) -> str:
    return f" (±{tally.margin})" if tally.margin is not None else ""


def delta(current: Tally, previous: Tally, period: str = "period") -> str:
    moved = change(current.nps, previous.nps)
    if moved is None:
        return "no earlier figure to compare"
    arrow = "▲" if moved > 0 else "▼" if moved < 0 else "="
    return f"{arrow} {signed(moved)} on the {period} before ({signed(previous.nps)})"


def rate(tally: Tally) -> str:
    if tally.response_rate is None:
        return "no surveys delivered"
    return (
        f"response rate {tally.response_rate} % ({tally.delivered_answered} of {tally.delivered})"
    )


def mix(tally: Tally) -> str:
    p, pa, d = tally.promoters, tally.passives, tally.detractors
    return (
        f"promoters {p} ({tally.percent(p)} %) · passives {pa} ({tally.percent(pa)} %) · "
        f"detractors {d} ({tally.percent(d)} %)"
    )


def comparisons(org: Tally, benchmark: Benchmark | None) -> str:
    """Plain text: a renderer escapes it for its markup (the benchmark name is admin-written)."""
    parts = [f"organisation {signed(org.nps)}"]
    if benchmark is not None:
        parts.append(f"{benchmark.name} {signed(benchmark.nps)}")
    return " · ".join(parts)


def too_few(answers: int, needed: int) -> str:
    """Instead of a score that would tell who said what (nps.toml `min_answers`)."""
    return f"too few answers to show a score ({answers} of {needed})"


def hidden_with_others(answers: int) -> str:
    """A figure big enough on its own, hidden because the total minus it would give away the
    small figures beside it."""
    return f"hidden ({answers} answers) so that the smaller figures can't be worked out"


def driver_headline(report: DriverReport) -> str:
    """The one sentence a lead acts on: the driver that moves the score most, and how often
    detractors blame it; "not enough answers yet (12 of 30)" until the analysis means something."""
    if report.r2 is None:
        return f"not enough answers yet ({report.n} of {MIN_DRIVER_ANSWERS})"
    top = report.drivers[0] if report.drivers else None
    if top is None or top.importance is None:
        return f"the scores do not vary with the drivers named ({report.n} answers)"
    text = f"{top.label} explains {percent(top.importance)} % of what moves your score"
    if report.detractors:
        share = round_half_away(100 * top.bad_detractors / report.detractors)
        text += f"; it is named as what went wrong in {share} % of detractors"
    return text


def driver_line(line: DriverLine) -> str:
    share = f"{percent(line.importance)} % · " if line.importance is not None else ""
    return (
        f"{share}named as good {line.named_good} (NPS {signed(line.nps_good)}) · "
        f"as bad {line.named_bad} (NPS {signed(line.nps_bad)})"
    )


def driver_footer(report: DriverReport) -> str:
    fit = f"R² {report.r2:.2f} · " if report.r2 is not None else ""
    return (
        f"{fit}{report.n} answers naming a driver, last {report.weeks} weeks. Share of what "
        "moves the score = the driver's LMG share of the explained variance (+1 named at 9–10, "
        "−1 named at 0–8)."
    )


def percent(share: float) -> int:
    return round_half_away(100 * share)


def digest_driver(report: DriverReport) -> str | None:
    """The digest's line on drivers, once the 12 weeks have enough answers naming one."""
    top = report.drivers[0] if report.r2 is not None and report.drivers else None
    if top is None or top.importance is None:
        return None
    return (
        f"What moves the score most (last {report.weeks} weeks): {top.label}, "
        f"{percent(top.importance)} % of it"
    )


SHOWN_THEMES = 10  # in a chat reply; `npsbot themes` lists every one


def themes_withheld(answers: int, needed: int) -> str:
    """Instead of themes whose words and quotes would point at the few who answered."""
    return f"too few answers to show themes ({answers} of {needed})"


def not_enough_comments(n: int) -> str:
    return f"not enough comments yet ({n} of {MIN_THEME_COMMENTS})"


def theme_label(line: ThemeLine) -> str:
    return " · ".join(line.terms) or "(no words in common)"


def theme_change(line: ThemeLine, weeks: int) -> str:
    if line.previous is None:
        return "no earlier figure to compare"
    return f"{signed(line.comments - line.previous)} on the {weeks} weeks before"


def theme_line(line: ThemeLine, weeks: int) -> str:
    share = round_half_away(100 * line.detractors / line.comments)
    return (
        f"{counted(line.comments, 'comment')} ({theme_change(line, weeks)}) · "
        f"{share} % from detractors"
    )


def theme_headline(report: ThemeReport) -> str:
    if report.withheld:
        return report.withheld
    return (
        f"{counted(report.comments, 'comment')} in {counted(len(report.themes), 'theme')}, "
        f"last {report.weeks} weeks"
    )


def theme_legend(report: ThemeReport) -> str:
    more = len(report.themes) - SHOWN_THEMES
    shown = f"The {SHOWN_THEMES} largest of {len(report.themes)} themes. " if more > 0 else ""
    return (
        f"{shown}Themes are found automatically in the comments, in any language, and named "
        "by their most telling words. From detractors = share of the theme's comments given "
        "with a score of 0–6. Quotes are never attributed."
    )


def digest_theme(report: ThemeReport) -> str | None:
    """The digest's fastest-growing theme: the most comments gained on the period before."""
    grown = [t for t in report.themes if t.previous is not None and t.comments > t.previous]
    if not grown:
        return None
    top = max(grown, key=lambda t: t.comments - (t.previous or 0))
    return (
        f"Fastest-growing theme (last {report.weeks} weeks): {theme_label(top)}, "
        f"{counted(top.comments, 'comment')} ({theme_change(top, report.weeks)})"
    )


def counted(n: int, noun: str) -> str:
    """'1 answer', '2 answers', '1 open callback': never '1 answers'."""
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def answers(n: int) -> str:
    return say("answers", count=n)


def change_legend(weeks: int) -> str:
    # The per-team figure in brackets is the change; ± is only ever the margin of error.
    return f"Best first; (+N) is the change on the {weeks} weeks before, ± the margin of error."


def elapsed(start: datetime, end: datetime) -> str:
    minutes = max(0, int((end - start).total_seconds() // 60))
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    if days:
        return f"{days}d {hours}h"
    if hours:
        return f"{hours}h {mins:02d}m"
    return f"{mins} min" if mins else "under a minute"


def short_day(day: date) -> str:
    """A week's Monday in a report: "16 Nov"."""
    return f"{day.day} {day:%b}"


def age(waited: timedelta) -> str:
    """How long a callback has waited, in the list of open ones: "5h", "2d 3h"."""
    hours = int(waited.total_seconds() // 3600)
    return f"{hours // 24}d {hours % 24}h" if hours >= 24 else f"{hours}h"


def alert_summary(score: int, ticket: str, status: CallbackStatus, outcome: Outcome | None) -> str:
    """The notification text of a detractor alert, true to where the callback stands."""
    head = f"Detractor {score}/10 for {ticket}"
    if status == CallbackStatus.CLOSED:
        return f"{head}: closed ({outcome.label})" if outcome else f"{head}: closed"
    if status == CallbackStatus.CLAIMED:
        return f"{head}: being called back"
    return f"{head}: call back"


def chart_title(name: str, weeks: int, trend_weeks: int) -> str:
    """The gauge shows the `weeks` asked for, the trend `trend_weeks`: both said if unequal."""
    if weeks == trend_weeks:
        return f"{name} — last {weeks} weeks"
    return f"{name} — score over {weeks} weeks, trend over {trend_weeks}"


def table_weeks(shown: int, total: int) -> str:
    """Under a week table cut to its latest rows (a Teams card holds about 28 KB)."""
    return f"The table shows the latest {shown} of the {total} weeks; the figures above count all."


def not_shown(n: int) -> str:
    return f"…and {n} more, not shown here."
