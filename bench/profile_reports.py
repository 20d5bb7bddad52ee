"""`python -m bench.profile_reports URL [--runs N]`: where `/nps team` and `/nps teams` spend
their time in process, on a database bench.reports has prepared (bench.gen_answers, then a
--reuse run or its prepare step): the use case's p50 beside the floor query's, and each SQL
statement it runs, with how many per reply and the time from sending it to its rows.

What this leaves out is the HTTP request, the signature and shape checks and the reply's blocks
(`/nps help` end to end is under 1 ms), and the chart, drawn and sent after the reply.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import event

from bench import gen_answers
from bench.reports_floor import floor
from bot import commands, queries
from bot.deps import Deps
from bot.ports import SystemClock
from bot.settings import load_settings
from store import Store, open_store, straight

Timings = defaultdict[str, list[float]]


@contextmanager
def watch(store: Store) -> Iterator[Timings]:
    """Each statement's ms, by its first 100 characters, while inside: through SQLAlchemy's
    events, or around store.straight's way for a brief read's."""
    found: Timings = defaultdict(list)
    began: dict[int, float] = {}
    engine = store.engine.sync_engine

    def before(_c: Any, _cur: Any, _sql: str, _p: Any, context: Any, _many: bool) -> None:
        began[id(context)] = time.perf_counter()

    def after(_c: Any, _cur: Any, sql: str, _p: Any, context: Any, _many: bool) -> None:
        ms = (time.perf_counter() - began.pop(id(context))) * 1000
        found[" ".join(sql.split())[:100]].append(ms)

    async def timed_straight(conn: Any, sql: str, values: Any) -> Any:
        began = time.perf_counter()
        rows = await going_straight(conn, sql, values)
        if rows is not None:  # else SQLAlchemy ran it, and the events above timed it
            found[" ".join(sql.split())[:100]].append((time.perf_counter() - began) * 1000)
        return rows

    going_straight = straight.rows
    event.listen(engine, "before_cursor_execute", before)
    event.listen(engine, "after_cursor_execute", after)
    straight.rows = timed_straight  # a brief read goes around the events
    try:
        yield found
    finally:
        straight.rows = going_straight
        event.remove(engine, "before_cursor_execute", before)
        event.remove(engine, "after_cursor_execute", after)


async def timed(
    deps: Deps, make: Callable[[int], commands.Query], runs: int
) -> tuple[list[float], dict[str, list[float]]]:
    for i in range(3):  # warm: statement caches, prepared statements
        await queries.answer(deps, make(i), "C0BENCH", "U0BENCH", platform="slack")
    ms = []
    with watch(deps.store) as statements:
        for i in range(runs):
            began = time.perf_counter()
            await queries.answer(deps, make(i), "C0BENCH", "U0BENCH", platform="slack")
            ms.append((time.perf_counter() - began) * 1000)
    return ms, dict(statements)


async def profile(url: str, runs: int) -> None:
    store, directory = open_store(url), gen_answers.directory()
    deps = Deps(store, directory, SystemClock(), load_settings({}, env_file="/nonexistent"))
    keys = [t.key for t in directory.teams]
    plans: list[tuple[str, Callable[[int], commands.Query], Callable[[int], str | None]]] = [
        ("/nps team", lambda i: commands.TeamScores(keys[i % len(keys)]), lambda i: keys[i % 50]),
        ("/nps teams", lambda _: commands.AllTeams(), lambda _: None),
    ]
    try:
        for name, make, floor_team in plans:
            ms, found = await timed(deps, make, runs)
            floors = [
                (await floor(store, datetime.now(UTC), floor_team(i)))[1] for i in range(runs)
            ]
            print(_report(name, ms, floors, found, runs))
    finally:
        await store.close()


def _report(
    name: str, ms: list[float], floors: list[float], found: dict[str, list[float]], runs: int
) -> str:
    p50, f50 = statistics.median(ms), statistics.median(floors)
    lines = [f"{name}: p50 {p50:.2f} ms in process; floor p50 {f50:.2f} ms ({p50 / f50:.1f}×)"]
    for sql, times in sorted(found.items(), key=lambda kv: -sum(kv[1])):
        lines.append(
            f"  {len(times) / runs:4.1f} per reply, p50 {statistics.median(times):6.2f} ms, "
            f"{sum(times) / runs:6.2f} ms per reply  {sql}"
        )
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.profile_reports", description=__doc__)
    parser.add_argument("url", help="sqlite:///FILE or postgresql://…/bench_reports_N")
    parser.add_argument("--runs", type=int, default=50)
    args = parser.parse_args()
    asyncio.run(profile(args.url, args.runs))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
