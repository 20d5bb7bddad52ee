"""`python -m bench.ab_clicks OTHER_CHECKOUT [--rounds N]`: the click path of this checkout
against another one (a `git worktree add /tmp/ab <commit>`), with the Bolt peer, under wrk.

Which commit a change in the click figures comes from: one run of the rounds of
bench/throughput.py (fresh database, seeded surveys, fake Slack enforcing Slack's limits) with
three servers, the peer, `npsbot serve` from this checkout and from OTHER_CHECKOUT (its `bot`
and `store` first on the path), the two npsbot servers swapping places every round. On SQLite,
and on PostgreSQL when TEST_DATABASE_URL or BENCH_DATABASE_URL is set. Prints every round and
the median ratios; the doc is left alone.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
from pathlib import Path
from statistics import median

from bench import throughput, wrk
from bench.run_all import URL_VARS

THIS, OTHER = "npsbot", "npsbot-other"


def register(other: Path) -> None:
    """OTHER as a server of the throughput rounds: one worker, its answers counted."""
    throughput.WORKERS[OTHER] = 1
    throughput.TABLE["clicks", OTHER] = "answer"
    own = throughput._argv
    boot = f"import sys, runpy; sys.path.insert(0, {str(other)!r}); "
    boot += "runpy.run_module('bot', run_name='__main__', alter_sys=True)"
    command = [sys.executable, "-c", boot, "serve", "--workers", "1"]
    throughput._argv = lambda server: command if server == OTHER else own(server)


async def rounds(url: str | None, count: int) -> list[dict[str, float]]:
    found = []
    for r in range(count):
        order = ["peer", THIS, OTHER] if r % 2 == 0 else ["peer", OTHER, THIS]
        rates: dict[str, float] = {}
        for server in order:
            done = await throughput.one_round("clicks", server, url, (2.0, 10.0))
            if not done["correct"]:
                raise RuntimeError(f"round {r + 1}, {server}: rows or errors are wrong")
            rates[server], rates[f"{server} p99"] = done["req_per_s"], done["p99_ms"]
            print(
                f"  round {r + 1} {server}: {done['req_per_s']:,.0f} req/s, "
                f"p99 {done['p99_ms']} ms",
                flush=True,
            )
        found.append(rates)
    return found


def summary(name: str, found: list[dict[str, float]]) -> str:
    lines = []
    for label, top, bottom in (
        ("this ÷ peer", THIS, "peer"),
        ("other ÷ peer", OTHER, "peer"),
        ("this ÷ other", THIS, OTHER),
    ):
        ratios = [r[top] / r[bottom] for r in found]
        each = " / ".join(f"{x:.2f}" for x in ratios)
        lines.append(f"{name} {label}: {median(ratios):.2f}× ({each})")
    return "\n".join(lines)


async def run(other: Path, count: int) -> None:
    wrk.ensure_wrk()
    register(other)
    pg = next((os.environ[v] for v in URL_VARS if os.environ.get(v)), None)
    for name, url in [("SQLite", None), *([("PostgreSQL", pg)] if pg else [])]:
        print(f"{name}:", flush=True)
        print(summary(name, await rounds(url, count)), flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.ab_clicks", description=__doc__)
    parser.add_argument("other", type=Path, help="the other checkout (a git worktree)")
    parser.add_argument("--rounds", type=int, default=4)
    args = parser.parse_args()
    if not (args.other / "bot" / "__main__.py").is_file():
        raise SystemExit(f"{args.other}: not an npsbot checkout")
    asyncio.run(run(args.other.resolve(), args.rounds))


if __name__ == "__main__":
    main()
