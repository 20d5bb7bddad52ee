"""`python -m bench.reports`: `/nps team` and `/nps teams` as the bot computes them, against
hand-written SQL of the same figures (the floor), on SQLite and PostgreSQL, in one run.

Per backend: a fresh database from bench.gen_answers; then, interleaved and alternating which goes
first, the bot's use cases (bot.reports on a real Store) and the floor's raw SQL strings through
the same engine. Every run's figures must be equal, or the bench fails.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import re
import shlex
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cache, partial
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import TextClause, bindparam, func, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncConnection

from bench import report
from bench.common import percentile, postgres_version
from bench.gen_answers import PG_DATABASE, S, directory, drop_database, generate
from bot.deps import Deps
from bot.messages import TeamReport, TeamsOverview
from bot.model import Team
from bot.reports import CHART_WEEKS, team_report, teams_overview
from bot.scoring import MIN_ANSWERS_FOR_COMMENTS, Tally, boundaries
from bot.settings import Settings
from store import Store, open_store
from store.types import UTCDateTime

WEEKS, OVERVIEW_WEEKS = 8, 4  # /nps team's default; /nps teams' span
SPAN = max(2 * WEEKS, CHART_WEEKS)  # weeks a team report counts: these and the previous period
TEAM_RUNS, OVERVIEW_RUNS, WARMUP = 100, 20, 3
DOC = report.ROOT / "docs" / "benchmarks.md"
HEADING = "## Reports:"
KEPT_SQLITE = Path(tempfile.gettempdir()) / "npsbot-bench-reports.db"
URL_VARS = ("BENCH_DATABASE_URL", "TEST_DATABASE_URL")
T = TypeVar("T")
HALVES = f"{{who}}, 2 × {OVERVIEW_WEEKS} weeks"
TEAM_ANSWERS = f"the team's answers, {WEEKS} weeks"

# The floor: what a person would write by hand for the same figures, one statement per figure.
# {placeholders} are filled from constants once (see _sql); every value is a bound parameter.
CATEGORIES = """sum(CASE WHEN score >= 9 THEN 1 ELSE 0 END),
  sum(CASE WHEN score BETWEEN 7 AND 8 THEN 1 ELSE 0 END),
  sum(CASE WHEN score <= 6 THEN 1 ELSE 0 END)"""
ANSWERS = """SELECT {week_of_answered_at}, {categories}
FROM answer
WHERE {team} answered_at >= :b0 AND answered_at < :b{weeks}
GROUP BY 1"""
DELIVERIES = """SELECT {week_of_delivered_at}, count(*), count(a.survey_id)
FROM survey s LEFT JOIN answer a ON a.survey_id = s.id
WHERE {survey_team} delivered_at >= :b0 AND delivered_at < :b{weeks}
GROUP BY 1"""
COMMENTS = """SELECT comment FROM (
  SELECT comment, answered_at, row_number() OVER (
    PARTITION BY CASE WHEN score >= 9 THEN 2 WHEN score >= 7 THEN 1 ELSE 0 END
    ORDER BY answered_at DESC) AS n
  FROM answer WHERE team_key = :team AND answered_at >= :b0 AND answered_at < :b1
    AND comment <> '') AS c
