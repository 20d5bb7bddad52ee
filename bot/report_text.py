"""Report phrases every platform shows the same way: plain words, no markup, so Slack's mrkdwn
and Teams' cards say identical things and a change of wording is made once."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from bot.callbacks_model import CallbackStatus, Outcome
from bot.gap_messages import GapFigure, GapReport, GapWeek, LostTime, Rank, SlaFigure
from bot.messages import (
    AgentReport,
    Benchmark,
    DriverLine,
    DriverReport,
    TeamReport,
    ThemeLine,
    ThemeReport,
    WeeklyDigest,
)
from bot.scoring import Tally, change, round_half_away, signed
from bot.scoring.drivers import MIN_DRIVER_ANSWERS
from bot.scoring.gap import GapTally
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


def guess_question(ticket_id: str, requester: str | None) -> str:
    """The agent's guess: "INC0012345 for Ana is closed. How do you think Ana will rate it?"."""
    return say("guess.question", ticket=ticket_id, who=requester or say("guess.the_requester"))


def guess_thanks(ticket_id: str, requester: str | None, score: int) -> str:
    who = requester or say("guess.the_requester")
    return say("guess.thanks", who=who, score=score, ticket=ticket_id)


GUESS_NOT_YOURS = "Sorry, this question was sent to the ticket's agent, so only they can answer."
GUESS_CLOSED = "This survey has closed, so the guess wasn't recorded. Thank you anyway!"
NO_GUESS = "Sorry, I can't find that question any more."


def guess_already(score: int) -> str:
    return f"Your guess was already recorded (you expected {score}). Thank you!"


def one_decimal(value: float | None) -> str:
    """7.1, 9 (not 9.0), – for nothing; half away from zero like every figure we show."""
    if value is None:
        return "–"
    tenths = round_half_away(10 * value)
    return str(tenths // 10) if tenths % 10 == 0 else f"{tenths / 10:.1f}"


def gap_too_few(pairs: int, needed: int) -> str:
    return f"too few tickets with both a guess and an answer to compare ({pairs} of {needed})"


def _gap_points(gap: int | None) -> str:
    """ "33 points", "−5 points", "1 point"; "– points" when there is nothing to compare."""
    if gap is None:
        return say("gap.no_points")
    return say("gap.points", count=abs(gap), sign="−" if gap < 0 else "")


def gap_figures(gap: GapTally) -> str:
    """One week's or period's "IT's view +45 · customers +12 · gap 33 points"."""
    guessed, answered = signed(gap.guessed.nps), signed(gap.answered.nps)
    return say("gap.figures", guessed=guessed, answered=answered, points=_gap_points(gap.gap))


def gap_line(figure: GapFigure) -> str:
    """`/nps team`'s line, over the tickets with both a guess and an answer."""
    if figure.withheld:
        return say("gap.withheld", withheld=figure.withheld)
    t = figure.tally
    tickets, diff = counted(t.pairs, "ticket"), one_decimal(t.mean_diff)
    return say("gap.line", figures=gap_figures(t), tickets=tickets, diff=diff)


def agent_gap_line(figure: GapFigure) -> str:
    """`/nps me`: an agent's own guesses against what their requesters gave, as averages."""
    if figure.withheld:
        return f"Your guesses: {figure.withheld}"
    t = figure.tally
    return (
        f"you expected {one_decimal(t.mean_guess)} on average; customers gave "
        f"{one_decimal(t.mean_score)} ({counted(t.pairs, 'ticket')} with both)"
    )


def ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def rank_line(rank: Rank) -> str:
    """ "3rd of 11 teams (top 27 %)": ties share a place, as in a sports table."""
    top = round_half_away(100 * rank.position / rank.of)
    return say("rank.line", place=ordinal(rank.position), of=rank.of, top=top)


GAP_EXPLAINED = (
    "IT's view = the NPS of the agents' guesses; customers = the NPS of the answers on the same "
    "tickets; gap = the difference in points. Only tickets with both count."
)


def team_extras(report: TeamReport) -> list[str]:
    """The issue-15 lines of `/nps team`, plain text, in the order both platforms show them."""
    lines = []
    if report.rank is not None:
        lines.append(say("rank.label", rank=rank_line(report.rank)))
    if report.gap is not None:
        lines.append(gap_line(report.gap))
    if report.sla is not None:
        lines.append(sla_line(report.sla))
    if report.lost_time is not None:
        lines.append(lost_time_line(report.lost_time))
    return lines


def lost_too_few(answers: int, needed: int) -> str:
    return f"too few answers about lost work time to show ({answers} of {needed})"


def lost_time_line(lost: LostTime) -> str:
    """ "Work time lost: about 21 h over 6 answers (3.5 h per ticket)", at choice midpoints."""
    if lost.withheld:
        return say("lost.withheld", withheld=lost.withheld)
    hours, each = one_decimal(lost.hours), one_decimal(lost.hours / lost.answers)
    return say("lost.line", count=lost.answers, hours=hours, each=each)


def sla_too_few(with_sla: int, needed: int) -> str:
    return f"too few answered tickets with SLA data to show ({with_sla} of {needed})"


def sla_line(figure: SlaFigure) -> str:
    """ "SLA met on 92 % of answered tickets · 🍉 15 % of those were detractors"."""
    if figure.withheld:
        return say("sla.withheld", withheld=figure.withheld)
    t = figure.tally
    line = say("sla.met", share=percent(t.met_share or 0.0))
    if t.melon_share is not None:
        line += say("sla.melon", share=percent(t.melon_share))
    if t.with_sla < t.answered:
        line += say("sla.partial", with_sla=t.with_sla, answered=t.answered)
    return line


MELON_LEGEND = "🍉 = detractors among answers whose ticket met its SLA."


def melon_cell(figure: SlaFigure | None) -> str:
    """`/nps teams`' 🍉 column: detractors among answers whose SLA was met; "" without data."""
    if figure is None or figure.withheld or figure.tally.melon_share is None:
        return ""
    return f" · 🍉 {percent(figure.tally.melon_share)} %"


def digest_extras(digest: WeeklyDigest) -> list[str]:
    """The digest's one line each for the perception gap and the watermelon count."""
    lines = [gap_line(digest.gap)] if digest.gap is not None else []
    return lines + ([sla_line(digest.sla)] if digest.sla is not None else [])


def agent_extras(report: AgentReport) -> list[str]:
    return [agent_gap_line(report.gap)] if report.gap is not None else []


def gap_week(week: GapWeek, current: bool) -> str:
    """One row of `/nps gap`: the week's figures, or why they are not shown."""
    now = " (so far)" if current else ""
    f = week.figure
    if f.withheld:
        return f"{week.start.day} {week.start:%b}: {f.withheld}{now}"
    if not f.tally.pairs:
        return f"{week.start.day} {week.start:%b}: no tickets with both{now}"
    return f"{week.start.day} {week.start:%b}: {gap_figures(f.tally)} ({f.tally.pairs}){now}"


def gap_period(report: GapReport) -> str:
    p = report.period
    if p.withheld:
        return say("gap.withheld", withheld=p.withheld)
    if not p.tally.pairs:
        return "No tickets with both a guess and an answer in this period (nps.toml `ask_agent`)."
    return gap_line(p)
