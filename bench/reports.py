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
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import text
from sqlalchemy.engine import make_url

from bench import gen_answers, report
from bench.common import BOT_TOKEN, SIGNING_SECRET, postgres_version, serve
from bench.fake_slack_proc import fake_slack
from bench.reports_floor import toml
from bench.reports_rounds import bare_server, rounds
from bench.reports_text import command as run_command
from bench.reports_text import reply_table, section, setup_table, table, write_section

__all__ = ["OVERVIEW_RUNS", "TEAM_RUNS", "run", "section", "table"]
from bot.scoring import boundaries
from bot.tallies import zones
from store import Store, open_store, rollup_rebuild
from store import reports as rows
from store.migrate import upgrade_to_head

TEAM_RUNS, OVERVIEW_RUNS = 100, 20
URL_VARS = ("BENCH_DATABASE_URL", "TEST_DATABASE_URL")
KEPT = Path(tempfile.gettempdir())
KEPT_PG_SQL = "SELECT 1 FROM pg_database WHERE datname = $1"
ROLLUPS = ("tally_week", "tally_day", "tally_slot", "tally_org_day", "tally_zone")


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
        await vacuum_rollups(store)
        await spot_check(store)
    finally:
        await store.close()
    return {
        "surveys": counted[0],
        "answers": counted[1],
        "rebuilt": len(rebuilt),
        "prepare_s": time.perf_counter() - began,
    }


async def vacuum_rollups(store: Store) -> None:
    """VACUUM ANALYZE on PostgreSQL of the roll-ups just built, which left a dead row behind
    each live one, as autovacuum would soon after (it is off on this machine's server; and
    bench.gen_answers does the same for the raw tables the floor reads). Before this, their
    reads walked the dead rows: 0.48 ms for a team's weeks against 0.30 after, 0.90 ms against
    0.76 for the rank's (raw asyncpg, 1M answers, 2026-12-04 17:15 UTC)."""
    if store.dialect == "postgresql":
        async with store.read(brief=True) as conn:
            await conn.exec_driver_sql(f"VACUUM ANALYZE {', '.join(ROLLUPS)}")


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
            async with (
                serve(url, Path(tmp), env, config_text=config) as server,
                bare_server(Path(tmp)) as bare,
            ):
                before = rss_mb(server.pid)
                ms = await rounds(server.url, bare.url, url, runs, fake)
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


async def database(
    name: str, admin: str, answers: int, reuse: bool | None
) -> tuple[str, float | None]:
    """The URL of the database for `answers` (generated unless reused; None: reused when kept)
    and seconds generating."""
    if name == "SQLite":
        url = f"sqlite:///{kept_sqlite(answers)}"
    else:
        url = make_url(admin).set(database=kept_pg(answers)).render_as_string(hide_password=False)
    if reuse or (reuse is None and await is_kept(name, admin, answers)):
        return url, None
    os.environ["BENCH_PG_DATABASE"] = kept_pg(answers)
    made = await gen_answers.generate(url if name == "SQLite" else admin, answers)
    return url, made["seconds"]


async def is_kept(name: str, admin: str, answers: int) -> bool:
    if name == "SQLite":
        return kept_sqlite(answers).exists()
    conn = await gen_answers._connect(admin, "postgres")
    try:
        found = await conn.fetchval(KEPT_PG_SQL, kept_pg(answers))
        return found is not None
    finally:
        await conn.close()


async def run(
    answers: list[int], runs: tuple[int, int], keep: bool, reuse: bool | None, sqlite_max: int
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
            found = {**await bench_backend(name, url, runs), "size": size, "generate_s": seconds}
            if found["answers"] != size:
                raise RuntimeError(f"{url} holds {found['answers']:,} answers, not {size:,}")
            results.append(found)
            if not keep and seconds is not None:
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
    print("\n" + "\n\n".join(f(found) for f in (table, reply_table, setup_table)))
    if not (args.quick or args.no_write):
        write_section(section(found))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