WHERE n = 1 ORDER BY answered_at DESC"""
UNDELIVERABLE = """SELECT count(*) FROM survey WHERE team_key = :team AND status = 'failed'
  AND created_at >= :b0 AND created_at < :b1"""
TEAMS_ANSWERS = """WITH t (team_key, b0, b1, b2) AS (VALUES {teams})
SELECT t.team_key, CASE WHEN answered_at >= t.b1 THEN 1 ELSE 0 END, {categories}
FROM t JOIN answer a ON a.team_key = t.team_key AND answered_at >= t.b0 AND answered_at < t.b2
GROUP BY 1, 2"""
TEAMS_DELIVERIES = """WITH t (team_key, b0, b1, b2) AS (VALUES {teams})
SELECT t.team_key, CASE WHEN delivered_at >= t.b1 THEN 1 ELSE 0 END, count(*), count(a.survey_id)
FROM t JOIN survey s ON s.team_key = t.team_key AND delivered_at >= t.b0 AND delivered_at < t.b2
LEFT JOIN answer a ON a.survey_id = s.id
GROUP BY 1, 2"""


def _week(column: str, weeks: int) -> str:
    """Which of the intervals :b0 … :b{weeks} the column falls in (newest tested first)."""
    whens = " ".join(f"WHEN {column} >= :b{i} THEN {i}" for i in range(weeks - 1, 0, -1))
    return f"CASE {whens} ELSE 0 END" if whens else "0"


@cache
def _sql(template: str, weeks: int = 1, team: bool = False, teams: int = 0) -> TextClause:
    """The statement, its timestamps bound by the store's UTCDateTime (so SQLite compares its
    own text format)."""
    parts = {
        "categories": CATEGORIES, "weeks": weeks, "team": "team_key = :team AND" if team else "",
        "survey_team": "s.team_key = :team AND" if team else "",
        "week_of_answered_at": _week("answered_at", weeks),
        "week_of_delivered_at": _week("delivered_at", weeks),
        "teams": ", ".join(f"(:k{i}, :b0_{i}, :b1_{i}, :b2_{i})" for i in range(teams)),
    }  # fmt: skip
    sql = template.format(**parts)  # only the constants above
    stamps = {n for n in re.findall(r":(\w+)", sql) if n.startswith("b")}  # :b0, :b1_7 …
    return text(sql).bindparams(*(bindparam(n, type_=UTCDateTime()) for n in sorted(stamps)))


class Floor:
    """Runs the hand-written statements, timing each one by name."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.ms: dict[str, list[float]] = defaultdict(list)

    async def rows(
        self, conn: AsyncConnection, name: str, sql: TextClause, params: dict[str, Any]
    ) -> list[Any]:
        began = time.perf_counter()
        found = list(await conn.execute(sql, params))
        self.ms[name].append((time.perf_counter() - began) * 1000)
        return found

    async def tallies(
        self, conn: AsyncConnection, label: str, bounds: list[datetime], team: str | None
    ) -> list[Tally]:
        weeks = len(bounds) - 1
        params: dict[str, Any] = {f"b{i}": b for i, b in enumerate(bounds)}
        if team is not None:
            params["team"] = team
        scoped = team is not None
        answers = await self.rows(conn, f"answers, {label}", _sql(ANSWERS, weeks, scoped), params)
        sent = await self.rows(
            conn, f"deliveries, {label}", _sql(DELIVERIES, weeks, scoped), params
        )
        counted = {r[0]: tuple(int(x) for x in r[1:]) for r in answers}
        delivered = {r[0]: tuple(int(x) for x in r[1:]) for r in sent}
        return [Tally(*counted.get(i, (0, 0, 0)), *delivered.get(i, (0, 0))) for i in range(weeks)]

    async def team(self, team: Team, now: datetime) -> dict[str, Any]:
        bounds = boundaries(now, team.timezone, SPAN)
        since, until = bounds[SPAN - WEEKS], bounds[-1]
        shown: dict[str, Any] = {"b0": since, "b1": until, "team": team.key}
        async with self.store.read() as conn:
            weekly = await self.tallies(conn, f"the team, {SPAN} weeks", bounds, team.key)
            org = await self.tallies(conn, f"everyone, {WEEKS} weeks", [since, until], None)
            period = sum(weekly[-WEEKS:], Tally())
            quoted = []
            if period.answers >= MIN_ANSWERS_FOR_COMMENTS:
                quoted = await self.rows(conn, "comments, the team", _sql(COMMENTS), shown)
            failed = await self.rows(conn, "undeliverable, the team", _sql(UNDELIVERABLE), shown)
        return {"weeks": tuple(weekly[-WEEKS:]), "period": period, "organisation": org[0],
                "previous": sum(weekly[-2 * WEEKS : -WEEKS], Tally()),
                "trend": tuple(t.nps for t in weekly[-CHART_WEEKS:]),
                "comments": tuple(r[0] for r in quoted), "undeliverable": int(failed[0][0]),
                "rows": _rows(weekly, org[0], period)}  # fmt: skip

    async def overview(self, teams: tuple[Team, ...], zone: str, now: datetime) -> dict[str, Any]:
        params: dict[str, Any] = {}
        for i, team in enumerate(teams):
            b = boundaries(now, team.timezone, 2 * OVERVIEW_WEEKS)
            params |= {f"k{i}": team.key, f"b0_{i}": b[0], f"b1_{i}": b[OVERVIEW_WEEKS]}
            params[f"b2_{i}"] = b[-1]
        org_bounds = boundaries(now, zone, 2 * OVERVIEW_WEEKS)[::OVERVIEW_WEEKS]
        async with self.store.read() as conn:
            org = await self.tallies(conn, HALVES.format(who="everyone"), org_bounds, None)
            by_team = HALVES.format(who="each team")
            answers = await self.rows(conn, f"answers, {by_team}",
                                      _sql(TEAMS_ANSWERS, teams=len(teams)), params)  # fmt: skip
            sent = await self.rows(conn, f"deliveries, {by_team}",
                                   _sql(TEAMS_DELIVERIES, teams=len(teams)), params)  # fmt: skip
        counts: dict[tuple[str, int], tuple[int, ...]] = defaultdict(lambda: (0, 0, 0, 0, 0))
        for r in answers:
            counts[r[0], r[1]] = (int(r[2]), int(r[3]), int(r[4]), 0, 0)
        for r in sent:
            counts[r[0], r[1]] = (*counts[r[0], r[1]][:3], int(r[2]), int(r[3]))
        lines = {t.key: (Tally(*counts[t.key, 1]), Tally(*counts[t.key, 0])) for t in teams}
        return {"lines": lines, "organisation": org[1], "previous_organisation": org[0]}


