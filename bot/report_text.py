"""Report phrases every platform shows the same way: plain words, no markup, so Slack's mrkdwn
and Teams' cards say identical things and a change of wording is made once."""

from __future__ import annotations

from datetime import datetime

from bot.callbacks_model import CallbackStatus, Outcome
from bot.messages import Benchmark
from bot.scoring import Tally, change, signed


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


def counted(n: int, noun: str) -> str:
    """'1 answer', '2 answers', '1 open callback': never '1 answers'."""
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def answers(n: int) -> str:
    return counted(n, "answer")


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
