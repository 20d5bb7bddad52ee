"""`python -m bench.reports`: `/nps team` and `/nps teams` end to end (a signed slash command
over HTTP to `npsbot serve`, until its reply), against the floor (bench.reports_floor: ONE
indexed hand-written SQL query), on SQLite and PostgreSQL, in one run, alternating rounds.

Per backend and size: a database from bench.gen_answers (or the kept one, --reuse), brought to
the head migration with its roll-ups built (timed); a spot check that the roll-ups give exactly
the raw rows' figures; the server as a subprocess with a fake Slack in another; then the rounds,
and the server's RSS after them.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import aiohttp
from sqlalchemy import text
from sqlalchemy.engine import make_url

from bench import gen_answers, report
from bench.clicks import slack_headers
from bench.common import BOT_TOKEN, SIGNING_SECRET, postgres_version, serve
from bench.fake_slack_proc import FakeSlackProcess, fake_slack
from bench.reports_floor import floor, toml
from bench.reports_text import command as run_command
from bench.reports_text import section, setup_table, table, write_section

__all__ = ["OVERVIEW_RUNS", "TEAM_RUNS", "run", "section", "table"]
from bot.scoring import boundaries
from bot.tallies import zones
from store import open_store, rollup_rebuild
from store import reports as rows
from store.migrate import upgrade_to_head

TEAM_RUNS, OVERVIEW_RUNS, WARMUP = 100, 20, 3
CHART_SENT = "files.completeUploadExternal"  # the last of a chart's Slack calls
URL_VARS = ("BENCH_DATABASE_URL", "TEST_DATABASE_URL")
KEPT = Path(tempfile.gettempdir())


def kept_sqlite(answers: int) -> Path:
    return KEPT / f"npsbot-bench-reports-{answers}.db"


def kept_pg(answers: int) -> str:
    return f"bench_reports_{answers}"


async def prepare(url: str) -> dict[str, Any]:
    """Head migration (0007 fills the organisation's slots, 0010 its days and the teams'
    weeks), then each team's days and weeks (what `npsbot serve` does at start-up); the
    seconds both take and the rows counted."""
    began = time.perf_counter()
    await asyncio.to_thread(upgrade_to_head, url)
    store, directory = open_store(url), gen_answers.directory()
    try:
        async with store.write() as conn:
            counted = [
                (await conn.execute(text(f"SELECT count(*) FROM {t}"))).scalar_one()  # noqa: S608 - ours
                for t in ("survey", "answer", "tally_slot")
            ]
            if counted[2] == 0 and counted[1]:  # loaded around the bot: not yet counted
                await rollup_rebuild.rebuild_slots(conn)
        rebuilt = await rollup_rebuild.reconcile(store, zones(directory))
        await spot_check(store)
    finally:
        await store.close()
    return {
        "surveys": counted[0],
        "answers": counted[1],
        "rebuilt": len(rebuilt),
        "prepare_s": time.perf_counter() - began,
    }


async def spot_check(store: Any) -> None:
    """A few teams and the organisation: roll-ups and raw rows must agree, or the bench stops."""
    now, directory = datetime.now(UTC), gen_answers.directory()
    # The raw counts read whole weeks of every survey: longer than the engine's 10 s at 10M.
    async with store.read() as conn, rollup_rebuild._unbounded(conn):
        for team in directory.teams[:: len(directory.teams) // 3 or 1]:
            for scope in ([team.key], None):
                bounds = boundaries(now, team.timezone, 16)
                kept = await rows.weekly_tallies(conn, bounds, scope)
                answers = await rows._answer_counts(conn, bounds, scope, None, by_team=False)
                sent = await rows._delivery_counts(conn, bounds, scope, None, by_team=False)
                if kept != rows._tallies(answers, sent, None, 16):
                    raise AssertionError(f"roll-ups differ from the raw rows for {scope}")


async def command(http: aiohttp.ClientSession, base: str, words: str) -> float:
    """One signed `/nps …` until the reply's last byte; its ms."""
    body = urlencode(
        {
            "command": "/nps",
            "text": words,
            "channel_id": "C0BENCH",
            "user_id": "U0BENCH",
            "team_id": "T0001",
            "trigger_id": "1.2.3",
            "response_url": "https://hooks.slack.com/x",
        }
    )
    began = time.perf_counter()
    async with http.post(base + "/slack/events", data=body, headers=slack_headers(body)) as resp:
        reply = await resp.text()
    ms = (time.perf_counter() - began) * 1000
    if resp.status != 200 or '"blocks"' not in reply:
        raise RuntimeError(f"/nps {words}: {resp.status} {reply[:200]}")
    return ms


async def rounds(
    base: str, url: str, runs: tuple[int, int], fake: FakeSlackProcess
) -> dict[str, list[float]]:
    """Bot and floor back to back, alternating which goes first; nothing is timed while the
    chart of the last `/nps team` is still being drawn and sent (see charts_sent)."""
    ms: dict[str, list[float]] = {k: [] for k in ("team", "teams", "floor team", "floor teams")}
    store = open_store(url)
    try:
        async with aiohttp.ClientSession() as http:
            for team in gen_answers.directory().teams[:WARMUP]:
                await command(http, base, f"team {team.key}")
                await floor(store, datetime.now(UTC), team.key)
            charted = WARMUP  # `/nps team` replies so far: one chart each
            for n, key in enumerate(_plan(runs)):
                what = "team" if key else "teams"
                for bot_turn in (n % 2 == 0, n % 2 == 1):
                    await charts_sent(fake, charted)
                    if bot_turn:
                        ms[what].append(await command(http, base, f"team {key}" if key else what))
                        charted += key is not None
                    else:
                        ms[f"floor {what}"].append((await floor(store, datetime.now(UTC), key))[1])
    finally:
        await store.close()
    return ms