def _rows(weekly: list[Tally], org: Tally, period: Tally) -> dict[str, int]:
    return {
        TEAM_ANSWERS: period.answers,
        "the team's answers, 16 weeks": sum(t.answers for t in weekly),
        "the team's surveys delivered, 16 weeks": sum(t.delivered for t in weekly),
        "everyone's answers, 8 weeks": org.answers,
        "everyone's surveys delivered, 8 weeks": org.delivered,
    }


def bot_team_figures(r: TeamReport) -> dict[str, Any]:
    return {"weeks": tuple(w.tally for w in r.weeks), "period": r.period,
            "organisation": r.organisation, "previous": r.previous,
            "trend": tuple(nps for _, nps in r.chart.trend), "comments": r.comments,
            "undeliverable": r.undeliverable}  # fmt: skip


def bot_overview_figures(o: TeamsOverview) -> dict[str, Any]:
    return {
        "lines": {line.team_key: (line.period, line.previous) for line in o.lines},
        "organisation": o.organisation,
        "previous_organisation": o.previous_organisation,
    }


class FiguresDiffer(AssertionError):
    """The bot and the floor disagree: the bench fails rather than time a wrong answer."""


def check(what: str, bot: dict[str, Any], floor: dict[str, Any]) -> None:
    wrong = [k for k in bot if bot[k] != floor[k]]
    if wrong:
        details = "; ".join(f"{k}: bot {bot[k]!r} ≠ floor {floor[k]!r}" for k in wrong)
        raise FiguresDiffer(f"{what}: {details}")


@dataclass(frozen=True, slots=True)
class FixedClock:
    moment: datetime

    def now(self) -> datetime:
        return self.moment


async def _timed(call: Callable[[], Awaitable[T]]) -> tuple[T, float]:
    began = time.perf_counter()
    result = await call()
    return result, (time.perf_counter() - began) * 1000


