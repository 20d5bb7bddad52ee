"""B1: ticket-closed webhooks stored per second by the real `npsbot serve`, checked against rows."""

from __future__ import annotations

import asyncio
import secrets
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp

from bench.common import (
    CONCURRENCY,
    client,
    cpu_seconds,
    fresh_database,
    machine_busy_seconds,
    percentile,
    scalar,
    serve,
    signed_ticket,
    warm_connections,
)

# Pre-signed deliveries per second of run; far above what one Python client reaches on 2 cores.
POOL_PER_SECOND = 5000
Request = tuple[str, bytes, dict[str, str]]


@dataclass
class Phase:
    latencies: list[float] = field(default_factory=list)
    statuses: Counter[int] = field(default_factory=Counter)  # 0 = no HTTP answer
    ok_ids: set[str] = field(default_factory=set)
    elapsed: float = 0.0


async def _worker(
    http: aiohttp.ClientSession, url: str, pool: Iterator[Request], deadline: float, out: Phase
) -> None:
    # Each worker holds one request in flight: CONCURRENCY workers = CONCURRENCY connections.
    for wid, body, headers in pool:
        started = time.perf_counter()
        if started >= deadline:
            return
        try:
            async with http.post(url, data=body, headers=headers) as resp:
                await resp.read()
                status = resp.status
        except (aiohttp.ClientError, TimeoutError):
            status = 0
        out.latencies.append(time.perf_counter() - started)
        out.statuses[status] += 1
        if 200 <= status < 300:
            out.ok_ids.add(wid)


async def load(
    http: aiohttp.ClientSession, url: str, pool: Iterator[Request], seconds: float
) -> Phase:
    """Sends from the shared pool on CONCURRENCY connections until `seconds` pass or it runs out."""
    out = Phase()
    started = time.perf_counter()
    deadline = started + seconds
    await asyncio.gather(*(_worker(http, url, pool, deadline, out) for _ in range(CONCURRENCY)))
    out.elapsed = time.perf_counter() - started
    return out


def make_pool(seconds: float) -> list[Request]:
    tag, now = secrets.token_hex(4), int(time.time())
    return [signed_ticket(tag, i, now) for i in range(int(seconds * POOL_PER_SECOND))]


async def drive(base_url: str, pid: int, seconds: float, warmup: float) -> dict[str, Any]:
    """Warm-up, then a timed phase; reports the timed phase and the ids stored across both."""
    pool = make_pool(seconds + warmup)
    feed = iter(pool)
    url = base_url + "/webhooks/tickets"
    async with client() as http:
        await warm_connections(http, base_url)
        first = await load(http, url, feed, warmup)
        server_cpu, own_cpu, busy = cpu_seconds(pid), time.process_time(), machine_busy_seconds()
        timed = await load(http, url, feed, seconds)
        server_cpu, own_cpu = cpu_seconds(pid) - server_cpu, time.process_time() - own_cpu
        busy = machine_busy_seconds() - busy
        exhausted = next(feed, None) is None
    ok = sum(n for status, n in timed.statuses.items() if 200 <= status < 300)
    return {
        "requests": sum(timed.statuses.values()),
        "seconds": round(timed.elapsed, 2),
        "stored_per_s": ok / timed.elapsed,
        "p50_ms": percentile(timed.latencies, 50) * 1000,
        "p99_ms": percentile(timed.latencies, 99) * 1000,
        "non_2xx": {s: n for s, n in (first.statuses + timed.statuses).items() if s >= 300},
        "no_answer": first.statuses[0] + timed.statuses[0],
        "ok_ids": len(first.ok_ids | timed.ok_ids),
        "pool_exhausted": exhausted,
        "server_cpu_pct": 100 * server_cpu / timed.elapsed,
        "loadgen_cpu_pct": 100 * own_cpu / timed.elapsed,
        "other_cpu_pct": 100 * max(0.0, busy - server_cpu - own_cpu) / timed.elapsed,
    }


async def bench_webhooks(admin_url: str | None, seconds: float, warmup: float) -> dict[str, Any]:
    """B1 against the real server, Slack NOT configured: surveys are stored and wait undelivered."""
    with tempfile.TemporaryDirectory(prefix="npsbot-bench-") as tmp:
        workdir = Path(tmp)
        async with fresh_database(admin_url, workdir) as db_url:
            async with serve(db_url, workdir, {}) as server:
                result = await drive(server.url, server.pid, seconds, warmup)
                result["rows"] = await scalar(db_url, "SELECT count(*) FROM survey")
                result["receipts"] = await scalar(db_url, "SELECT count(*) FROM webhook_receipt")
                result["jobs"] = await scalar(db_url, "SELECT count(*) FROM outbox")
            result["problems"] = server.problems()
    result["correct"] = (
        result["rows"] == result["ok_ids"] == result["receipts"] == result["jobs"]
        and not result["non_2xx"]
        and not result["no_answer"]
    )
    return result


if __name__ == "__main__":
    url = sys.argv[1] if len(sys.argv) > 1 else None
    print(asyncio.run(bench_webhooks(url, seconds=3, warmup=0.5)))