def _plan(runs: tuple[int, int]) -> list[str | None]:
    """The teams of the `/nps team` runs in a shuffled order, then one None per `/nps teams`."""
    teams = gen_answers.directory().teams
    order: list[str | None] = [teams[i % len(teams)].key for i in range(runs[0])]
    random.Random(4).shuffle(order)
    return [*order, *[None] * runs[1]]


async def charts_sent(fake: FakeSlackProcess, replies: int) -> None:
    """Waits (untimed) until Slack has the chart of each `/nps team` replied to so far. The
    chart is drawn and uploaded after the reply; back to back, that work overlapped the next
    timed step, so a figure mixed one reply with the previous one's chart."""
    deadline = time.monotonic() + 10
    while await fake.ok_calls(CHART_SENT) < replies:
        if time.monotonic() > deadline:
            raise RuntimeError(f"fewer than {replies} charts reached the fake Slack")
        await asyncio.sleep(0.002)


def rss_mb(pid: int) -> dict[str, float]:
    found = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            found[key] = int(value.split()[0]) / 1024
    return found


async def bench_backend(name: str, url: str, runs: tuple[int, int]) -> dict[str, Any]:
    prepared = await prepare(url)
    with tempfile.TemporaryDirectory(prefix="npsbot-reports-") as tmp:
        env = {"SLACK_BOT_TOKEN": BOT_TOKEN, "SLACK_SIGNING_SECRET": SIGNING_SECRET}
        async with fake_slack(0, "healthy") as fake:
            env["SLACK_API_URL"] = fake.base_url
            config = toml(gen_answers.directory())
            async with serve(url, Path(tmp), env, config_text=config) as server:
                before = rss_mb(server.pid)
                ms = await rounds(server.url, url, runs, fake)
                after = rss_mb(server.pid)
            problems = server.problems()
    return {
        "backend": name,
        **prepared,
        "ms": ms,
        "rss_before": before,
        "rss": after,
        "problems": problems,
    }


async def database(name: str, admin: str, answers: int, reuse: bool) -> tuple[str, float | None]:
    """The URL of the database for `answers` (generated unless reused) and seconds generating."""
    if name == "SQLite":
        url = f"sqlite:///{kept_sqlite(answers)}"
    else:
        url = make_url(admin).set(database=kept_pg(answers)).render_as_string(hide_password=False)
    if reuse:
        return url, None
    os.environ["BENCH_PG_DATABASE"] = kept_pg(answers)
    made = await gen_answers.generate(url if name == "SQLite" else admin, answers)
    return url, made["seconds"]


async def run(
    answers: list[int], runs: tuple[int, int], keep: bool, reuse: bool, sqlite_max: int
) -> dict[str, Any]:
    pg = next((os.environ[v] for v in URL_VARS if os.environ.get(v)), None)
    machine = report.machine(await postgres_version(pg) if pg else None)
    results = []
    for size in answers:
        stores = ([("SQLite", "")] if size <= sqlite_max else []) + (
            [("PostgreSQL", pg)] if pg else []
        )
        for name, admin in stores:
            print(f"Reports, {size:,} answers, {name} …", flush=True)
            url, seconds = await database(name, admin, size, reuse)
            results.append(
                {**await bench_backend(name, url, runs), "size": size, "generate_s": seconds}
            )
            if not keep and not reuse:
                await _drop(name, url, admin)
    return {"backends": results, "machine": machine, "command": run_command()}


async def _drop(name: str, url: str, admin: str) -> None:
    if name == "SQLite":
        gen_answers._delete_sqlite(str(make_url(url).database))
    else:
        await gen_answers.drop_database(admin)


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.reports", description=__doc__)
    parser.add_argument("--answers", type=int, action="append", help="repeatable; 1,000,000")
    parser.add_argument(
        "--sqlite-max",
        type=int,
        default=10_000_000,
        help="SQLite only up to this many answers (disk, time)",
    )
    parser.add_argument("--quick", action="store_true", help="20,000 answers; doc not written")
    parser.add_argument(
        "--keep",
        action="store_true",
        help=f"keep the databases: "
        f"{kept_sqlite(0).name.replace('0', 'N')} in {KEPT}, bench_reports_N",
    )
    parser.add_argument("--reuse", action="store_true", help="measure the kept databases")
    parser.add_argument("--no-write", action="store_true", help="print, leave the doc alone")
    parser.add_argument("--note", default="", help="how kept databases were made, for the doc")
    args = parser.parse_args()
    answers = [20_000] if args.quick else args.answers or [1_000_000]
    found = asyncio.run(
        run(answers, (TEAM_RUNS, OVERVIEW_RUNS), args.keep, args.reuse, args.sqlite_max)
    )
    found["note"] = args.note
    print("\n" + table(found) + "\n\n" + setup_table(found))
    if not (args.quick or args.no_write):
        write_section(section(found))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