async def _pair(
    n: int, bot: Callable[[], Awaitable[Any]], floor: Callable[[], Awaitable[dict[str, Any]]]
) -> tuple[Any, float, dict[str, Any], float]:
    """Both, the bot first on even runs: whichever runs second finds the pages the other read."""
    if n % 2 == 0:
        (b, b_ms), (f, f_ms) = await _timed(bot), await _timed(floor)
    else:
        (f, f_ms), (b, b_ms) = await _timed(floor), await _timed(bot)
    return b, b_ms, f, f_ms


async def measure(deps: Deps, team_runs: int, overview_runs: int) -> dict[str, Any]:
    floor, now, teams = Floor(deps.store), deps.clock.now(), deps.directory.teams
    zone = deps.directory.default_timezone
    for team in teams[:WARMUP]:  # compiled statements, pooled connections, page caches
        await team_report(deps, team, WEEKS)
        await floor.team(team, now)
    await teams_overview(deps, OVERVIEW_WEEKS)
    await floor.overview(teams, zone, now)
    floor.ms.clear()
    ms: dict[str, list[float]] = defaultdict(list)
    order = [teams[i % len(teams)] for i in range(team_runs)]
    random.Random(4).shuffle(order)
    rows = []
    for n, team in enumerate(order):
        bot, ms_bot, hand, ms_hand = await _pair(
            n, partial(team_report, deps, team, WEEKS), partial(floor.team, team, now)
        )
        check(f"/nps team {team.key}", bot_team_figures(bot), hand)
        ms["team bot"].append(ms_bot)
        ms["team floor"].append(ms_hand)
        rows.append(hand["rows"])
    rows.append(await _overview_runs(deps, floor, overview_runs, ms))
    return {"ms": dict(ms), "statements": dict(floor.ms), "rows": rows, "now": now}


async def _overview_runs(
    deps: Deps, floor: Floor, runs: int, ms: dict[str, list[float]]
) -> dict[str, int]:
    now, teams = deps.clock.now(), deps.directory.teams
    hand: dict[str, Any] = {}
    for n in range(runs):
        bot, ms_bot, hand, ms_hand = await _pair(
            n,
            partial(teams_overview, deps, OVERVIEW_WEEKS),
            partial(floor.overview, teams, deps.directory.default_timezone, now),
        )
        check("/nps teams", bot_overview_figures(bot), hand)
        ms["teams bot"].append(ms_bot)
        ms["teams floor"].append(ms_hand)
    lines = hand["lines"].values()
    return {
        "answers, 8 weeks": sum(p.answers + q.answers for p, q in lines),
        "surveys delivered, 8 weeks": sum(p.delivered + q.delivered for p, q in lines),
    }


async def bench_backend(
    name: str, url: str, answers: int, runs: tuple[int, int], end: datetime | None
) -> dict[str, Any]:
    """Generates data ending at `end` (None: reuse the kept database) and measures one backend;
    url: a SQLite file, or a PostgreSQL server."""
    made = {} if end is None else await generate(url, answers, end=end)
    store = open_store(made.get("url") or _target(url))
    try:
        async with store.read() as conn:
            latest = (await conn.execute(select(func.max(S.c.created_at)))).scalar_one()
            counts = [(await conn.execute(text(sql))).scalar_one() for sql in COUNTS]
        now = latest.replace(minute=0, second=0, microsecond=0) + timedelta(hours=1)
        deps = Deps(store, directory(), FixedClock(now), Settings())
        result = await measure(deps, *runs)
    finally:
        await store.close()
    return {**result, "backend": name, "surveys": counts[0], "answers": counts[1],
            "generate_s": made.get("seconds"), "teams": len(deps.directory.teams)}  # fmt: skip


COUNTS = ("SELECT count(*) FROM survey", "SELECT count(*) FROM answer")


def _target(url: str) -> str:
    u = make_url(url)
    if u.get_backend_name() == "sqlite":
        return url
    return u.set(database=PG_DATABASE).render_as_string(hide_password=False)


