"""`python -m bench.drivers`: the exact LMG key-driver analysis for 13–15 drivers × 1,000 answers
(`bot.scoring.drivers.key_drivers`, the figure `/nps drivers` shows), against the 1 s budget.

Writes (or replaces) its section of docs/benchmarks.md unless --no-write.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import statistics
import time

from bench import report
from bot.scoring.drivers import key_drivers

DOC = report.ROOT / "docs" / "benchmarks.md"
HEADING = "## Key drivers: exact LMG shares"
BUDGET_S = 1.0
RUNS = 5


def answers(drivers: int, n: int, seed: int = 1) -> list[tuple[int, list[str]]]:
    """Scores that lean on a few drivers, each answer naming about a quarter of them."""
    rng = random.Random(seed)
    names = [f"driver{i}" for i in range(drivers)]
    weights = [rng.uniform(-3, 3) for _ in names]
    out = []
    for _ in range(n):
        named = [name for name in names if rng.random() < 0.25] or [rng.choice(names)]
        effect = sum(w for name, w in zip(names, weights, strict=True) if name in named)
        out.append((min(10, max(0, round(7 + effect / 2 + rng.gauss(0, 2)))), named))
    return out


def measure(drivers: int, n: int) -> dict[str, float]:
    data, names = answers(drivers, n), [f"driver{i}" for i in range(drivers)]
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        fit = key_drivers(data, names)
        times.append(time.perf_counter() - start)
    assert abs(sum(fit.importance) - 1) < 1e-9, "shares must sum to 1"
    return {"drivers": drivers, "n": fit.n, "median": statistics.median(times), "max": max(times)}


def section(rows: list[dict[str, float]]) -> str:
    lines = [
        HEADING,
        "",
        f"Measured {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} on {os.cpu_count()} "
        f"cores (shared), Python {platform.python_version()}; `python -m bench.drivers`. "
        f"Median and worst of {RUNS} runs; budget {BUDGET_S:.0f} s.",
        "",
        "| Drivers | Subsets | Answers analysed | Median | Worst |",
        "| --- | --- | --- | --- | --- |",
    ]
    for r in rows:
        lines.append(
            f"| {r['drivers']} | {2 ** int(r['drivers']):,} | {int(r['n']):,} | "
            f"{r['median'] * 1000:.0f} ms | {r['max'] * 1000:.0f} ms |"
        )
    lines += [
        "",
        "Exact: the R² of every subset of drivers, each computed once from the correlation "
        "matrix (depth first, each subset its parent plus one driver, so one Cholesky row and "
        "one R² term per subset), then the Shapley weights |S|!(p−|S|−1)!/p!. Pure Python, no "
        "numpy. Equal to pingouin's `linear_regression(relimp=True)` to 1e-6 "
        "(tests/unit/test_drivers_maths.py). Time doubles with each added driver.",
    ]
    return "\n".join(lines) + "\n"


def write_section(heading: str, text: str) -> None:
    """Replaces the section starting at `heading` in docs/benchmarks.md, or appends it."""
    lines = DOC.read_text().splitlines()
    start = next((i for i, x in enumerate(lines) if x.startswith(heading)), len(lines))
    end = next((i for i in range(start + 1, len(lines)) if lines[i].startswith("## ")), len(lines))
    gap = [""] if start == len(lines) and lines and lines[-1] else []
    tail = ["", *lines[end:]] if end < len(lines) else []
    DOC.write_text("\n".join(lines[:start] + gap + text.rstrip("\n").splitlines() + tail) + "\n")


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.drivers", description=__doc__)
    parser.add_argument("--no-write", action="store_true", help="print only")
    args = parser.parse_args()
    rows = [measure(drivers, 1000) for drivers in (13, 14, 15)]
    text = section(rows)
    print(text)
    if not args.no_write:
        write_section(HEADING, text)
    worst = max(r["max"] for r in rows)
    return 0 if worst < BUDGET_S else 1


if __name__ == "__main__":
    raise SystemExit(main())
