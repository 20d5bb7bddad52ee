"""Turns bench results into the Markdown tables printed and written to docs/benchmarks.md."""

from __future__ import annotations

import math
import os
import platform
import re
import sqlite3
import subprocess
from collections import Counter
from datetime import UTC, datetime
from importlib.metadata import version
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SHOWN_CALLS = ("auth.test", "chat.update", "chat.postEphemeral")


def machine(pg_version: str | None) -> dict[str, str]:
    cpu = next((line.split(":", 1)[1].strip() for line in _cpuinfo() if "model name" in line), "?")
    commit = _git("rev-parse", "--short", "HEAD")
    dirty = " + uncommitted changes" if _git("status", "--porcelain", "--", "bot", "store") else ""
    return {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "cpu": f"{os.cpu_count()} cores (nproc), {cpu}, {platform.system()} {platform.release()}",
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "postgresql": pg_version or "not run (set TEST_DATABASE_URL or BENCH_DATABASE_URL)",
        "libraries": ", ".join(
            f"{p} {version(p)}"
            for p in ("aiohttp", "slack_bolt", "SQLAlchemy", "aiosqlite", "asyncpg")
        ),
        "code": f"{commit}{dirty}",
        "load": "load average before the run: " + " ".join(f"{x:.2f}" for x in os.getloadavg()),
    }


def _cpuinfo() -> list[str]:
    path = Path("/proc/cpuinfo")
    return path.read_text().splitlines() if path.exists() else []


def _git(*args: str) -> str:
    try:
        done = subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, check=False)
    except OSError:
        return "?"
    return done.stdout.strip()


def _ms(value: float) -> str:
    return "–" if math.isnan(value) else f"{value:,.0f} ms" if value >= 10 else f"{value:.1f} ms"


def _calls(slack: dict[str, Any]) -> str:
    shown = [f"{k} ×{n}" for k, n in slack["calls"].items() if k.split()[0] in SHOWN_CALLS]
    return "; ".join(shown) or "–"


def b2_table(rows: list[dict[str, Any]]) -> str:
    out = [
        "| Database | Fake Slack | First clicks p50 / p99 (n) | Repeat clicks p50 / p99 (n) "
        "| Non-200 | Scores stored | Slack calls seen |",
        "|" + " --- |" * 7,
    ]
    for r in rows:
        f, p = r["fresh"], r["repeat"]
        non200 = sum(n for s, n in r["statuses"].items() if s != 200)
        fresh = f"**{_ms(f['p50_ms'])} / {_ms(f['p99_ms'])}** ({f['n']})"
        repeat = f"{_ms(p['p50_ms'])} / {_ms(p['p99_ms'])} ({p['n']})" if p["n"] else "–"
        stored = f"{r['stored']}/{r['surveys']}"
        out.append(
            f"| {r['backend']} | {r['condition']} | {fresh} | {repeat} | {non200} | "
            f"{stored if r['stored'] == r['surveys'] else f'**{stored}**'} | "
            f"{_calls(r['slack'])} |"
        )
    return "\n".join(out)


def problems(results: dict[str, Any]) -> list[str]:
    """Distinct server-log error lines across all runs, timestamps stripped, with counts."""
    seen: Counter[str] = Counter()
    rows = results.get("b2", []) + results.get("throughput", {}).get("rows", [])
    for r in rows + results.get("fanout", []) + results.get("thankyous", []):
        for line in r.get("problems", []):
            line = re.sub(r"127\.0\.0\.1:\d+", "127.0.0.1:<port>", line)
            seen[re.sub(r"^\d{4}-\S+ \S+ ", "", line)[:300]] += 1
    return [f"- {n}× `{line}`" for line, n in seen.most_common(10)]


def _per_backend(rows: list[dict[str, Any]], condition: str, key: str) -> str:
    found = [r for r in rows if r["condition"] == condition]
    return ", ".join(f"{r['backend']} {_ms(r['fresh'][key])}" for r in found)


def reading(results: dict[str, Any]) -> list[str]:
    """The "how to read this" paragraph, from the figures of this run."""
    b2 = results["b2"]
    notes = []
    steady = [r for r in b2 if not r["condition"].startswith("cold")]
    if steady:
        worst = max(r["fresh"]["p99_ms"] for r in steady)
        verdict = (
            "so no acknowledgement waited on chat.update or chat.postEphemeral (the outbox, or a "
            "best-effort call made after the ack, sends those)"
            if worst < 2000
            else "**above the 2 s Slack delay: some acknowledgement may have waited on Slack**"
        )
        notes.append(
            f"- **Clicks.** With Bolt warmed up, the worst p99 acknowledgement over the healthy, "
            f"429 and 2s-latency conditions was {_ms(worst)} (Slack's limit is 3 s), {verdict}. "
            "These are 50 clicks landing at once, so the p50 is mostly queueing behind the other "
            "49; steady throughput is measured under wrk above."
        )
    cold = [r for r in b2 if r["condition"].startswith("cold")]
    calls = sum(n for r in cold for k, n in r["slack"]["calls"].items() if k.startswith("auth."))
    if cold and calls:
        notes.append(
            "- **Cold start.** Bolt called `auth.test` on the first requests after the process "
            f"started ({calls} calls over {len(cold)} cold runs, one per concurrent first "
            "request), and those clicks waited for it before the ack: with it 2 s slow, p99 "
            f"{_per_backend(b2, 'cold+auth.test-2s', 'p99_ms')}."
        )
    elif cold:
        notes.append(
            "- **Cold start.** No `auth.test` call was made, so the first 50 clicks after a start "
            "were acknowledged like warm ones even with auth.test slow (p99 "
            f"{_per_backend(b2, 'cold+auth.test-2s', 'p99_ms')}) or rate-limited (p99 "
            f"{_per_backend(b2, 'cold+auth.test-429', 'p99_ms')})."
        )
    lost = [r for r in cold if r["stored"] < r["surveys"]]
    if lost:
        stored = ", ".join(
            f"{r['backend']} {r['condition']} {r['stored']}/{r['surveys']}" for r in lost
        )
        notes.append(
            f"- **Lost clicks on a cold start.** Scores stored: {stored}. Bolt answers 200 with "
            'its "reinstall this app" warning when its auth.test fails, and Slack does not retry '
            "clicks, so those answers are lost."
        )
    return notes