async def run(answers: int, runs: tuple[int, int], keep: bool, reuse: bool) -> dict[str, Any]:
    """Both backends, on the same data: generated with one end time for both (unless reuse)."""
    pg = next((os.environ[v] for v in URL_VARS if os.environ.get(v)), None)
    machine = report.machine(await postgres_version(pg) if pg else None)
    end = None if reuse else datetime.now(UTC).replace(minute=0, second=0, microsecond=0)
    with tempfile.TemporaryDirectory(prefix="npsbot-reports-") as tmp:
        path = KEPT_SQLITE if keep or reuse else Path(tmp) / "reports.db"
        backends = [("SQLite", f"sqlite:///{path}")] + ([("PostgreSQL", pg)] if pg else [])
        results = []
        for name, url in backends:
            print(
                f"Reports on {name}: {'reusing' if reuse else 'generating'} the data …", flush=True
            )
            results.append(await bench_backend(name, url, answers, runs, end))
            if url == pg and not (keep or reuse):
                await drop_database(pg)
    if any(r["rows"] != results[0]["rows"] for r in results):
        raise FiguresDiffer("SQLite and PostgreSQL hold different data: rows counted differ")
    return {"backends": results, "machine": machine, "command": _command()}


def _command() -> str:
    env = [f"{v}={make_url(os.environ[v]).render_as_string(hide_password=True)}"
           for v in URL_VARS if os.environ.get(v)]  # fmt: skip
    return shlex.join([*env, sys.executable, "-m", "bench.reports", *sys.argv[1:]])


def _ms(value: float) -> str:
    return f"{value:,.0f} ms" if value >= 10 else f"{value:.1f} ms"


def _p(values: list[float]) -> tuple[float, float]:
    return percentile(values, 50), percentile(values, 95)


REPLIES = (("team", f"`/nps team <key>` ({WEEKS} weeks)"),
           ("teams", f"`/nps teams` ({OVERVIEW_WEEKS} weeks)"))  # fmt: skip


def table(results: dict[str, Any]) -> str:
    out = ["| Database | Reply | Bot p50 | Bot p95 | Floor p50 | Floor p95 | Bot ÷ floor "
           "(p50 / p95) | Runs | Same figures |", "|" + " --- |" * 9]  # fmt: skip
    for r in results["backends"]:
        for key, label in REPLIES:
            bot, floor = r["ms"][f"{key} bot"], r["ms"][f"{key} floor"]
            (b50, b95), (f50, f95) = _p(bot), _p(floor)
            out.append(f"| {r['backend']} | {label} | **{_ms(b50)}** | **{_ms(b95)}** | "
                       f"{_ms(f50)} | {_ms(f95)} | {b50 / f50:.1f}× / {b95 / f95:.1f}× | "
                       f"{len(bot)} | yes, every run |")  # fmt: skip
    return "\n".join(out)


def statements_table(results: dict[str, Any]) -> str:
    names = list(results["backends"][0]["statements"])
    head = " | ".join(f"{r['backend']} p50 / p95" for r in results["backends"])
    out = [f"| Reply | Floor statement | {head} |", "|" + " --- |" * (2 + len(results["backends"]))]
    for name in names:
        reply = REPLIES[1][1] if "2 ×" in name else REPLIES[0][1]
        cells = " | ".join("{} / {}".format(*map(_ms, _p(r["statements"][name])))
                           for r in results["backends"])  # fmt: skip
        out.append(f"| {reply} | {name} | {cells} |")
    return "\n".join(out)


def rows_table(results: dict[str, Any]) -> str:
    rows = results["backends"][0]["rows"]
    teams = [r for r in rows if TEAM_ANSWERS in r]
    out = ["| Rows counted | Median team | Largest team |", "| --- | --- | --- |"]
    for key in teams[0]:
        found = sorted(r[key] for r in teams)
        out.append(f"| {key} | {found[len(found) // 2]:,} | {found[-1]:,} |")
    for key, n in rows[-1].items():
        out.append(f"| `/nps teams`: {key}, all teams | {n:,} | – |")
    return "\n".join(out)


def section(results: dict[str, Any]) -> str:
    m, backends = results["machine"], results["backends"]
    first = backends[0]
    made = ", ".join(f"{r['backend']} {r['generate_s']:.0f} s" for r in backends if r["generate_s"])
    return "\n".join([
        f"{HEADING} {first['answers']:,} answers, {first['teams']} teams, 2 years", "",
        "Generated by `bench/reports.py` (run alone, or by `bench/run_all.py`); rerun it rather "
        "than edit.", "",
        f"- **Date:** {m['date']}", f"- **Machine:** {m['cpu']}; {m['load']}",
        f"- **Python:** {m['python']}; **SQLite:** {m['sqlite']}; "
        f"**PostgreSQL:** {m['postgresql']} (default settings: shared_buffers 128 MB)",
        f"- **Code:** {m['code']}", f"- **Command:** `{results['command']}`",
        f"- **Data:** `python -m bench.gen_answers --url URL --answers {first['answers']} "
        f"--teams {first['teams']} --years 2` (seed 1), ending {first['now']:%Y-%m-%d %H:%M} "
        f"UTC: {first['surveys']:,} surveys, {first['answers']:,} answers"
        + (f"; generated in {made}" if made else "") + ".", "",
        table(results), "",
        "### Where the floor's time goes", "",
        "Each hand-written statement, timed on its own (p50 / p95 over the same runs).", "",
        statements_table(results), "",
        "### Rows behind one reply", "",
        rows_table(results), "",
        "### How to read this", "", *reading(results), "",
        "### Method", "", *METHOD, "",
    ])  # fmt: skip


def reading(results: dict[str, Any]) -> list[str]:
    notes, slow = [], False
    for r in results["backends"]:
        team, teams = _p(r["ms"]["team bot"]), _p(r["ms"]["teams bot"])
        p50 = {k: _p(v)[0] for k, v in r["statements"].items()}
        sent = sum(v for k, v in p50.items() if k.startswith("deliveries")) / sum(p50.values())
        slow |= sent > 0.5
        notes.append(
            f"- **{r['backend']}.** `/nps team` p95 {_ms(team[1])} and `/nps teams` p95 "
            f"{_ms(teams[1])}, against Slack's 3 s. The delivery statements (surveys delivered, "
            f"with how many of them were answered, for the response rate) take {sent:.0%} of "
            "the floor's summed statement p50s."
        )
    return notes + BOT_VS_FLOOR + (WHY_DELIVERIES if slow else [])


BOT_VS_FLOOR = [
    "- **Bot ÷ floor** near 1× means the bot's layering (SQLAlchemy Core, a statement per "
    "figure, Python adding weeks up) costs little next to the database's own work: the time "
    "is in the plans the schema allows, not in the bot's code.",
]
WHY_DELIVERIES = [
    "- **Why the deliveries are slow** (EXPLAIN / EXPLAIN QUERY PLAN). An answer's survey is "
    "found by the answer's primary key, a random 32-hex id, so counting which delivered "
    "surveys were answered costs one index probe on a different page per survey (SQLite; "
    "PostgreSQL does the same for a small team, and for a large one hashes the whole `answer` "
    "table). For the organisation there is no index on `survey.delivered_at`, so both "
    "backends read every survey. Answers alone are counted from `ix_answer_team_week` in a "
    "few ms. Keeping the answered state on the survey row (`status = 'answered'`) with "
    "indexes on `survey (team_key, delivered_at, status)` and `(delivered_at, status)` lets "
    "both counts come from one index range (proposed, not yet done).",
    "- **Undeliverable count.** SQLite finds the team's failed surveys through "
    "`ix_survey_team_delivered` on `team_key` alone, reading every survey the team ever had; "
    "PostgreSQL walks `ix_survey_status` through every failed survey. An index on "
    "`survey (team_key, status, created_at)` would make it one short range on both.",
]
METHOD = [
    "- **Data** (`bench/gen_answers.py`). Deterministic (seed 1). 50 teams at five sites "
    "(Europe/Paris, America/New_York, Asia/Kolkata, Europe/London, UTC) with Zipf-like sizes "
    "(the largest ≈ 23× the smallest), score mixes around 45 % promoters, 30 % passives, "
    "25 % detractors (a few teams well above or below) and different response rates; tickets "
    "close in business hours, mostly on weekdays, 1.5× more in the last month than the first; "
    "3 % of surveys undeliverable (`failed`); exactly 60 % of the rest answered, minutes to "
    "days after delivery; half the detractors, a quarter of passives and 15 % of promoters "
    "comment. SQLite is loaded through the store's engine and `UTCDateTime` and gets no "
    "ANALYZE (the bot never runs one); PostgreSQL is loaded with COPY, then VACUUM ANALYZE, "
    "as autovacuum would do.",
    "- **Bot.** `bot.reports.team_report(deps, team, weeks=8)` and "
    "`bot.reports.teams_overview(deps, 4)` on a real `Store` (the engine `npsbot serve` "
    "builds), a fixed clock at the end of the data and the bench's own 50-team directory, "
    "in the bench process; no Slack, no HTTP. `/nps team` runs cycle through the 50 teams "
    "in a shuffled order, each team twice.",
    "- **Floor.** Raw SQL strings through the same engine and connection pool, computing the "
    "same figures: answers by week and category for the team (16 weeks: the trend and the "
    "previous period), deliveries and answered deliveries per week, the organisation's "
    "answers and deliveries over the 8 weeks, the newest comment per category (one window "
    "query instead of three) and the undeliverable count; for `/nps teams`, every team's two "
    "4-week halves in one statement per figure (each team's week boundaries in its own time "
    "zone, joined from a VALUES list) and the organisation's. Week boundaries come from "
    "`bot.scoring.boundaries`, as in the bot.",
    "- **Timing.** Each run times the bot and the floor back to back, alternating which goes "
    "first; three teams and one overview warm both up first. Every run's figures (each week's "
    "tallies, period, previous period, organisation, trend, comments, undeliverable count; "
    "every team's line) must be equal or the bench stops with an error.",
]


def write_doc(results: dict[str, Any]) -> None:
    """Replaces this section of docs/benchmarks.md (or appends it), leaving the rest alone."""
    lines = DOC.read_text().splitlines()
    start = next((i for i, x in enumerate(lines) if x.startswith(HEADING)), len(lines))
    end = next((i for i in range(start + 1, len(lines)) if lines[i].startswith("## ")), len(lines))
    new = section(results).rstrip("\n").splitlines()
    gap = [""] if start == len(lines) and lines and lines[-1] else []
    tail = ["", *lines[end:]] if end < len(lines) else []
    DOC.write_text("\n".join(lines[:start] + gap + new + tail) + "\n")


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.reports", description=__doc__)
    parser.add_argument("--answers", type=int, default=1_000_000)
    parser.add_argument("--quick", action="store_true", help="20,000 answers; doc not written")
    parser.add_argument("--write", action="store_true", help="with --quick, still write the doc")
    parser.add_argument("--keep", action="store_true", help=f"keep {KEPT_SQLITE} and "
                        f"PostgreSQL database {PG_DATABASE} for --reuse")  # fmt: skip
    parser.add_argument("--reuse", action="store_true", help="measure the kept databases")
    args = parser.parse_args()
    answers = 20_000 if args.quick else args.answers
    results = asyncio.run(run(answers, (TEAM_RUNS, OVERVIEW_RUNS), args.keep, args.reuse))
    print("\n" + table(results) + "\n\n" + statements_table(results))
    if not args.quick or args.write:
        write_doc(results)
        print(f"\nwrote {DOC.relative_to(report.ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
